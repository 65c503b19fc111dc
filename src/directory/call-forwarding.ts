import {
  DEFAULT_CALL_FORWARDING,
  forwardingLoop,
  handoverUsers,
  planCall,
  presenceAt,
  referencedUsers,
  settingsProblems,
  withoutRemovedUsers,
  type CallForwardingSettings,
  type ForwardTarget,
  type NoAnswerDestination,
  type Presence,
  type PresenceState,
  type RoutingPlan,
  type SimultaneousRingTarget,
} from '../domain/call-routing.js';
import { DomainError, type FieldProblem } from '../domain/errors.js';
import { canActFor, type Principal, type User } from '../domain/user.js';
import type { CallForwardingStore } from '../ports/call-forwarding-store.js';
import type { Clock } from '../ports/clock.js';
import type { RegionStore, UserStore } from '../ports/directory-store.js';
import type { DialOutGuard } from './dial-out-guard.js';
import { toE164 } from './phone-numbers.js';

/** The settings as a user writes them: phone numbers in any form their region reads; omitted fields take the defaults. */
export interface CallForwardingInput {
  readonly mode: CallForwardingSettings['mode'];
  readonly forwardTo?: ForwardTarget;
  readonly alsoRing?: SimultaneousRingTarget;
  readonly noAnswer?: { readonly afterSeconds?: number; readonly then?: NoAnswerDestination };
  readonly teamMembers?: readonly string[];
  readonly delegates?: readonly string[];
}

export interface PresenceInput {
  readonly state: PresenceState;
  /** ISO date-time; absent or null: until changed. */
  readonly until?: string | null;
}

export interface CallForwardingDeps {
  readonly store: CallForwardingStore;
  readonly users: Pick<UserStore, 'get' | 'byKeypadIdentity' | 'byDirectNumber'>;
  readonly regions: Pick<RegionStore, 'get'>;
  readonly clock: Clock;
  /** The dial-out policy every number a call may be forwarded to passes, under the user's own scope. */
  readonly guard: Pick<DialOutGuard, 'check'>;
}

/**
 * Call forwarding, simultaneous ring, the Team-call group, delegates and presence: each user changes
 * their own, administrators anyone's. Telephony asks planFor who to ring.
 */
export class CallForwarding {
  constructor(private readonly deps: CallForwardingDeps) {}

  async settings(principal: Principal, userId: string): Promise<CallForwardingSettings> {
    await this.permitted(principal, userId);
    return this.current(userId);
  }

  async change(principal: Principal, userId: string, input: CallForwardingInput): Promise<CallForwardingSettings> {
    const user = await this.permitted(principal, userId);
    const country = (await this.deps.regions.get(user.region))?.country ?? 'US';
    const { settings, problems } = cleanSettings(input, country);
    if (settings) problems.push(...settingsProblems(userId, settings), ...(await this.unknownUsers(settings)));
    if (problems.length > 0 || !settings) throw failure('invalid-forwarding', problems);
    const loops = [...ownNumberProblems(user, settings), ...(await this.loopProblems(userId, settings))];
    if (loops.length > 0) throw failure('forwarding-loop', loops);
    const refused = await this.dialOutProblems(user, settings);
    if (refused.length > 0) throw failure(refused[0]!.code as 'number-blocked' | 'dial-out-not-allowed', refused);
    if (!(await this.deps.store.saveSettings(userId, settings))) throw notFound(userId);
    return settings;
  }

  async presence(principal: Principal, userId: string): Promise<Presence> {
    await this.permitted(principal, userId);
    return presenceAt(await this.deps.store.presence(userId), this.deps.clock.now());
  }

  async setPresence(principal: Principal, userId: string, input: PresenceInput): Promise<Presence> {
    await this.permitted(principal, userId);
    const now = this.deps.clock.now();
    const until = input.until ? new Date(input.until) : null;
    if (until && !(until.getTime() > now.getTime())) {
      throw new DomainError('validation-failed', 'until is in the future', [{ field: 'until', code: 'validation-failed', message: 'until is in the future' }]);
    }
    const presence: Presence = { state: input.state, since: now, until };
    if (!(await this.deps.store.savePresence(userId, presence))) throw notFound(userId);
    return presence;
  }

  /**
   * What telephony does with a call to `calledUserId`: who rings, for how long, then where it goes.
   * `contacts` are the called user's registered SIP contacts; `forwardedVia` the users the call was
   * already handed on from (when `then` was a user), so a loop ends even if one slipped past validation.
   */
  async planFor(calledUserId: string, callerUserId: string | undefined, contacts: readonly string[], forwardedVia: readonly string[] = []): Promise<RoutingPlan> {
    if (!(await this.deps.users.get(calledUserId))) throw notFound(calledUserId);
    const [settings, presence] = await Promise.all([this.current(calledUserId), this.deps.store.presence(calledUserId)]);
    const state = presenceAt(presence, this.deps.clock.now()).state;
    return planCall({ calledUserId, settings, presence: state, contacts, callerUserId, forwardedVia });
  }

  /** The directory user with this id (the one a call is forwarded for). */
  async userById(id: string): Promise<User | undefined> {
    return this.deps.users.get(id);
  }

  /** The directory user a dialled number reaches: their extension, or their published work number. */
  async userForNumber(dialled: string): Promise<User | undefined> {
    const digits = dialled.replace(/[^0-9]/g, '');
    if (!/^[0-9]{2,15}$/.test(digits)) return undefined;
    return this.deps.users.byDirectNumber(digits);
  }

  /** The directory user calling from `number` (one of their published numbers), if any: a Team member rings through DND. */
  async userCalling(number: string): Promise<User | undefined> {
    const digits = number.replace(/[^0-9]/g, '');
    if (digits.length < 7) return undefined;
    const found = await this.deps.users.byKeypadIdentity(digits);
    const published = Object.values(found?.user.phones ?? {}).map((phone) => phone.replace(/[^0-9]/g, ''));
    return found && published.includes(digits) ? found.user : undefined;
  }

  /** Each number the call could ring, judged as a dial-out by this user: the policy and their own scope. */
  private async dialOutProblems(user: User, settings: CallForwardingSettings): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    for (const [field, number] of phoneTargets(settings)) {
      try {
        await this.deps.guard.check({ kind: 'user', user }, number);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problems.push({ field, code: error.code, message: error.message });
      }
    }
    // A blocked number says more than a scope: it is refused whoever asks.
    return problems.sort((a, b) => Number(b.code === 'number-blocked') - Number(a.code === 'number-blocked'));
  }

  private async permitted(principal: Principal, userId: string): Promise<User> {
    if (!canActFor(principal, userId)) throw new DomainError('forbidden', "only the user or an administrator may see or change a user's call forwarding");
    const user = await this.deps.users.get(userId);
    if (!user) throw notFound(userId);
    return user;
  }

  private async current(userId: string): Promise<CallForwardingSettings> {
    const stored = (await this.deps.store.settings(userId)) ?? DEFAULT_CALL_FORWARDING;
    const named = referencedUsers(stored);
    const found = await Promise.all(named.map(async (id) => ((await this.deps.users.get(id)) ? [id] : [])));
    const existing = new Set(found.flat());
    return withoutRemovedUsers(stored, (id) => existing.has(id));
  }

  private async unknownUsers(settings: CallForwardingSettings): Promise<FieldProblem[]> {
    const fields: Array<[string, string]> = [
      ...(settings.mode === 'forward-all' && settings.forwardTo.kind === 'user' ? [['forwardTo.userId', settings.forwardTo.userId] as [string, string]] : []),
      ...(settings.noAnswer.then.kind === 'user' ? [['noAnswer.then.userId', settings.noAnswer.then.userId] as [string, string]] : []),
      ...settings.teamMembers.map((id, i) => [`teamMembers[${i}]`, id] as [string, string]),
      ...settings.delegates.map((id, i) => [`delegates[${i}]`, id] as [string, string]),
    ];
    const missing = await Promise.all(fields.map(async ([field, id]) => ((await this.deps.users.get(id)) ? undefined : { field, id })));
    return missing.flatMap((m) => (m ? [{ field: m.field, code: 'user-not-found' as const, message: `no user ${m.id}` }] : []));
  }

  /**
   * Reads every user the call could be handed on to, then looks for a way back to this user. Two users
   * saving at the same moment can still close a loop; planCall's forwardedVia ends such a call.
   */
  private async loopProblems(userId: string, settings: CallForwardingSettings): Promise<FieldProblem[]> {
    const known = new Map<string, CallForwardingSettings>();
    let frontier = handoverUsers(settings);
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const id of frontier) {
        if (id === userId || known.has(id)) continue;
        const theirs = (await this.deps.store.settings(id)) ?? DEFAULT_CALL_FORWARDING;
        known.set(id, theirs);
        next.push(...handoverUsers(theirs));
      }
      frontier = next;
    }
    const loop = forwardingLoop(userId, settings, (id) => known.get(id));
    if (!loop) return [];
    const first = loop[1];
    const field = settings.mode === 'forward-all' && settings.forwardTo.kind === 'user' && settings.forwardTo.userId === first ? 'forwardTo.userId' : 'noAnswer.then.userId';
    const message = loop.length === 2 ? 'a user does not forward calls to themselves' : `calls would come back to this user: ${loop.join(' → ')}`;
    return [{ field, code: 'forwarding-loop', message }];
  }
}

const notFound = (userId: string) => new DomainError('user-not-found', `no user ${userId}`);

function failure(code: 'invalid-forwarding' | 'forwarding-loop' | 'number-blocked' | 'dial-out-not-allowed', problems: readonly FieldProblem[]): DomainError {
  return new DomainError(code, problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}

/** The input as settings, with every phone number in E.164; or what is wrong with its shape. */
function cleanSettings(input: CallForwardingInput, country: string): { settings?: CallForwardingSettings; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  // Only a phone target changes: its number, in E.164.
  const phone = <T extends ForwardTarget | SimultaneousRingTarget | NoAnswerDestination>(target: T, field: string): T => {
    if (target.kind !== 'phone') return target;
    const number = toE164(target.number, country);
    if (!number) problems.push({ field: `${field}.number`, code: 'invalid-phone-number', message: `"${target.number}" is not a valid phone number in ${country}` });
    return { ...target, number: number ?? target.number };
  };
  const misplaced = (field: 'forwardTo' | 'alsoRing', mode: string) =>
    problems.push({ field, code: 'invalid-forwarding', message: `${field} goes with mode ${mode}` });

  if (input.mode !== 'forward-all' && input.forwardTo) misplaced('forwardTo', 'forward-all');
  if (input.mode !== 'simultaneous-ring' && input.alsoRing) misplaced('alsoRing', 'simultaneous-ring');
  if (input.mode === 'forward-all' && !input.forwardTo) problems.push({ field: 'forwardTo', code: 'invalid-forwarding', message: 'forward-all needs forwardTo' });
  if (input.mode === 'simultaneous-ring' && !input.alsoRing) problems.push({ field: 'alsoRing', code: 'invalid-forwarding', message: 'simultaneous-ring needs alsoRing' });

  const common = {
    noAnswer: {
      afterSeconds: input.noAnswer?.afterSeconds ?? DEFAULT_CALL_FORWARDING.noAnswer.afterSeconds,
      then: phone(input.noAnswer?.then ?? DEFAULT_CALL_FORWARDING.noAnswer.then, 'noAnswer.then'),
    },
    teamMembers: [...(input.teamMembers ?? [])],
    delegates: [...(input.delegates ?? [])],
  };
  let settings: CallForwardingSettings | undefined;
  if (input.mode === 'off') settings = { mode: 'off', ...common };
  else if (input.mode === 'forward-all' && input.forwardTo) settings = { mode: 'forward-all', forwardTo: phone(input.forwardTo, 'forwardTo'), ...common };
  else if (input.mode === 'simultaneous-ring' && input.alsoRing) settings = { mode: 'simultaneous-ring', alsoRing: phone(input.alsoRing, 'alsoRing'), ...common };
  return settings ? { settings, problems } : { problems };
}

/** The numbers (not users) the settings would have parley call, by field. */
function phoneTargets(settings: CallForwardingSettings): Array<[string, string]> {
  const targets: Array<[string, { kind: string; number?: string }]> = [
    ...(settings.mode === 'forward-all' ? [['forwardTo.number', settings.forwardTo] as [string, ForwardTarget]] : []),
    ...(settings.mode === 'simultaneous-ring' ? [['alsoRing.number', settings.alsoRing] as [string, SimultaneousRingTarget]] : []),
    ['noAnswer.then.number', settings.noAnswer.then],
  ];
  return targets.flatMap(([field, target]) => (target.kind === 'phone' && target.number ? [[field, target.number] as [string, string]] : []));
}

/** The user's own work number reaches the user again: forwarding to it would ring in circles. */
function ownNumberProblems(user: User, settings: CallForwardingSettings): FieldProblem[] {
  const own = user.phones.work;
  if (!own) return [];
  const targets: Array<[string, { kind: string; number?: string }]> = [
    ['noAnswer.then.number', settings.noAnswer.then],
    ...(settings.mode === 'forward-all' ? [['forwardTo.number', settings.forwardTo] as [string, ForwardTarget]] : []),
    ...(settings.mode === 'simultaneous-ring' ? [['alsoRing.number', settings.alsoRing] as [string, SimultaneousRingTarget]] : []),
  ];
  return targets
    .filter(([, target]) => target.kind === 'phone' && target.number === own)
    .map(([field]) => ({ field, code: 'forwarding-loop' as const, message: `${own} is this user's own work number` }));
}

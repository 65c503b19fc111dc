import type { FieldProblem } from './errors.js';

/**
 * Who rings when a directory user is called: Office Communicator 2007 R2's call-forwarding settings
 * (forward all calls, simultaneous ring, unanswered calls, the Team-call group, delegates) and the
 * presence state that overrides them (Do Not Disturb lets only the Team through).
 */

export const PRESENCE_STATES = ['available', 'busy', 'do-not-disturb', 'be-right-back', 'away', 'offline'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

export interface Presence {
  readonly state: PresenceState;
  /** When the state was set; null: never set (available). */
  readonly since: Date | null;
  /** When a state set by hand ends and the user is available again; null: until changed. */
  readonly until: Date | null;
}

export const AVAILABLE: Presence = { state: 'available', since: null, until: null };

/** The state in force at `now`: a state whose `until` has passed is over. */
export function presenceAt(presence: Presence | undefined, now: Date): Presence {
  if (!presence) return AVAILABLE;
  if (presence.until !== null && presence.until.getTime() <= now.getTime()) return { state: 'available', since: presence.until, until: null };
  return presence;
}

/** An E.164 number, e.g. +14255550199. */
export interface PhoneTarget {
  readonly kind: 'phone';
  readonly number: string;
}
/** A directory user: the call is theirs from then on, under their own settings. */
export interface UserTarget {
  readonly kind: 'user';
  readonly userId: string;
}
export type ForwardTarget = PhoneTarget | UserTarget;
/** What rings with the user's own endpoints: one more number, the Team-call group, or the delegates. */
export type SimultaneousRingTarget = PhoneTarget | { readonly kind: 'team' } | { readonly kind: 'delegates' };
/** Where an unanswered call goes; `none` ends it (the caller hears busy). */
export type NoAnswerDestination = PhoneTarget | UserTarget | { readonly kind: 'voicemail' } | { readonly kind: 'none' };

export type ForwardingMode =
  | { readonly mode: 'off' }
  | { readonly mode: 'forward-all'; readonly forwardTo: ForwardTarget }
  | { readonly mode: 'simultaneous-ring'; readonly alsoRing: SimultaneousRingTarget };

export type CallForwardingSettings = ForwardingMode & {
  readonly noAnswer: { readonly afterSeconds: number; readonly then: NoAnswerDestination };
  /** The Team-call group: user IDs that may ring through Do Not Disturb and can be rung together. */
  readonly teamMembers: readonly string[];
  /** User IDs that answer calls on the user's behalf. */
  readonly delegates: readonly string[];
};

export const NO_ANSWER_SECONDS = { min: 5, default: 20, max: 60 } as const;
export const MAX_GROUP_SIZE = 25;

export const DEFAULT_CALL_FORWARDING: CallForwardingSettings = {
  mode: 'off',
  noAnswer: { afterSeconds: NO_ANSWER_SECONDS.default, then: { kind: 'voicemail' } },
  teamMembers: [],
  delegates: [],
};

export type RingLeg = { readonly kind: 'endpoint'; readonly contact: string } | PhoneTarget | UserTarget;

export type RoutingReason = 'ring' | 'simultaneous-ring' | 'no-endpoints' | 'forward-all' | 'do-not-disturb';

/** Ring every leg at once for `ringSeconds` (the first to answer wins), then hand the call to `then`. */
export interface RoutingPlan {
  readonly legs: readonly RingLeg[];
  /** 0 when nothing rings: `then` at once. */
  readonly ringSeconds: number;
  /** A `user` here means: route the call again as a call to that user (planCall with them). */
  readonly then: NoAnswerDestination;
  readonly reason: RoutingReason;
}

export interface CallToUser {
  readonly calledUserId: string;
  readonly settings: CallForwardingSettings;
  readonly presence: PresenceState;
  /** The called user's registered SIP contacts, from telephony. */
  readonly contacts: readonly string[];
  /** The caller, when they are a directory user. */
  readonly callerUserId?: string | undefined;
  /** Users this call was already handed on from, so a loop made behind validation's back still ends. */
  readonly forwardedVia?: readonly string[];
}

/**
 * The routing decision. Do Not Disturb comes first: only Team members get past it, everyone else goes
 * straight where unanswered calls go. Forward-all rings nothing of the user's; simultaneous ring forks to
 * every registered endpoint plus the extra target (MS-SIPRE's simultaneous_ring, team_ring, delegate_ring).
 */
export function planCall(call: CallToUser): RoutingPlan {
  const { settings } = call;
  const seen = new Set([call.calledUserId, ...(call.forwardedVia ?? [])]);
  const unanswered = settings.noAnswer.then.kind === 'user' && seen.has(settings.noAnswer.then.userId) ? VOICEMAIL : settings.noAnswer.then;
  const fromTeam = call.callerUserId !== undefined && settings.teamMembers.includes(call.callerUserId);

  if (call.presence === 'do-not-disturb' && !fromTeam) return { legs: [], ringSeconds: 0, then: unanswered, reason: 'do-not-disturb' };
  if (settings.mode === 'forward-all' && !(settings.forwardTo.kind === 'user' && seen.has(settings.forwardTo.userId))) {
    return { legs: [], ringSeconds: 0, then: settings.forwardTo, reason: 'forward-all' };
  }

  const legs: RingLeg[] = unique(call.contacts).map((contact) => ({ kind: 'endpoint', contact }));
  if (settings.mode === 'simultaneous-ring') legs.push(...alsoRinging(settings, settings.alsoRing, seen, call.callerUserId));
  if (legs.length === 0) return { legs, ringSeconds: 0, then: unanswered, reason: 'no-endpoints' };
  const reason = settings.mode === 'simultaneous-ring' ? 'simultaneous-ring' : 'ring';
  return { legs, ringSeconds: settings.noAnswer.afterSeconds, then: unanswered, reason };
}

const VOICEMAIL: NoAnswerDestination = { kind: 'voicemail' };

function alsoRinging(settings: CallForwardingSettings, target: SimultaneousRingTarget, seen: ReadonlySet<string>, caller?: string): RingLeg[] {
  if (target.kind === 'phone') return [target];
  const group = target.kind === 'team' ? settings.teamMembers : settings.delegates;
  // Ringing the caller's own phone, or someone the call already left, helps nobody.
  return unique(group)
    .filter((userId) => userId !== caller && !seen.has(userId))
    .map((userId) => ({ kind: 'user', userId }));
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** The users a call can be handed on to (not merely rung with): forward-all and unanswered targets. */
export function handoverUsers(settings: CallForwardingSettings): string[] {
  const users: string[] = [];
  if (settings.mode === 'forward-all' && settings.forwardTo.kind === 'user') users.push(settings.forwardTo.userId);
  if (settings.noAnswer.then.kind === 'user') users.push(settings.noAnswer.then.userId);
  return unique(users);
}

/**
 * The chain of users that would hand a call back to `userId` if these settings were saved (`userId`
 * first and last), or undefined. `others` gives each other user's saved settings.
 */
export function forwardingLoop(
  userId: string,
  settings: CallForwardingSettings,
  others: (userId: string) => CallForwardingSettings | undefined,
): string[] | undefined {
  const visited = new Set<string>([userId]);
  const walk = (from: string, path: string[]): string[] | undefined => {
    const next = from === userId ? handoverUsers(settings) : handoverUsers(others(from) ?? DEFAULT_CALL_FORWARDING);
    for (const to of next) {
      if (to === userId) return [...path, to];
      if (visited.has(to)) continue;
      visited.add(to);
      const loop = walk(to, [...path, to]);
      if (loop) return loop;
    }
    return undefined;
  };
  return walk(userId, [userId]);
}

/**
 * What can be judged from the settings alone (phone numbers and whether users exist are the caller's
 * to check): bounds, the group a simultaneous ring names being set, and nobody in their own groups.
 * Forwarding to oneself is left to forwardingLoop.
 */
export function settingsProblems(userId: string, settings: CallForwardingSettings): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, code: 'invalid-forwarding', message });
  const { afterSeconds } = settings.noAnswer;
  if (!Number.isInteger(afterSeconds) || afterSeconds < NO_ANSWER_SECONDS.min || afterSeconds > NO_ANSWER_SECONDS.max) {
    problem('noAnswer.afterSeconds', `unanswered calls move on after ${NO_ANSWER_SECONDS.min} to ${NO_ANSWER_SECONDS.max} seconds`);
  }
  for (const field of ['teamMembers', 'delegates'] as const) {
    const group = settings[field];
    if (group.length > MAX_GROUP_SIZE) problem(field, `at most ${MAX_GROUP_SIZE} users`);
    if (group.includes(userId)) problem(field, 'a user is not in their own group');
    if (unique(group).length !== group.length) problem(field, 'each user once');
  }
  if (settings.mode === 'simultaneous-ring' && settings.alsoRing.kind === 'team' && settings.teamMembers.length === 0) {
    problem('alsoRing', 'ringing the Team-call group needs team members');
  }
  if (settings.mode === 'simultaneous-ring' && settings.alsoRing.kind === 'delegates' && settings.delegates.length === 0) {
    problem('alsoRing', 'ringing the delegates needs delegates');
  }
  return problems;
}

/** Every user ID the settings name. */
export function referencedUsers(settings: CallForwardingSettings): string[] {
  return unique([...handoverUsers(settings), ...settings.teamMembers, ...settings.delegates]);
}

/** The settings without users since removed from the directory: a call never rings someone who is gone. */
export function withoutRemovedUsers(settings: CallForwardingSettings, exists: (userId: string) => boolean): CallForwardingSettings {
  const noAnswer = settings.noAnswer.then.kind === 'user' && !exists(settings.noAnswer.then.userId) ? { ...settings.noAnswer, then: VOICEMAIL } : settings.noAnswer;
  const common = { noAnswer, teamMembers: settings.teamMembers.filter(exists), delegates: settings.delegates.filter(exists) };
  if (settings.mode === 'forward-all') {
    return settings.forwardTo.kind === 'user' && !exists(settings.forwardTo.userId) ? { mode: 'off', ...common } : { ...settings, ...common };
  }
  if (settings.mode === 'simultaneous-ring') {
    const group = settings.alsoRing.kind === 'team' ? common.teamMembers : settings.alsoRing.kind === 'delegates' ? common.delegates : undefined;
    return group?.length === 0 ? { mode: 'off', ...common } : { ...settings, ...common };
  }
  return { ...settings, ...common };
}

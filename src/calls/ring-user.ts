import { randomUUID } from 'node:crypto';
import type { RingLeg, RoutingPlan } from '../domain/call-routing.js';
import type { User } from '../domain/user.js';
import type { Log } from '../ports/log.js';
import type { Call, Caller, DialTarget, Diversion, OutboundCall, SipRegistrar, Telephony } from '../ports/telephony.js';
import type { UserCallPair, UserCallStore } from '../ports/user-call-store.js';
import type { DialOutPurpose } from '../ports/dial-out-ledger.js';
import type { CallForwarding } from '../directory/call-forwarding.js';
import type { DialOutGuard } from '../directory/dial-out-guard.js';
import type { SipDevices } from '../directory/sip-devices.js';
import { takeMessage, type VoicemailDeps } from './voicemail.js';
import { runInBackground } from '../ports/background.js';

export interface UserCallDeps {
  readonly telephony: Pick<Telephony, 'dial' | 'bridge' | 'call'>;
  /** Answered calls, so a restarted parley can re-attach them. */
  readonly calls: UserCallStore;
  readonly registrar: Pick<SipRegistrar, 'contacts'>;
  readonly forwarding: Pick<CallForwarding, 'planFor' | 'userForNumber' | 'userCalling' | 'userById'>;
  /** Every number rung through the gateway passes the dial-out policy (the forwarding user's scope) and limits as it is dialled. */
  readonly guard: Pick<DialOutGuard, 'placeFor' | 'track'>;
  /**
   * Who a forwarded leg through the gateway shows as calling: `original`, the caller (the carrier must
   * accept a number it does not own, with the Diversion header naming the user); `user`, the forwarding
   * user's own work number. A fixed caller ID the carrier requires (DIAL_OUT_CALLER_ID) wins over both.
   */
  readonly forwardCallerId?: 'original' | 'user';
  readonly fixedCallerId?: string;
  readonly devices: Pick<SipDevices, 'usernameOf' | 'provisionAll'>;
  /** Where callers leave messages; without it, `voicemail` ends the call as busy. */
  readonly voicemail?: VoicemailDeps;
  /** How long a number the call is forwarded to may ring. */
  readonly forwardRingSeconds: number;
  readonly log: Log;
}

/** Colleagues a call may be handed on to, one after another, before it ends as unanswered. */
const MAX_HANDOVERS = 5;

/**
 * A call to a directory user's number: their phones ring (with simultaneous ring, one more number or
 * their Team or delegates too); the first to answer takes the call and the others stop ringing
 * (answered elsewhere); unanswered, the call goes where the user chose. The caller hears ringing
 * throughout and is answered only when someone picks up.
 */
export async function ringUser(call: Call, called: User, deps: UserCallDeps): Promise<void> {
  const caller = await deps.forwarding.userCalling(call.caller.number);
  const fields = { call: call.id, user: called.id };
  await call.ring();
  let userId = called.id;
  const via: string[] = [];
  for (let hop = 0; hop <= MAX_HANDOVERS; hop++) {
    const contacts = await contactsOf(userId, call, deps);
    const plan = await deps.forwarding.planFor(userId, caller?.id, contacts.map((c) => c.contact), via);
    deps.log.info({ ...fields, ringing: userId, legs: plan.legs.length, reason: plan.reason, then: plan.then.kind }, 'ringing a user');
    const targets = await targetsOf(plan, userId, contacts, call, deps);
    const answered = targets.length > 0 ? await firstToAnswer(call, targets, plan.ringSeconds, userId, deps) : undefined;
    if (answered) return connect(call, answered, userId, deps);
    if (call.ended.aborted) return;
    const next = plan.then;
    if (next.kind === 'user') {
      via.push(userId);
      userId = next.userId;
      continue;
    }
    if (next.kind === 'phone') {
      const purpose = plan.reason === 'forward-all' ? 'forward' : 'no-answer';
      const leg = await gatewayLeg(next.number, userId, purpose, call, deps);
      const forwarded = leg ? await firstToAnswer(call, [leg], deps.forwardRingSeconds, userId, deps) : undefined;
      if (forwarded) return connect(call, forwarded, userId, deps);
    }
    if (next.kind === 'voicemail' && deps.voicemail) return takeMessage(call, userId, deps.voicemail);
    // `none`: the caller's phone shows busy.
    break;
  }
  deps.log.info(fields, 'nobody answered a call to a user');
  await call.hangup('busy');
}

interface Contact {
  readonly username: string;
  readonly contact: string;
}

async function contactsOf(userId: string, call: Call, deps: UserCallDeps): Promise<Contact[]> {
  const username = await deps.devices.usernameOf(userId);
  if (!username) return [];
  return (await deps.registrar.contacts(username, call.id)).map((contact) => ({ username, contact }));
}

/** One call to place: where, as whom, and (forwarded through the gateway) for whom. */
interface Leg {
  readonly id: string;
  readonly to: DialTarget;
  readonly callerId: Caller;
  readonly diversion?: Diversion;
  /** Placed through the gateway: counted by the dial-out limits until it ends. */
  readonly gateway: boolean;
}

/** Where each leg of the plan rings: a registered contact, a number through the gateway, or a colleague's phones. */
async function targetsOf(plan: RoutingPlan, userId: string, own: readonly Contact[], call: Call, deps: UserCallDeps): Promise<Leg[]> {
  const legs: Leg[] = [];
  const device = (to: DialTarget): Leg => ({ id: randomUUID(), to, callerId: call.caller, gateway: false });
  for (const leg of plan.legs as RingLeg[]) {
    if (leg.kind === 'phone') {
      const placed = await gatewayLeg(leg.number, userId, 'simultaneous-ring', call, deps);
      if (placed) legs.push(placed);
    } else if (leg.kind === 'endpoint') {
      const mine = own.find((c) => c.contact === leg.contact);
      if (mine) legs.push(device({ endpoint: mine.username, contact: mine.contact }));
    } else {
      // A Team member or delegate rings on their own registered phones.
      for (const c of await contactsOf(leg.userId, call, deps)) legs.push(device({ endpoint: c.username, contact: c.contact }));
    }
  }
  return legs;
}

const DIVERSION_REASON: Record<Exclude<DialOutPurpose, 'dial-out' | 'add-audio' | 'call-me'>, Diversion['reason']> = {
  forward: 'unconditional',
  'no-answer': 'no-answer',
  'simultaneous-ring': 'follow-me',
};

/**
 * A number the call is forwarded to, through the gateway: only if the forwarding user may have parley
 * call it now (the dial-out policy, their scope, the limits); a refused leg is never dialled.
 */
async function gatewayLeg(number: string, userId: string, purpose: 'forward' | 'no-answer' | 'simultaneous-ring', call: Call, deps: UserCallDeps): Promise<Leg | undefined> {
  const id = randomUUID();
  const allowed = await deps.guard.placeFor(userId, number, { id, purpose });
  if (!allowed) {
    deps.log.warn({ call: call.id, user: userId, number, purpose }, 'forwarded leg refused by the dial-out policy; not placed');
    return undefined;
  }
  const user = await deps.forwarding.userById(userId);
  const own = user?.phones.work;
  const showOwn = deps.forwardCallerId === 'user' || !/[0-9]/.test(call.caller.number);
  const shown = deps.fixedCallerId ?? (showOwn && own ? own : call.caller.number);
  const callerId: Caller = shown === call.caller.number ? call.caller : { number: shown, name: call.caller.name };
  return { id, to: { phone: allowed.e164 }, callerId, gateway: true, ...(own ? { diversion: { number: own, reason: DIVERSION_REASON[purpose] } } : {}) };
}

/**
 * Rings every target at once; the first to answer wins, and the rest are told it was answered elsewhere.
 * The answered pair is remembered before anything else happens (telling the others takes a round trip
 * each): a parley restarted from then on re-attaches the call rather than ringing the phones again.
 */
async function firstToAnswer(call: Call, targets: readonly Leg[], ringSeconds: number, userId: string, deps: UserCallDeps): Promise<Call | undefined> {
  const legs: OutboundCall[] = targets.map((target) => {
    const leg = deps.telephony.dial({
      id: target.id,
      to: target.to,
      callerId: target.callerId,
      ringSeconds,
      language: call.language,
      near: { call: call.id },
      ...(target.diversion ? { diversion: target.diversion } : {}),
    });
    if (target.gateway) deps.guard.track(leg);
    return leg;
  });
  let timer: NodeJS.Timeout | undefined;
  let onHangup: (() => void) | undefined;
  const winner = await new Promise<{ leg: OutboundCall; answered: Call } | undefined>((resolve) => {
    let failed = 0;
    for (const leg of legs) {
      runInBackground(
        deps.log,
        'ring a user',
        leg.outcome.then((outcome) => {
          if ('answered' in outcome) resolve({ leg, answered: outcome.answered });
          else if (++failed === legs.length) resolve(undefined);
        }),
      );
    }
    timer = setTimeout(() => resolve(undefined), ringSeconds * 1000);
    onHangup = () => resolve(undefined);
    call.ended.addEventListener('abort', onHangup, { once: true });
  });
  clearTimeout(timer);
  if (onHangup) call.ended.removeEventListener('abort', onHangup);
  const pair = winner ? { callId: call.id, legId: winner.answered.id, userId } : undefined;
  if (pair) await remember(pair, deps);
  const losers = legs.filter((leg) => leg !== winner?.leg);
  await Promise.all(losers.map((leg) => leg.cancel(winner ? 'elsewhere' : 'normal')));
  if (pair && call.ended.aborted) {
    await hangUpPair(pair, deps);
    return undefined;
  }
  return winner?.answered;
}

/** A call answered without the database still connects; it is only not re-attached after a restart. */
async function remember(pair: UserCallPair, deps: UserCallDeps): Promise<void> {
  await deps.calls.save(pair).catch((error: unknown) => deps.log.warn({ err: String(error), call: pair.callId }, 'could not remember an answered call'));
}

/**
 * Caller and callee in a bridge of their own until either hangs up. The pair was remembered when it
 * answered, so a parley restarted before the bridging finishes it rather than dropping both.
 */
async function connect(call: Call, answered: Call, userId: string, deps: UserCallDeps): Promise<void> {
  const pair = { callId: call.id, legId: answered.id, userId };
  try {
    await bridgePair(pair, call, deps);
    await bridgePair(pair, answered, deps);
    deps.log.info({ call: call.id, answered: answered.id }, 'user call connected');
    await Promise.race([ended(call), ended(answered)]);
  } catch (error) {
    deps.log.debug({ err: String(error), call: call.id }, 'user call ended while connecting');
  } finally {
    await hangUpPair(pair, deps);
  }
}

/** One side into the pair's bridge (the caller answered first); again after a restart, to no effect if it is there. */
async function bridgePair(pair: UserCallPair, side: Call, deps: UserCallDeps): Promise<void> {
  const bridge = deps.telephony.bridge(bridgeName(pair.callId));
  if (side.id === pair.callId) await side.answer();
  await bridge.open();
  await bridge.add(side.id);
}

/**
 * After a restart: the two sides of an answered call are talking in their bridge, or were about to be.
 * Each side's flow puts itself in the bridge if it is not there, waits for its own end and then ends the other.
 */
export async function reattachUserCall(call: Call, pair: UserCallPair, deps: UserCallDeps): Promise<void> {
  deps.log.info({ call: call.id, pair: pair.callId }, 're-attached to a call to a user');
  try {
    if (!call.adoptedInBridge) await bridgePair(pair, call, deps);
    await ended(call);
  } catch (error) {
    deps.log.debug({ err: String(error), call: call.id }, 'user call ended while re-attaching');
  } finally {
    await hangUpPair(pair, deps);
  }
}

/**
 * After a (re)connect, once every live call is adopted: a call whose other side ended while parley was
 * away has nobody to wait for it, so it ends too.
 */
export async function settleUserCalls(live: ReadonlySet<string>, deps: UserCallDeps): Promise<void> {
  for (const pair of await deps.calls.all()) {
    if (live.has(pair.callId) && live.has(pair.legId)) continue;
    deps.log.info({ call: pair.callId }, 'a call to a user lost one side while parley was away');
    await hangUpPair(pair, deps);
  }
}

async function hangUpPair(pair: UserCallPair, deps: UserCallDeps): Promise<void> {
  await Promise.all([pair.callId, pair.legId].map((id) => deps.telephony.call(id)?.hangup()));
  await deps.calls.remove(pair.callId).catch((error: unknown) => deps.log.warn({ err: String(error), call: pair.callId }, 'could not forget a finished call'));
  await deps.telephony.bridge(bridgeName(pair.callId)).destroy().catch(() => undefined);
}

const bridgeName = (callId: string) => `call-${callId}`;

function ended(call: Call): Promise<void> {
  if (call.ended.aborted) return Promise.resolve();
  return new Promise((resolve) => call.ended.addEventListener('abort', () => resolve(), { once: true }));
}

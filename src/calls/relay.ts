import { randomBytes, randomUUID } from 'node:crypto';
import type { Conference } from '../domain/conference.js';
import type { PlacementStore, RelayedCaller, RelayLeg, RelayLegStore } from '../ports/cluster.js';
import type { Log } from '../ports/log.js';
import type { Call, Telephony } from '../ports/telephony.js';

/** How long a relay leg may take to reach the conference's node and be taken there. */
export const TICKET_LIFE_MS = 15_000;

export interface RelayDeps {
  readonly telephony: Pick<Telephony, 'dial' | 'bridge' | 'call'>;
  readonly placements: Pick<PlacementStore, 'place'>;
  readonly legs: RelayLegStore;
  /** The SIP URI relay legs reach a node at (media_nodes.sip_uri). */
  sipUriOf(node: string): Promise<string | undefined>;
  /** Settles when the node is found dead (its Asterisk unreachable): its relayed callers are lost. `until`: the wait is over. */
  lost(node: string, until: AbortSignal): Promise<void>;
  readonly log: Log;
}

export type PutThrough = 'here' | 'relayed' | 'unavailable';

/**
 * A cluster's caller who named a conference: it lives on this node (or is placed here now), or the
 * caller is put through to the node it lives on, and this flow stays until either side hangs up.
 * The conference's node goes on where the attendant is (passcode, PIN, name, lobby, bridge) with the
 * relay leg as the participant; keys travel over it as RFC 4733 events, the prompts come back over it.
 */
export async function putThrough(call: Call, conference: Conference, deps: RelayDeps, typedAhead: () => string = () => ''): Promise<PutThrough> {
  const here = call.node;
  if (!here) return 'here';
  const node = await deps.placements.place(conference.id, here);
  if (!node) return 'unavailable';
  if (node === here) return 'here';
  const sipUri = await deps.sipUriOf(node);
  if (!sipUri) return 'unavailable';
  const caller: RelayedCaller = {
    number: call.caller.number,
    name: call.caller.name,
    language: call.language,
    dialed: call.dialed,
    ...(call.caller.device ? { device: call.caller.device } : {}),
  };
  const leg: RelayLeg = {
    ticket: randomBytes(18).toString('base64url'),
    conferenceId: conference.id,
    fromNode: here,
    toNode: node,
    callerChannel: call.id,
    relayChannel: `${here}-relay-${randomUUID()}`,
    caller,
  };
  // Written before the leg exists: a restart from here on finds the pair and keeps (or ends) both.
  await deps.legs.open(leg);
  deps.log.info({ call: call.id, conference: conference.id, node }, 'putting the caller through to the conference node');
  const placed = deps.telephony.dial({
    id: leg.relayChannel,
    to: { relay: sipUri, ticket: leg.ticket },
    callerId: { number: call.caller.number, name: call.caller.name },
    ringSeconds: TICKET_LIFE_MS / 1000,
    language: call.language,
    near: { call: call.id },
  });
  const hungUp = ended(call).then(() => ({ failed: 'cancelled' as const }));
  const outcome = await Promise.race([placed.outcome, hungUp]);
  if (!('answered' in outcome)) {
    await placed.cancel();
    await deps.legs.close(leg.ticket).catch(() => undefined);
    return call.ended.aborted ? 'relayed' : 'unavailable';
  }
  await stayConnected(call, outcome.answered, leg, deps, typedAhead);
  return 'relayed';
}

/** Both legs in a bridge of their own until either ends or the conference's node dies; then both end. */
async function stayConnected(caller: Call, relay: Call, leg: RelayLeg, deps: RelayDeps, typedAhead: () => string): Promise<void> {
  // Taken and subscribed in one step: no key falls between the two.
  const stopKeys = passKeysOn(caller, () => relay, typedAhead());
  const over = new AbortController();
  try {
    const bridge = deps.telephony.bridge(`call-${caller.id}`);
    await bridge.open();
    await bridge.add(caller.id);
    await bridge.add(relay.id);
    await Promise.race([ended(caller), ended(relay), deps.lost(leg.toNode, over.signal)]);
  } catch (error) {
    deps.log.debug({ err: String(error), call: caller.id }, 'relayed call ended while connecting');
  } finally {
    over.abort();
    stopKeys();
    await hangUpBoth(leg, deps);
  }
}

/**
 * The caller's keys go on over the relay leg in the order pressed: those typed ahead first, then each one
 * as it comes, one request after another. (Passed through the bridge instead, a key pressed while the
 * typed-ahead ones were being sent overtook them, or sounded over them: a passcode that arrived garbled.)
 */
function passKeysOn(caller: Call, relay: () => Call | undefined, ahead = ''): () => void {
  let sending = Promise.resolve();
  const send = (digits: string) => {
    sending = sending.then(() => relay()?.sendDigits(digits)).catch(() => undefined);
  };
  const unsubscribe = caller.onDigit((digit) => send(digit));
  if (ahead) send(ahead);
  return unsubscribe;
}

/**
 * After a restart or a takeover, on the caller's node: either side of a relayed call, adopted, puts
 * itself back in the pair's bridge if it is not there, waits for its end and ends the other.
 */
export async function reattachRelay(call: Call, leg: RelayLeg, deps: RelayDeps): Promise<void> {
  deps.log.info({ call: call.id, conference: leg.conferenceId }, 're-attached to a relayed call');
  // The caller's side passes their keys on again (to the relay leg, once that is adopted too).
  const stopKeys = call.id === leg.callerChannel ? passKeysOn(call, () => deps.telephony.call(leg.relayChannel)) : () => undefined;
  const over = new AbortController();
  try {
    if (!call.adoptedInBridge) {
      const bridge = deps.telephony.bridge(`call-${leg.callerChannel}`);
      await bridge.open();
      await bridge.add(call.id);
    }
    await Promise.race([ended(call), deps.lost(leg.toNode, over.signal)]);
  } catch (error) {
    deps.log.debug({ err: String(error), call: call.id }, 'relayed call ended while re-attaching');
  } finally {
    over.abort();
    stopKeys();
    await hangUpBoth(leg, deps);
  }
}

/** After a (re)connect: a relayed call that lost a side while nobody watched it ends too. */
export async function settleRelays(nodes: readonly string[], live: ReadonlySet<string>, deps: RelayDeps): Promise<void> {
  for (const leg of await deps.legs.from(nodes)) {
    if (live.has(leg.callerChannel) && live.has(leg.relayChannel)) continue;
    deps.log.info({ call: leg.callerChannel }, 'a relayed call lost one side while parley was away');
    await hangUpBoth(leg, deps);
  }
}

async function hangUpBoth(leg: RelayLeg, deps: RelayDeps): Promise<void> {
  await Promise.all([leg.callerChannel, leg.relayChannel].map((id) => deps.telephony.call(id)?.hangup()));
  await deps.legs.close(leg.ticket).catch((error: unknown) => deps.log.warn({ err: String(error), call: leg.callerChannel }, 'could not forget a relayed call'));
  await deps.telephony.bridge(`call-${leg.callerChannel}`).destroy().catch(() => undefined);
}

function ended(call: Call): Promise<void> {
  if (call.ended.aborted) return Promise.resolve();
  return new Promise((resolve) => call.ended.addEventListener('abort', () => resolve(), { once: true }));
}

import { StoreUnavailableError } from '../domain/errors.js';
import { inBridge } from '../domain/roster.js';
import type { Attendance } from '../conferences/attendance.js';
import type { Log } from '../ports/log.js';
import { NO_METRICS, type Metrics } from '../ports/metrics.js';
import type { ParticipantStore } from '../ports/store.js';
import { CallEnded, type Call, type Telephony } from '../ports/telephony.js';
import { DEFAULT_ATTENDANT, type Attendant, type AttendantConferences, type AttendantSettings } from './attendant.js';
import { dialIn, type DeviceCaller } from './dial-in.js';
import type { KeypadIdentities } from './identify-caller.js';
import type { KeypadGuard } from './keypad-guard.js';
import { inConference } from './in-conference.js';
import type { CallLanguages } from './languages.js';
import { resumeInLobby } from './wait-in-lobby.js';
import { PROMPTS } from '../prompts/catalog.js';
import { reattachUserCall, ringUser, settleUserCalls, type UserCallDeps } from './ring-user.js';
import { traced } from './call-trace.js';
import { runInBackground } from '../ports/background.js';
import { putThrough, reattachRelay, settleRelays, TICKET_LIFE_MS, type RelayDeps } from './relay.js';
import type { RelayLeg } from '../ports/cluster.js';

export interface RouteOptions {
  readonly settings?: AttendantSettings;
  readonly identities?: KeypadIdentities;
  readonly languages?: CallLanguages;
  /** Counts wrong keypad entries across calls (slows down, then refuses, guessers). */
  readonly guard?: KeypadGuard;
  /** Calls to a directory user's number ring that user (simultaneous ring, forwarding, DND). */
  readonly userCalls?: UserCallDeps;
  /** Registers what runs when the database is back after an outage. */
  readonly onDatabaseBack?: (listener: () => Promise<void>) => void;
  /** Each call's stage, joins and why callers did not get in (GET /metrics). */
  readonly metrics?: Metrics;
  /** Whose SIP device (a user's phone, a browser) placed a call, and what to do when that call is over. */
  readonly devices?: DeviceCallers;
  /** A cluster: callers are put through to the media node their conference lives on. */
  readonly relays?: RelayDeps & { owned(): readonly string[] };
}

export interface DeviceCallers {
  callerOf(username: string): Promise<DeviceCaller | undefined>;
  ended(username: string): Promise<void>;
}

/** The attendant's parts, and the roster put right after a restart or an outage. */
export type RoutedConferences = AttendantConferences & { readonly attendance: Pick<Attendance, 'reconcile' | 'settleAll' | 'rebridge'> };

/**
 * Sends every call to its flow. A call adopted after a restart resumes where it was:
 * back in its conference if it was connected, at the attendant's start otherwise.
 */
export function routeCalls(
  telephony: Telephony,
  conferences: RoutedConferences,
  participants: Pick<ParticipantStore, 'byChannel'>,
  log: Log,
  options: RouteOptions = {},
): void {
  const metrics = options.metrics ?? NO_METRICS;
  const attendant: Attendant = {
    conferences,
    settings: options.settings ?? DEFAULT_ATTENDANT,
    identities: options.identities,
    languages: options.languages,
    log,
    guard: options.guard,
    putThrough: options.relays && ((call, conference, typedAhead) => putThrough(call, conference, options.relays!, typedAhead)),
  };
  /** Calls adopted while the database was away: where they were is not known yet, so they are left as they are. */
  const unplaced = new Map<string, Call>();
  /** Calls being told the service is unavailable: gone for the roster, whatever Asterisk still says. */
  const releasing = new Set<string>();
  telephony.onCall((call) => runInBackground(log, 'call flow', run(call), { call: call.id }));
  options.onDatabaseBack?.(async () => {
    const live = new Set([...telephony.liveCallIds()].filter((id) => !releasing.has(id)));
    const closed = await conferences.attendance.reconcile(live);
    await conferences.attendance.settleAll();
    const waiting = [...unplaced.values()].filter((call) => !call.ended.aborted);
    unplaced.clear();
    log.info({ closed, resumed: waiting.length }, 'roster reconciled after the database outage');
    for (const call of waiting) runInBackground(log, 'call flow', run(call), { call: call.id });
  });
  telephony.onSynced(async (live) => {
    // Asterisk keeps users' devices in memory: after its restart they must be there before calls ring them.
    if (options.userCalls) {
      const { userCalls } = options;
      await userCalls.devices.provisionAll().catch((error: unknown) => log.warn({ err: String(error) }, 'could not provision SIP devices'));
      await settleUserCalls(live, userCalls).catch((error: unknown) => log.warn({ err: String(error) }, 'could not settle calls to users'));
    }
    if (options.relays) {
      const { relays } = options;
      await settleRelays(relays.owned(), live, relays).catch((error: unknown) => log.warn({ err: String(error) }, 'could not settle relayed calls'));
    }
    await conferences.attendance.reconcile(live);
  });

  async function run(call: Call): Promise<void> {
    const fields = { call: call.id, adopted: call.adopted };
    const progress = traced(metrics.call(), log, fields);
    // A caller on the way into a conference: how they failed to get in counts (not so for calls to users).
    let attending = true;
    const { device } = call.caller;
    if (device && options.devices) {
      const devices = options.devices;
      const over = () => runInBackground(log, 'a device call ended', devices.ended(device), { call: call.id, device });
      if (call.ended.aborted) over();
      else call.ended.addEventListener('abort', over, { once: true });
    }
    try {
      const existing = call.adopted ? await locate(call) : undefined;
      if (existing === 'unknown') return;
      if (existing && inBridge(existing.state)) {
        attending = false;
        log.info({ ...fields, participant: existing.id }, 're-attached to its conference');
        if (!call.adoptedInBridge) {
          // Back in its bridge, or off the roster: a caller parley cannot put back is not left "connected".
          await conferences.attendance.rebridge(existing, call).catch(async (error: unknown) => {
            await conferences.attendance.leave(existing, error instanceof CallEnded ? 'hangup' : 'failed');
            throw error;
          });
        }
        progress.stage('in-conference');
        await inConference(call, existing, conferences, attendant.settings.commandKey, log);
        return;
      }
      if (existing?.state === 'lobby') {
        log.info({ ...fields, participant: existing.id }, 'back to waiting in the lobby');
        const joined = await resumeInLobby(call, existing, attendant, progress);
        if (!joined) return;
        progress.stage('in-conference');
        await inConference(call, joined, conferences, attendant.settings.commandKey, log);
        return;
      }
      const relay = !existing && options.relays ? await relayLegOf(call, options.relays) : undefined;
      if (relay === 'invalid') {
        log.warn(fields, 'a relay leg without a valid ticket: refused');
        return await call.hangup('refused');
      }
      if (relay && options.relays && relay.fromNode === call.node) {
        attending = false;
        progress.stage('relayed');
        return await reattachRelay(call, relay, options.relays);
      }
      if (relay) {
        const device = relay.caller.device ? await options.devices?.callerOf(relay.caller.device) : undefined;
        return await dialIn(call, attendant, progress, device, { conferenceId: relay.conferenceId, language: relay.caller.language });
      }
      const pair = call.adopted && !existing ? await options.userCalls?.calls.byChannel(call.id) : undefined;
      if (pair && options.userCalls) {
        userCall();
        return await reattachUserCall(call, pair, options.userCalls);
      }
      // A caller parley restarted on in the attendant starts again: the old row ends as lost, not hung up.
      if (existing) await conferences.attendance.leave(existing, call.placed ? 'not-accepted' : 'lost');
      // A call parley placed that was not yet in its conference: the invitation was lost with the restart.
      if (call.placed) return await call.hangup();
      const user = await options.userCalls?.forwarding.userForNumber(call.dialed);
      // Also a call still ringing when parley restarted (its legs were stopped): the phones ring again.
      if (user && options.userCalls) {
        userCall();
        return await ringUser(call, user, options.userCalls);
      }
      const device = call.caller.device ? await options.devices?.callerOf(call.caller.device) : undefined;
      if (call.caller.device && !device) log.warn({ ...fields, device: call.caller.device }, 'a call from a SIP device nobody owns: treated as a phone caller');
      await dialIn(call, attendant, progress, device);
    } catch (error) {
      if (error instanceof CallEnded) {
        if (attending) progress.failed('hung-up');
        log.debug(fields, 'caller hung up');
        return;
      }
      if (attending) progress.failed(error instanceof StoreUnavailableError ? 'unavailable' : 'error');
      progress.stage('farewell');
      if (error instanceof StoreUnavailableError) return await unavailable(call, fields);
      log.error({ ...fields, err: error }, 'call flow failed; releasing the call');
      await call.hangup();
    } finally {
      progress.end();
    }

    /** A call to a directory user's number: never a join, so never a failure to join. */
    function userCall(): void {
      attending = false;
      progress.stage('user-call');
    }
  }

  /**
   * A relay leg arriving from another node redeems its ticket (once); an adopted call may be either end
   * of a relayed call. 'invalid': a leg that carries no ticket this node issued for it.
   */
  async function relayLegOf(call: Call, relays: RelayDeps): Promise<RelayLeg | 'invalid' | undefined> {
    const ticket = call.caller.relayTicket;
    if (call.adopted) {
      const leg = await relays.legs.byChannel(call.id);
      return leg ?? (ticket !== undefined ? 'invalid' : undefined);
    }
    if (ticket === undefined) return undefined;
    return (await relays.legs.redeem(ticket, call.node ?? '', call.id, TICKET_LIFE_MS)) ?? 'invalid';
  }

  /** An adopted call may be in a conference: during an outage it is left alone until the database can say. */
  async function locate(call: Call) {
    try {
      return await participants.byChannel(call.id);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      log.warn({ call: call.id }, 'database unavailable; the adopted call is resumed when it is back');
      unplaced.set(call.id, call);
      return 'unknown' as const;
    }
  }

  /**
   * The database went away before this caller reached a conference (callers in one never get here):
   * they hear why, as early media when not yet answered, and are released with 503.
   */
  async function unavailable(call: Call, fields: Record<string, unknown>): Promise<void> {
    if (call.ended.aborted) {
      log.warn(fields, 'call ended while the database was unavailable; the roster is put right when it is back');
      return;
    }
    log.warn(fields, 'database unavailable; telling the caller and releasing the call');
    releasing.add(call.id);
    try {
      await call.play([PROMPTS.serviceUnavailable]).finished;
      await call.hangup('unavailable');
    } finally {
      releasing.delete(call.id);
    }
  }
}

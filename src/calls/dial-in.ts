import { looksLikeConferenceId, needsPasscode, passcodeMatches, type Conference } from '../domain/conference.js';
import { accessVerdict, entersWhenLocked, isInvited, leaderDecidesWait, leads, lobbyWait, type Entrant } from '../domain/entry.js';
import type { EndReason, Participant } from '../domain/participant.js';
import type { User } from '../domain/user.js';
import type { WrongEntryKind } from '../ports/keypad-guesses.js';
import type { Log } from '../ports/log.js';
import { NO_CALL_METRICS, type CallMetrics, type JoinFailure } from '../ports/metrics.js';
import type { Call, Prompt } from '../ports/telephony.js';
import { greetingLanguage, offerLanguages } from './choose-language.js';
import type { Attendant } from './attendant.js';
import { identifyCaller } from './identify-caller.js';
import { inConference } from './in-conference.js';
import { KeypadBuffer } from './keypad-buffer.js';
import { waitInLobby } from './wait-in-lobby.js';
import { ask, readEntry, say } from './prompt-steps.js';
import { endReasonOf, refusalOf } from './end-reasons.js';
import { PROMPTS } from '../prompts/catalog.js';

/**
 * The Conferencing Attendant, as the caller hears it. `progress` follows the call for monitoring: its
 * stage, and whether (and how fast) it joined or why not. `device`: who the SIP device that placed the
 * call belongs to. A user's phone or browser is not asked to sign in, and one that dialled a conference
 * ID (sip:4711042@host) goes straight to that conference; a guest's browser goes straight to the
 * conference of its join page, passcode known, under the name typed there.
 */
export async function dialIn(call: Call, attendant: Attendant, progress: CallMetrics = NO_CALL_METRICS, device?: DeviceCaller, relayed?: RelayedEntry): Promise<void> {
  const { conferences, settings } = attendant;
  const keypad = new KeypadBuffer(call, settings.timing.typeAheadMs);
  const refuse = (cause: JoinFailure, prompts: readonly Prompt[]) => farewell(call, keypad, prompts, progress, cause, attendant.log);
  try {
    progress.stage('greeting');
    if (!call.adopted) await call.answer();
    // A relayed caller was greeted on their own node, and goes on in the language they have.
    const offer = relayed ? (await call.setLanguage(relayed.language), []) : await greetingLanguage(call, attendant.languages);
    // Told why in the access number's language (or the one this caller chose before), and nothing else.
    if (await attendant.guard?.refuses(call)) return await refuse('keypad-refused', [PROMPTS.keypadRefused]);
    const dialled = relayed ? await relayedConference(relayed, attendant) : device ? await dialledConference(call, device, attendant) : undefined;
    if ((relayed || device?.kind === 'guest') && !dialled) return await refuse('wrong-id', [PROMPTS.ended]);
    if (!dialled) await say(call, keypad, [PROMPTS.welcome]);

    progress.stage('conference-id');
    const conference = dialled ?? await ask(call, keypad, {
      prompts: [PROMPTS.enterConferenceId],
      invalid: [PROMPTS.invalidConferenceId],
      tries: settings.tries,
      timing: settings.timing,
      accept: async (entry) => (looksLikeConferenceId(entry) ? await conferences.entry.findJoinable(entry) : undefined) ?? (await wrongEntry(call, attendant, 'conference-id', entry)),
      ...(offer.length > 0 ? { onFirstSilence: () => offerLanguages(call, keypad, offer, attendant.languages, settings.timing) } : {}),
    });
    if (conference === 'refused') return await refuse('keypad-refused', [PROMPTS.keypadRefused]);
    if (!conference) return await refuse('wrong-id', [PROMPTS.tooManyTries]);
    if (!relayed && attendant.putThrough) {
      progress.stage('relayed');
      // Keys typed ahead (the passcode after the ID) go on to the conference's node once the caller is through.
      const where = await attendant.putThrough(call, conference, () => {
        const ahead = keypad.takeAll();
        keypad.dispose();
        return ahead;
      });
      if (where === 'relayed') return;
      if (where === 'unavailable') return await refuse('unavailable', [PROMPTS.serviceUnavailable]);
    }
    // Only a signed-in leader gets into a locked meeting: without sign-in there is nobody to ask.
    if (conference.locked && !attendant.identities && !device) return await refuseAtDoor(call, keypad, conference, attendant, progress, 'locked', [PROMPTS.locked]);

    const participant = await admit(call, keypad, conference, attendant, progress, device);
    if (!participant) return;
    progress.stage('in-conference');
    await inConference(call, participant, conferences, settings.commandKey, attendant.log);
  } finally {
    keypad.dispose();
  }
}

/**
 * Who the caller is (passcode, or `*` and a PIN), whether the meeting lets them in, their name,
 * the lobby, then the bridge. Only a caller who got past the keypad is written to the roster (so
 * guessing leaves no rows behind); one refused or gone after that leaves it again.
 */
async function admit(call: Call, keypad: KeypadBuffer, conference: Conference, attendant: Attendant, progress: CallMetrics, device?: DeviceCaller): Promise<Participant | undefined> {
  const { conferences, settings } = attendant;
  const who = device ? fromDevice(conference, device) : await identify(call, keypad, conference, attendant, progress);
  if (who === undefined) return undefined;
  // The join latency runs from the caller's last answer, or from the end of a step they waited through.
  let since = keypad.answeredAt ?? performance.now();
  let participant = await conferences.entry.enter(conference, call, who.name);
  let joined: Participant | undefined;
  // For the call record: a caller who hangs up in the attendant abandoned; a farewell says which refusal.
  let ending: EndReason = 'abandoned';
  const refuse = (cause: JoinFailure, prompts: readonly Prompt[]) => {
    ending = endReasonOf(cause) ?? 'failed';
    return farewell(call, keypad, prompts, progress, cause, attendant.log);
  };
  try {
    if (who.user) participant = await conferences.entry.identify(participant, who.user, who.entrant.authenticated && who.entrant.leader, device ? 'sip' : 'pin');
    else if (who.byPasscode) participant = await conferences.entry.authenticated(participant, 'passcode');
    const verdict = accessVerdict(conference, who.entrant);
    if (verdict === 'not-invited') return await refuse('not-invited', [PROMPTS.notInvited]);
    if (verdict === 'sign-in-required') return await refuse('sign-in-required', [PROMPTS.tooManyTries]);
    if (conference.locked && !entersWhenLocked(who.entrant)) return await refuse('locked', [PROMPTS.locked]);

    if (!who.entrant.authenticated && !who.name && settings.nameSeconds > 0) {
      progress.stage('name');
      participant = await recordName(call, keypad, participant, attendant);
      since = performance.now();
    }

    const leaderPresent = leaderDecidesWait(conference, who.entrant) && (await conferences.entry.leaderPresent(conference.id));
    const wait = lobbyWait(conference, who.entrant, leaderPresent);
    const fromLobby = wait !== 'none';
    if (fromLobby) {
      progress.stage('lobby');
      const decision = await waitInLobby(call, conference, participant, wait, attendant);
      if (decision !== 'admitted') {
        // Never admitted and gone: they gave up waiting (the default 'abandoned').
        const cause = call.ended.aborted ? 'hung-up' : decision === 'denied' ? 'lobby-denied' : 'lobby-timeout';
        if (cause !== 'hung-up') ending = cause;
        // A leader turned them away: told as a removal ("A leader has removed you from the meeting").
        return await farewell(call, keypad, [cause === 'lobby-denied' ? PROMPTS.ejected : PROMPTS.lobbyTimeout], progress, cause, attendant.log);
      }
      since = performance.now();
    }
    keypad.dispose();
    progress.stage('joining');
    const overrideLock = fromLobby || entersWhenLocked(who.entrant);
    const result = await conferences.attendance.join(conference, participant, call, { overrideLock, onBridged: () => progress.joined(performance.now() - since) });
    if (result === 'gone') {
      progress.failed('hung-up');
      return undefined;
    }
    if (typeof result === 'string') return await refuse(result, [result === 'full' ? PROMPTS.full : result === 'ended' ? PROMPTS.ended : PROMPTS.locked]);
    joined = result;
    if (fromLobby) await call.play([PROMPTS.lobbyAdmitted]).finished;
    return joined;
  } finally {
    if (joined === undefined) await conferences.attendance.leave(participant, ending);
  }
}

interface Identified {
  readonly entrant: Entrant;
  /** Signed in with `*`, extension or phone number and PIN. */
  readonly user?: User;
  /** Gave the meeting's passcode (or its join page did). */
  readonly byPasscode?: boolean;
  /** The name a guest typed on the join page: no name to record. */
  readonly name?: string;
}

/** A caller put through from another media node (src/calls/relay.ts): their conference and language. */
export interface RelayedEntry {
  readonly conferenceId: string;
  readonly language: string;
}

async function relayedConference(relayed: RelayedEntry, { conferences }: Attendant): Promise<Conference | undefined> {
  const conference = await conferences.entry.conference(relayed.conferenceId);
  const joinable = conference && (await conferences.entry.findJoinable(conference.conferenceId));
  return joinable?.id === relayed.conferenceId ? joinable : undefined;
}

/** Who a SIP device that called belongs to (src/calls/route-calls.ts). */
export type DeviceCaller =
  | { readonly kind: 'user'; readonly user: User }
  | { readonly kind: 'guest'; readonly conferenceId: string; readonly displayName: string };

/** The conference a device goes straight to: the one it dialled (a user's), or its join page's (a guest's). */
async function dialledConference(call: Call, device: DeviceCaller, { conferences }: Attendant): Promise<Conference | undefined> {
  if (device.kind === 'user') return looksLikeConferenceId(call.dialed) ? await conferences.entry.findJoinable(call.dialed) : undefined;
  const conference = await conferences.entry.conference(device.conferenceId);
  const joinable = conference && (await conferences.entry.findJoinable(conference.conferenceId));
  return joinable?.id === device.conferenceId ? joinable : undefined;
}

/**
 * SIP authenticated the device: a user's, and the meeting's access type and invitation decide, never a
 * PIN or passcode; a guest's browser from a join page, which knew the passcode.
 */
function fromDevice(conference: Conference, device: DeviceCaller): Identified {
  if (device.kind === 'guest') return { entrant: { authenticated: false }, byPasscode: true, name: device.displayName };
  const { user } = device;
  return { user, entrant: { authenticated: true, leader: leads(conference, user), invited: isInvited(conference, user) } };
}

/** Anonymous with the passcode, or signed in with `*`, extension or phone number and PIN; undefined: refused or gone. */
async function identify(call: Call, keypad: KeypadBuffer, conference: Conference, attendant: Attendant, progress: CallMetrics): Promise<Identified | undefined> {
  const { settings, identities } = attendant;
  const anonymous: Identified = { entrant: { authenticated: false } };
  const refuse = (cause: JoinFailure, prompts: readonly Prompt[]) => refuseAtDoor(call, keypad, conference, attendant, progress, cause, prompts);
  let signIn = identities !== undefined && keypad.peek() === '*';
  let byPasscode = false;
  if (conference.accessType !== 'anonymous') {
    if (!identities) return await refuse('sign-in-required', [PROMPTS.signInRequired, PROMPTS.goodbye]);
    progress.stage('sign-in');
    await say(call, keypad, [PROMPTS.signInRequired]);
    signIn = true;
  } else if (!signIn && needsPasscode(conference) && !conference.locked) {
    progress.stage('passcode');
    const accepted = await ask(call, keypad, {
      prompts: identities ? [PROMPTS.enterPasscode, PROMPTS.orSignIn] : [PROMPTS.enterPasscode],
      invalid: [PROMPTS.invalidPasscode],
      tries: settings.tries,
      timing: settings.timing,
      star: identities !== undefined,
      accept: async (entry): Promise<'passcode' | '*' | 'refused' | undefined> =>
        passcodeMatches(conference, entry) ? 'passcode' : await wrongEntry(call, attendant, 'passcode', entry),
    });
    if (accepted === 'refused') return await refuse('keypad-refused', [PROMPTS.keypadRefused]);
    if (!accepted) return await refuse('wrong-passcode', [PROMPTS.tooManyTries]);
    signIn = accepted === '*';
    byPasscode = accepted === 'passcode';
  } else if (!signIn && identities) {
    // No passcode to ask (or a locked meeting only a leader may enter): one short question;
    // silence or # goes on as a guest.
    progress.stage('sign-in');
    const quick = { ...settings.timing, firstKeyMs: Math.min(settings.timing.firstKeyMs, 3000) };
    signIn = (await readEntry(call, keypad, [PROMPTS.signInOrContinue], quick, true)) === '*';
  }
  if (!signIn || !identities) return { ...anonymous, byPasscode };

  progress.stage('sign-in');
  if (keypad.peek() === '*') await keypad.next(0);
  const user = await identifyCaller(call, keypad, identities, settings, () => wrongEntry(call, attendant, 'pin'));
  if (user === 'refused') return await refuse('keypad-refused', [PROMPTS.keypadRefused]);
  if (user === 'locked') return await refuse('pin-locked', [PROMPTS.pinLocked]);
  if (!user) return await refuse('sign-in-failed', [PROMPTS.tooManyTries]);
  return { user, entrant: { authenticated: true, leader: leads(conference, user), invited: isInvited(conference, user) } };
}

/** "After the tone, say your name, then press pound": played back in roll calls and announcements. */
async function recordName(call: Call, keypad: KeypadBuffer, participant: Participant, { conferences, settings }: Attendant): Promise<Participant> {
  await call.play([PROMPTS.recordName]).finished;
  keypad.dispose();
  const recording = await call.recordName(`parley-name-${participant.id}`, { maxSeconds: settings.nameSeconds, silenceSeconds: 2 });
  return recording ? await conferences.entry.saveName(participant, recording) : participant;
}

/** Counts a wrong entry across calls (and waits, when the caller keeps guessing); 'refused' ends the call. */
async function wrongEntry(call: Call, { guard, log }: Attendant, kind: WrongEntryKind, entry?: string): Promise<'refused' | undefined> {
  // How many keys, never which: a passcode a digit short must not end up in a log.
  log?.debug({ call: call.id, kind, keys: entry?.length }, 'wrong entry');
  return (await guard?.wrong(call, kind)) === 'refused' ? 'refused' : undefined;
}

/**
 * A caller who named the conference but is refused before the roster (no passcode, no sign-in): the
 * leaders' call records keep why; the caller hears it either way.
 */
async function refuseAtDoor(
  call: Call,
  keypad: KeypadBuffer,
  conference: Conference,
  { conferences, log }: Attendant,
  progress: CallMetrics,
  cause: JoinFailure,
  prompts: readonly Prompt[],
): Promise<undefined> {
  const reason = refusalOf(cause);
  if (reason) {
    await conferences.entry.turnedAway(conference, call, reason).catch((error: unknown) => log?.warn({ err: error, call: call.id, reason }, 'could not keep the refusal for the call records'));
  }
  return farewell(call, keypad, prompts, progress, cause, log);
}

/**
 * A refusal or goodbye is always heard in full (keys typed ahead must not skip it), then the call ends.
 * The log says why too (no number: the call ID finds it).
 */
async function farewell(call: Call, keypad: KeypadBuffer, prompts: readonly Prompt[], progress: CallMetrics, cause: JoinFailure, log: Log | undefined): Promise<undefined> {
  progress.failed(cause);
  if (cause !== 'hung-up') log?.info({ call: call.id, cause }, 'caller released before joining');
  progress.stage('farewell');
  keypad.dispose();
  await call.play(prompts).finished;
  await call.hangup();
  return undefined;
}

import { admission, looksLikeConferenceId, needsPasscode, passcodeMatches, type Conference } from '../domain/conference.js';
import type { Call } from '../ports/telephony.js';
import type { ConferenceService } from '../conferences/conference-service.js';
import { inConference } from './in-conference.js';
import { KeypadBuffer } from './keypad-buffer.js';
import { ask, say, type EntryTiming } from './prompt-steps.js';
import { PROMPTS } from './prompts.js';

export interface AttendantSettings {
  readonly tries: number;
  readonly timing: EntryTiming;
}

export const DEFAULT_ATTENDANT: AttendantSettings = { tries: 3, timing: { firstKeyMs: 5000, betweenKeysMs: 4000 } };

/** The Conferencing Attendant, as the caller hears it. */
export async function dialIn(call: Call, conferences: ConferenceService, settings = DEFAULT_ATTENDANT): Promise<void> {
  const keypad = new KeypadBuffer(call);
  try {
    if (!call.adopted) await call.answer();
    await say(call, keypad, [PROMPTS.welcome]);

    const conference = await ask(call, keypad, {
      prompts: [PROMPTS.enterConferenceId],
      invalid: [PROMPTS.invalidConferenceId],
      tries: settings.tries,
      timing: settings.timing,
      accept: (entry) => (looksLikeConferenceId(entry) ? conferences.findJoinable(entry) : Promise.resolve(undefined)),
    });
    if (!conference) return await goodbye(call, keypad);
    if (!(await mayEnter(call, keypad, conference))) return;

    const entering = await conferences.enter(conference, call);
    let joined: Awaited<ReturnType<ConferenceService['join']>> | undefined;
    try {
      if (needsPasscode(conference) && !(await passcodeAccepted(call, keypad, conference, settings))) {
        return await goodbye(call, keypad);
      }
      keypad.dispose();
      joined = await conferences.join(conference, entering, call);
    } finally {
      // Refused, failed or hung up before the bridge: the roster must not keep a half-entered caller.
      if (joined === undefined || joined === 'locked') await conferences.leave(entering);
    }
    if (joined === 'locked') {
      await call.play([PROMPTS.conferenceLocked, PROMPTS.goodbye]).finished;
      return await call.hangup();
    }
    await inConference(call, joined, conferences);
  } finally {
    keypad.dispose();
  }
}

function passcodeAccepted(call: Call, keypad: KeypadBuffer, conference: Conference, settings: AttendantSettings) {
  return ask(call, keypad, {
    prompts: [PROMPTS.enterPasscode],
    invalid: [PROMPTS.invalidPasscode],
    tries: settings.tries,
    timing: settings.timing,
    accept: async (entry) => (passcodeMatches(conference, entry) ? true : undefined),
  });
}

async function mayEnter(call: Call, keypad: KeypadBuffer, conference: Conference): Promise<boolean> {
  const verdict = admission(conference);
  if (verdict.admitted) return true;
  keypad.dispose();
  // A refusal is always heard in full: keys typed ahead must not skip it.
  await call.play([PROMPTS.conferenceLocked, PROMPTS.goodbye]).finished;
  await call.hangup();
  return false;
}

async function goodbye(call: Call, keypad: KeypadBuffer): Promise<void> {
  keypad.dispose();
  await call.play([PROMPTS.goodbye]).finished;
  await call.hangup();
}

import { admission, looksLikeConferenceId, needsPasscode, passcodeMatches, type Conference } from '../domain/conference.js';
import type { Participant } from '../domain/participant.js';
import type { ConferenceService } from '../conferences/conference-service.js';
import type { Call } from '../ports/telephony.js';
import { identifyCaller, type KeypadIdentities } from './identify-caller.js';
import { inConference } from './in-conference.js';
import { KeypadBuffer } from './keypad-buffer.js';
import { ask, say, type EntryTiming } from './prompt-steps.js';
import { PROMPTS } from './prompts.js';

export interface AttendantSettings {
  readonly tries: number;
  readonly timing: EntryTiming;
}

export const DEFAULT_ATTENDANT: AttendantSettings = { tries: 3, timing: { firstKeyMs: 5000, betweenKeysMs: 4000 } };

/** The Conferencing Attendant, as the caller hears it. `identities`: callers may press * to sign in with their PIN. */
export async function dialIn(
  call: Call,
  conferences: ConferenceService,
  settings = DEFAULT_ATTENDANT,
  identities?: KeypadIdentities,
): Promise<void> {
  const keypad = new KeypadBuffer(call);
  try {
    if (!call.adopted) await call.answer();
    await say(call, keypad, [PROMPTS.welcome]);

    const conference = await ask(call, keypad, {
      prompts: [PROMPTS.enterConferenceId],
      invalid: [PROMPTS.invalidConferenceId],
      tries: settings.tries,
      timing: settings.timing,
      accept: async (entry) => (looksLikeConferenceId(entry) ? conferences.findJoinable(entry) : undefined),
    });
    if (!conference) return await goodbye(call, keypad);
    if (!admission(conference).admitted) return await refuse(call, keypad);

    const participant = await admit(call, keypad, conference, conferences, settings, identities);
    if (participant) await inConference(call, participant, conferences);
  } finally {
    keypad.dispose();
  }
}

/**
 * The passcode when the meeting has one (or `*` and a PIN instead), then the bridge. A caller
 * refused or gone before the bridge leaves the roster.
 */
async function admit(
  call: Call,
  keypad: KeypadBuffer,
  conference: Conference,
  conferences: ConferenceService,
  settings: AttendantSettings,
  identities: KeypadIdentities | undefined,
): Promise<Participant | undefined> {
  const entering = await conferences.enter(conference, call);
  let joined: Participant | 'locked' | undefined;
  try {
    let signIn = identities !== undefined && keypad.peek() === '*';
    if (!signIn && needsPasscode(conference)) {
      const accepted = await ask(call, keypad, {
        prompts: [PROMPTS.enterPasscode],
        invalid: [PROMPTS.invalidPasscode],
        tries: settings.tries,
        timing: settings.timing,
        star: identities !== undefined,
        accept: async (entry): Promise<'passcode' | '*' | undefined> => (passcodeMatches(conference, entry) ? 'passcode' : undefined),
      });
      if (!accepted) return await goodbye(call, keypad);
      signIn = accepted === '*';
    }
    if (signIn && identities) {
      if (keypad.peek() === '*') await keypad.next(0);
      const user = await identifyCaller(call, keypad, identities, settings);
      if (user === 'locked') return await refuseWith(call, keypad, [PROMPTS.pinLocked]);
      if (!user) return await goodbye(call, keypad);
      await conferences.identify(entering, user, conference);
    }
    keypad.dispose();
    joined = await conferences.join(conference, entering, call);
  } finally {
    if (joined === undefined || joined === 'locked') await conferences.leave(entering);
  }
  if (joined === 'locked') return await refuse(call, keypad);
  return joined;
}

/** A refusal is always heard in full: keys typed ahead must not skip it. */
function refuse(call: Call, keypad: KeypadBuffer): Promise<undefined> {
  return refuseWith(call, keypad, [PROMPTS.conferenceLocked, PROMPTS.goodbye]);
}

async function refuseWith(call: Call, keypad: KeypadBuffer, prompts: readonly string[]): Promise<undefined> {
  keypad.dispose();
  await call.play(prompts).finished;
  await call.hangup();
  return undefined;
}

async function goodbye(call: Call, keypad: KeypadBuffer): Promise<undefined> {
  keypad.dispose();
  await call.play([PROMPTS.goodbye]).finished;
  await call.hangup();
  return undefined;
}

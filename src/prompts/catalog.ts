import { COMMANDS, type CommandDigit, type CommandKey } from '../domain/keypad.js';
import type { Prompt } from '../ports/telephony.js';

/**
 * Every prompt a flow can say, by role: parley's own catalog (prompts/<locale>.json), rendered for
 * every locale into Asterisk's sounds/<ll_CC>/parley/, so each caller hears their own language.
 */
export const PROMPTS = {
  welcome: 'parley/welcome',
  enterConferenceId: 'parley/enter-conference-id',
  invalidConferenceId: 'parley/invalid-conference-id',
  enterPasscode: 'parley/enter-passcode',
  invalidPasscode: 'parley/invalid-passcode',
  signInRequired: 'parley/sign-in-required',
  /** Sign-in is always with `*`, whatever the in-conference command key. */
  signInOrContinue: 'parley/sign-in-or-continue-star',
  orSignIn: 'parley/or-sign-in-star',
  enterIdentity: 'parley/enter-extension',
  enterPin: 'parley/enter-pin',
  invalidPin: 'parley/invalid-pin',
  pinLocked: 'parley/pin-locked',
  /** The caller's number made too many wrong entries (across calls) and is refused for a while. */
  keypadRefused: 'parley/keypad-refused',
  notInvited: 'parley/not-invited',
  tooManyTries: 'parley/too-many-tries',
  recordName: 'parley/record-name',
  lobbyWaitLeader: 'parley/lobby-wait-leader',
  lobbyWaitAdmit: 'parley/lobby-wait-admit',
  lobbyAdmitted: 'parley/lobby-admitted',
  lobbyTimeout: 'parley/lobby-timeout',
  locked: 'parley/locked',
  full: 'parley/full',
  ended: 'parley/ended',
  onlyParticipant: 'parley/only-participant',
  muted: 'parley/muted',
  unmuted: 'parley/unmuted',
  mutedByLeader: 'parley/muted-by-leader',
  unmutedByLeader: 'parley/unmuted-by-leader',
  cannotUnmute: 'parley/cannot-unmute',
  ejected: 'parley/ejected',
  goodbye: 'parley/goodbye',
  /** The database is away: new callers hear this and are released (the dialplan plays it too when parley is down). */
  serviceUnavailable: 'parley/service-unavailable',
  /** A call to a user nobody answered, going to their voicemail. */
  voicemailGreeting: 'parley/voicemail-greeting',
  /** A call parley placed: what it is, who asks, and how to accept (so voicemail never joins). */
  invitation: 'parley/invitation',
  invitedBy: 'parley/invited-by',
  invitationPress1: 'parley/invitation-press-1',
  helpIntro: 'parley/help-intro',
  leaderOnly: 'parley/leader-only',
  rollCall: 'parley/roll-call',
  rollCallOthers: 'parley/roll-call-others',
  participantCount: 'parley/participant-count',
  hasJoined: 'parley/has-joined',
  hasLeft: 'parley/has-left',
  peopleJoined: 'parley/people-joined',
  peopleLeft: 'parley/people-left',
  announcementsOn: 'parley/announcements-on',
  announcementsOff: 'parley/announcements-off',
  meetingLocked: 'parley/meeting-locked',
  meetingUnlocked: 'parley/meeting-unlocked',
  audienceMuted: 'parley/audience-muted',
  audienceUnmuted: 'parley/audience-unmuted',
  lobbyAdmittedAll: 'parley/lobby-admitted-all',
  lobbyEmpty: 'parley/lobby-empty',
  recordingStarted: 'parley/recording-started',
  recordingNotice: 'parley/recording-notice',
  recordingStopped: 'parley/recording-stopped',
  promoted: 'parley/promoted',
  demoted: 'parley/demoted',
  toneEnter: 'parley/tone-enter',
  toneExit: 'parley/tone-exit',
} as const;

/** Prompts that name the command key ("press star 6") exist once per key: parley/help-6-star, parley/help-6-pound. */
export type KeyedPrompt = `help-${CommandDigit}` | 'still-muted' | 'unknown-command' | 'lobby-waiting';

/** Every keyed prompt, for the check that each locale's catalog has them all. */
export const KEYED_PROMPTS: readonly KeyedPrompt[] = [
  ...COMMANDS.map((c) => `help-${c.digit}` as const),
  'still-muted',
  'unknown-command',
  'lobby-waiting',
];

export function keyed(prompt: KeyedPrompt, commandKey: CommandKey): Prompt {
  return `parley/${prompt}-${commandKey === '*' ? 'star' : 'pound'}`;
}

/** "For English, press 1", said in that language. */
export function languageOffer(digit: number): Prompt {
  return `parley/language-${digit}`;
}

/** Numbers are pre-rendered per locale, 0 to 100; beyond that, "more than one hundred". */
export function numberPrompt(n: number): Prompt {
  return n >= 0 && n <= 100 ? `parley/number-${Math.floor(n)}` : 'parley/number-many';
}

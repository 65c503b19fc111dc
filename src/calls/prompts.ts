/**
 * Every prompt a flow can say, by role. Values are sound names Asterisk resolves in the
 * caller's language: stock core sounds where they say the right thing, parley/* where they do not.
 */
export const PROMPTS = {
  welcome: 'parley/welcome',
  enterConferenceId: 'conf-getconfno',
  invalidConferenceId: 'conf-invalid',
  enterPasscode: 'conf-getpin',
  invalidPasscode: 'conf-invalidpin',
  conferenceLocked: 'conf-locked',
  onlyParticipant: 'conf-onlyperson',
  muted: 'conf-muted',
  unmuted: 'conf-unmuted',
  ejected: 'conf-kicked',
  goodbye: 'goodbye',
  enterIdentity: 'parley/enter-extension',
  enterPin: 'confbridge-pin',
  invalidPin: 'confbridge-pin-bad',
  pinLocked: 'parley/pin-locked',
} as const;

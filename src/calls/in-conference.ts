import { inConferenceKeys } from '../domain/keypad.js';
import type { Participant } from '../domain/participant.js';
import type { ConferenceService } from '../conferences/conference-service.js';
import type { Call } from '../ports/telephony.js';
import { untilEnded } from './wait.js';

/** While the caller is in the conference: their keypad commands, until they hang up or are removed. */
export async function inConference(call: Call, participant: Participant, conferences: ConferenceService): Promise<void> {
  const keys = inConferenceKeys();
  const stopKeys = call.onDigit((digit) => {
    if (keys(digit) === 'toggle-mute') void conferences.toggleSelfMute(participant.id);
  });
  const stopTalking = call.watchTalking((talking) => void conferences.setTalking(participant.id, talking));
  try {
    await untilEnded(call.ended);
  } finally {
    stopKeys();
    stopTalking();
    await conferences.leave(participant);
  }
}

import type { Conference } from '../domain/conference.js';
import type { LobbyWait } from '../domain/entry.js';
import type { Participant } from '../domain/participant.js';
import type { Call } from '../ports/telephony.js';
import type { Attendant } from './attendant.js';
import { PROMPTS } from './prompts.js';
import { race } from './wait.js';

/**
 * The caller waits in the lobby with music, told why, until a leader arrives or admits them.
 * Returns false when nobody did within the lobby's time limit.
 */
export async function waitInLobby(
  call: Call,
  conference: Conference,
  participant: Participant,
  wait: Exclude<LobbyWait, 'none'>,
  { conferences, settings }: Pick<Attendant, 'conferences' | 'settings'>,
): Promise<boolean> {
  const admission = conferences.admission(participant.id);
  try {
    await call.play([wait === 'until-leader' ? PROMPTS.lobbyWaitLeader : PROMPTS.lobbyWaitAdmit]).finished;
    await conferences.toLobby(conference, participant, call);
    // A leader who arrived between the decision and the move to the lobby admitted nobody new.
    const leaderCame = wait === 'until-leader' && (await conferences.leaderPresent(conference.id));
    const admitted = leaderCame || (await race(call.ended, admission.admitted, settings.lobbyMaxMs));
    if (admitted) await call.play([PROMPTS.lobbyAdmitted]).finished;
    return admitted === true;
  } finally {
    admission.cancel();
    await conferences.leaveLobby(conference.id, call);
  }
}

import type { Conference } from '../domain/conference.js';
import type { LobbyWait } from '../domain/entry.js';
import type { Participant } from '../domain/participant.js';
import { NO_CALL_METRICS, type CallMetrics } from '../ports/metrics.js';
import type { Call } from '../ports/telephony.js';
import type { Attendant } from './attendant.js';
import { PROMPTS } from '../prompts/catalog.js';
import { race } from './wait.js';
import { endReasonOf } from './end-reasons.js';

/**
 * The caller waits in the lobby with music, told why, until a leader arrives, admits them or turns them
 * away. Undefined when nobody decided within the lobby's time limit (or the caller hung up). A leader's
 * admission stands even if the meeting was locked meanwhile: the caller joins with the lock overridden.
 */
export async function waitInLobby(
  call: Call,
  conference: Conference,
  participant: Participant,
  wait: Exclude<LobbyWait, 'none'>,
  { conferences, settings }: Pick<Attendant, 'conferences' | 'settings'>,
  /** The call was already waiting when parley restarted: it is still in the lobby bridge, with music. */
  resumed = false,
): Promise<'admitted' | 'denied' | undefined> {
  const admission = conferences.lobby.admission(participant.id);
  try {
    if (!resumed) {
      await call.play([wait === 'until-leader' ? PROMPTS.lobbyWaitLeader : PROMPTS.lobbyWaitAdmit]).finished;
      await conferences.lobby.enter(conference, participant, call);
    }
    // Admitted before this flow listened (a leader quick to press *8, or while parley restarted), or a
    // leader who arrived between the decision and the move to the lobby: no wake-up will come.
    const admittedAlready = (await conferences.entry.participant(participant.id))?.state === 'connecting';
    const leaderCame = wait === 'until-leader' && (await conferences.entry.leaderPresent(conference.id));
    if (admittedAlready || leaderCame) return 'admitted';
    return await race(call.ended, admission.decided, settings.lobbyMaxMs);
  } finally {
    admission.cancel();
    await conferences.lobby.leave(conference.id, call);
  }
}

/** After a restart: a caller who was waiting in the lobby waits on, then joins as a guest. */
export async function resumeInLobby(call: Call, participant: Participant, attendant: Attendant, progress: CallMetrics = NO_CALL_METRICS): Promise<Participant | undefined> {
  const { conferences } = attendant;
  progress.stage('lobby');
  const conference = await conferences.entry.conference(participant.conferenceId);
  if (!conference || conference.status === 'ended') {
    progress.failed('ended');
    progress.stage('farewell');
    await call.play([PROMPTS.ended]).finished;
    await call.hangup();
    return undefined;
  }
  const wait = conference.lobbyBypass ? 'until-leader' : 'until-admitted';
  conferences.lobby.rejoin(conference.id, call);
  const decision = await waitInLobby(call, conference, participant, wait, attendant, true);
  const admitted = decision === 'admitted';
  const since = performance.now();
  if (admitted) progress.stage('joining');
  const onBridged = () => progress.joined(performance.now() - since);
  const joined = admitted ? await conferences.attendance.join(conference, participant, call, { overrideLock: true, onBridged }) : undefined;
  if (typeof joined === 'object') {
    await call.play([PROMPTS.lobbyAdmitted]).finished;
    return joined;
  }
  const cause = joined === 'gone' || call.ended.aborted ? 'hung-up' : decision === 'denied' ? 'lobby-denied' : joined === undefined ? 'lobby-timeout' : joined;
  progress.failed(cause);
  progress.stage('farewell');
  await conferences.attendance.leave(participant, endReasonOf(cause) ?? 'failed');
  const refusal = joined === 'full' ? PROMPTS.full : joined === 'ended' ? PROMPTS.ended : PROMPTS.locked;
  await call.play([admitted ? refusal : decision === 'denied' ? PROMPTS.ejected : PROMPTS.lobbyTimeout]).finished;
  await call.hangup();
  return undefined;
}

import { DomainError } from '../domain/errors.js';
import type { Participant } from '../domain/participant.js';
import { inBridge } from '../domain/roster.js';
import type { ParticipantStore } from '../ports/store.js';
import type { Call, Telephony } from '../ports/telephony.js';

/** A participant of this conference who is in the bridge now, with their call; otherwise the coded reason. */
export async function connectedCall(
  participants: Pick<ParticipantStore, 'get'>,
  telephony: Pick<Telephony, 'call'>,
  conferenceId: string,
  participantId: string,
): Promise<{ participant: Participant; call: Call }> {
  const participant = await participants.get(participantId);
  if (participant?.conferenceId !== conferenceId) throw new DomainError('participant-not-found', `no participant ${participantId}`);
  const call = inBridge(participant.state) ? telephony.call(participant.channelId) : undefined;
  if (!call) throw new DomainError('participant-not-connected', `participant ${participantId} is not connected`);
  return { participant, call };
}

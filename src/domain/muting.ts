import type { Conference } from './conference.js';
import type { MutedBy, Participant, ParticipantRole, ParticipantState } from './participant.js';

/**
 * The conference's mute rules: who the audience mute reaches, who may lift their own mute, and what a
 * line carries. Leaders are never the audience.
 */

/** A caller joining while the audience is muted joins muted, unless they lead. */
export function joinsMuted(conference: Pick<Conference, 'audienceMuted'>, joiner: Pick<Participant, 'role'>): boolean {
  return conference.audienceMuted && joiner.role !== 'leader';
}

/**
 * `*6` is refused to a caller muted with the audience while the meeting keeps the audience muted and
 * does not let it unmute itself.
 */
export function maySelfUnmute(
  participant: Pick<Participant, 'muted' | 'mutedBy'>,
  conference: Pick<Conference, 'audienceMuted' | 'audienceMayUnmute'> | undefined,
): boolean {
  if (!participant.muted || participant.mutedBy !== 'audience') return true;
  return !conference?.audienceMuted || conference.audienceMayUnmute;
}

/**
 * Whom muting (or unmuting) the audience changes: muting reaches every non-leader not yet muted;
 * lifting it leaves callers who muted themselves, or whom a leader muted, muted.
 */
export function audienceMuteTargets<P extends Pick<Participant, 'role' | 'muted' | 'mutedBy'>>(present: readonly P[], muted: boolean): P[] {
  return present.filter((p) => p.role !== 'leader' && (muted ? !p.muted : p.muted && p.mutedBy === 'audience'));
}

/** A line on hold stays silenced at the channel whatever the roster's mute says. */
export function lineSilenced(muted: boolean, state: ParticipantState): boolean {
  return muted || state === 'on-hold';
}

/** Who the caller is told changed their mute: themselves, or a leader (the audience mute is a leader's act). */
export function mutedByLeader(by: MutedBy): boolean {
  return by !== 'self';
}

/**
 * Promoted or demoted on the call: a new leader leaves the audience mute (true: unmute them), a new
 * audience member joins it when it is on (false: mute them); otherwise nothing changes (undefined).
 */
export function muteAfterRoleChange(
  role: ParticipantRole,
  participant: Pick<Participant, 'muted' | 'mutedBy'>,
  conference: Pick<Conference, 'audienceMuted'>,
): 'unmute' | 'mute' | undefined {
  if (role === 'leader' && participant.mutedBy === 'audience') return 'unmute';
  if (role === 'participant' && conference.audienceMuted && !participant.muted) return 'mute';
  return undefined;
}

/** The audience mute is for one gathering: the last caller out lifts it, so the next one starts open. */
export function audienceMuteLapses(conference: Pick<Conference, 'audienceMuted'>, present: number): boolean {
  return present === 0 && conference.audienceMuted;
}

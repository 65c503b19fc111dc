import type { Conference } from './conference.js';
import { leads, isInvited } from './entry.js';
import type { Participant } from './participant.js';
import { isAdmin, type Principal } from './user.js';

/** What a principal may do in a live conference: act on it (leader), only watch it (participant), or nothing. */
export type ConferenceAccess = 'leader' | 'participant' | 'none';

/**
 * Leaders act: administrators, the organiser, the meeting's leaders, and anyone promoted on the call
 * (their live participant row says leader). Participants only read the roster and events: invitees
 * and anyone on the call now. Everyone else sees nothing.
 */
export function conferenceAccess(principal: Principal, conference: Conference, roster: readonly Participant[]): ConferenceAccess {
  if (isAdmin(principal)) return 'leader';
  if (principal.kind !== 'user') return 'none';
  const user = principal.user;
  const mine = roster.filter((p) => p.userId === user.id && p.state !== 'disconnected');
  if (leads(conference, user) || mine.some((p) => p.role === 'leader')) return 'leader';
  if (mine.length > 0 || isInvited(conference, user)) return 'participant';
  return 'none';
}

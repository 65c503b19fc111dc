import type { Conference } from './conference.js';

/** Who a caller is once the attendant has asked: anonymous, or a directory user who signed in with their PIN. */
export type Entrant =
  | { readonly authenticated: false }
  | { readonly authenticated: true; readonly leader: boolean; readonly invited: boolean };

export interface DirectoryIdentity {
  readonly id: string;
  readonly email: string;
  readonly sipUri: string;
}

/** The organiser and the listed leaders lead the meeting. */
export function leads(conference: Conference, user: DirectoryIdentity): boolean {
  return conference.organizerId === user.id || conference.promotedUserIds.includes(user.id) || listed(conference.leaders, user);
}

/** On the invitation: the organiser, a leader or an invitee. */
export function isInvited(conference: Conference, user: DirectoryIdentity): boolean {
  return leads(conference, user) || listed(conference.invitees, user);
}

function listed(list: readonly string[], user: DirectoryIdentity): boolean {
  return list.some((entry) => {
    const value = entry.trim().toLowerCase();
    return value === user.email.toLowerCase() || value === user.sipUri.toLowerCase();
  });
}

export type AccessVerdict = 'enter' | 'sign-in-required' | 'not-invited';

/**
 * The meeting access types: anonymous allowed (anyone with the ID and passcode), open authenticated
 * (PIN-authenticated users only), closed authenticated (PIN-authenticated users on the invitation only).
 */
export function accessVerdict(conference: Conference, entrant: Entrant): AccessVerdict {
  if (conference.accessType === 'anonymous') return 'enter';
  if (!entrant.authenticated) return 'sign-in-required';
  if (conference.accessType === 'closed' && !entrant.leader && !entrant.invited) return 'not-invited';
  return 'enter';
}

export type LobbyWait = 'none' | 'until-leader' | 'until-admitted';

/**
 * Whether the caller waits in the lobby: unauthenticated callers cannot start a meeting (join-before-leader
 * off), and with lobby bypass off they always wait for a leader to admit them. Signed-in users go straight in.
 */
export function lobbyWait(conference: Conference, entrant: Entrant, leaderPresent: boolean): LobbyWait {
  if (entrant.authenticated) return 'none';
  if (!conference.lobbyBypass) return 'until-admitted';
  if (!conference.joinBeforeLeader && !leaderPresent) return 'until-leader';
  return 'none';
}

/** Whether `lobbyWait` depends on a leader being present for this caller: only then is it worth looking up. */
export function leaderDecidesWait(conference: Conference, entrant: Entrant): boolean {
  return !entrant.authenticated && conference.lobbyBypass && !conference.joinBeforeLeader;
}

/** Only a signed-in leader may enter a locked meeting. */
export function entersWhenLocked(entrant: Entrant): boolean {
  return entrant.authenticated && entrant.leader;
}

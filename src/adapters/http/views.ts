import type { Participant } from '../../domain/participant.js';
import type { Meeting } from '../../scheduling/meetings.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function conferenceView({ conference, dialIn }: Meeting) {
  return {
    id: conference.id,
    conferenceId: conference.conferenceId,
    subject: conference.subject,
    accessType: conference.accessType,
    ...(conference.passcode === null ? {} : { passcode: conference.passcode }),
    locked: conference.locked,
    status: conference.status,
    startsAt: iso(conference.startsAt),
    endsAt: iso(conference.endsAt),
    createdAt: conference.createdAt.toISOString(),
    usesPersonalId: conference.usesPersonalId,
    timeZone: conference.timeZone,
    recurrence: conference.recurrence,
    invitees: [...conference.invitees],
    leaders: [...conference.leaders],
    joinBeforeLeader: conference.joinBeforeLeader,
    lobbyBypass: conference.lobbyBypass,
    announceEntryExit: conference.announceEntryExit,
    announceWith: conference.announceWith,
    audienceMuted: conference.audienceMuted,
    audienceMayUnmute: conference.audienceMayUnmute,
    maxParticipants: conference.maxParticipants,
    sequence: conference.sequence,
    cancelledAt: iso(conference.cancelledAt),
    joinWindow: { opensAt: conference.opensAt.toISOString(), expiresAt: iso(conference.expiresAt) },
    dialIn: dialIn.map((n) => ({ number: n.number, display: n.display, region: n.region, languages: [...n.languages] })),
  };
}

export function participantView(p: Participant) {
  return {
    id: p.id,
    displayName: p.displayName,
    role: p.role,
    state: p.state,
    muted: p.muted,
    mutedBy: p.mutedBy,
    talking: p.talking,
    via: p.via,
    joinedAt: iso(p.joinedAt),
    leftAt: iso(p.leftAt),
  };
}

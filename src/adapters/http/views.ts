import type { DoorRefusal, Participant } from '../../domain/participant.js';
import { reportedStatus, type Conference } from '../../domain/conference.js';
import type { AuditRecord } from '../../ports/audit.js';
import type { ConferenceEvent, LiveState } from '../../ports/events.js';
import type { ConferenceSession } from '../../ports/history.js';
import type { Meeting } from '../../meetings/meetings.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function conferenceView({ conference, dialIn }: Meeting) {
  return {
    id: conference.id,
    conferenceId: conference.conferenceId,
    subject: conference.subject,
    accessType: conference.accessType,
    ...(conference.passcode === null ? {} : { passcode: conference.passcode }),
    locked: conference.locked,
    status: reportedStatus(conference),
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
    noisy: p.noisy,
    via: p.via,
    number: p.rosterNumber,
    joinedAt: iso(p.joinedAt),
    leftAt: iso(p.leftAt),
    endReason: p.endReason,
  };
}

/** What the panel shows of the conference itself, live. */
export function liveView(conference: LiveState | Conference) {
  return {
    locked: conference.locked,
    status: 'cancelledAt' in conference ? reportedStatus(conference) : conference.status,
    audienceMuted: conference.audienceMuted,
    announceEntryExit: conference.announceEntryExit,
    activeSpeakerId: conference.activeSpeakerId,
  };
}

/** One event as the stream sends it (`data:`), and as a client resuming reads it. */
export function eventView(event: ConferenceEvent) {
  const base = { seq: event.seq, at: event.at.toISOString() };
  switch (event.type) {
    case 'participant':
      return { ...base, participant: participantView(event.participant) };
    case 'conference':
      return { ...base, conference: liveView(event.conference) };
    case 'session':
      return { ...base, session: event.session };
    case 'recording':
      return { ...base, recording: event.recording };
    case 'invitation':
      return { ...base, invitation: event.invitation };
  }
}

/** The call detail record of one participant. */
export function callRecordView(p: Participant) {
  const seconds = p.joinedAt && p.leftAt ? Math.round((p.leftAt.getTime() - p.joinedAt.getTime()) / 1000) : null;
  return {
    id: p.id,
    displayName: p.displayName,
    role: p.role,
    via: p.via,
    authMethod: p.authMethod,
    language: p.language,
    joinedAt: iso(p.joinedAt),
    leftAt: iso(p.leftAt),
    durationSeconds: seconds,
    endReason: p.endReason,
  };
}

export function refusedView(r: DoorRefusal) {
  return { at: r.at.toISOString(), caller: r.caller, reason: r.reason, language: r.language };
}

export function sessionView(s: ConferenceSession) {
  return { id: s.id, startedAt: s.startedAt.toISOString(), endedAt: iso(s.endedAt), peakParticipants: s.peakParticipants, endedBy: s.endedBy };
}

export function auditView(r: AuditRecord) {
  return { id: r.id, at: r.at.toISOString(), actor: r.actor, action: r.action, participantId: r.participantId ?? null, detail: r.detail ?? {} };
}

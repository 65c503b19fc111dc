import { conferenceAccess, type ConferenceAccess } from '../domain/conference-access.js';
import type { Conference } from '../domain/conference.js';
import { DomainError } from '../domain/errors.js';
import type { Participant, ParticipantRole } from '../domain/participant.js';
import type { Principal } from '../domain/user.js';
import type { AuditAction, AuditLog } from '../ports/audit.js';
import type { Recording } from '../ports/recordings.js';
import type { ConferenceStore, ParticipantStore } from '../ports/store.js';
import { muteAfterRoleChange } from '../domain/muting.js';
import { stillLive } from '../domain/roster.js';
import { PROMPTS } from '../prompts/catalog.js';
import type { Lobby } from './lobby.js';
import type { Moderation } from './moderation.js';
import type { Muting } from './muting.js';
import type { Recorder } from './recorder.js';

export interface LeaderControlDeps {
  readonly conferences: ConferenceStore;
  readonly participants: ParticipantStore;
  readonly muting: Pick<Muting, 'setMuted' | 'setAudienceMuted'>;
  readonly moderation: Pick<Moderation, 'eject' | 'setLocked' | 'endForEveryone' | 'tell'>;
  readonly lobby: Pick<Lobby, 'admit' | 'deny'>;
  /** Undefined when the deployment keeps no recordings. */
  readonly recorder: Pick<Recorder, 'start' | 'stop'> | undefined;
  readonly audit: AuditLog;
}

/**
 * What leaders do from the API and the panel: each action is authorised for this conference, applied
 * through the live conference's parts (the caller hears it), and written to the audit log.
 */
export class LeaderControl {
  constructor(private readonly deps: LeaderControlDeps) {}

  /**
   * The conference, its roster (read to decide, and handed back so callers need not read it again) and
   * what this principal may do in it; strangers get not-in-conference.
   */
  async access(
    principal: Principal,
    conferenceId: string,
  ): Promise<{ conference: Conference; roster: Participant[]; access: Exclude<ConferenceAccess, 'none'> }> {
    const conference = await this.deps.conferences.get(conferenceId);
    if (!conference) throw new DomainError('conference-not-found', `no conference ${conferenceId}`);
    const roster = await this.deps.participants.list(conferenceId);
    const access = conferenceAccess(principal, conference, roster);
    if (access === 'none') throw new DomainError('not-in-conference', 'only the leaders and participants of this conference may see it');
    return { conference, roster, access };
  }

  /** As `access`, for leaders only; the roster is read only for a user whom nothing but a promotion on the call may make one. */
  async requireLeader(principal: Principal, conferenceId: string): Promise<Conference> {
    const conference = await this.deps.conferences.get(conferenceId);
    if (!conference) throw new DomainError('conference-not-found', `no conference ${conferenceId}`);
    const promoted = principal.kind === 'user' && conferenceAccess(principal, conference, []) !== 'leader';
    const mine = promoted ? await this.deps.participants.liveOfUser(conferenceId, principal.user.id) : [];
    const access = conferenceAccess(principal, conference, mine);
    if (access === 'none') throw new DomainError('not-in-conference', 'only the leaders and participants of this conference may see it');
    if (access !== 'leader') throw new DomainError('not-a-leader', 'only a leader of this conference may do this');
    return conference;
  }

  async mute(principal: Principal, conferenceId: string, participantId: string, muted: boolean): Promise<Participant> {
    await this.requireLeader(principal, conferenceId);
    const updated = await this.deps.muting.setMuted(conferenceId, participantId, muted, 'leader');
    await this.record(principal, conferenceId, muted ? 'mute' : 'unmute', participantId);
    return updated;
  }

  async eject(principal: Principal, conferenceId: string, participantId: string): Promise<Participant> {
    await this.requireLeader(principal, conferenceId);
    const ejected = await this.deps.moderation.eject(conferenceId, participantId);
    await this.record(principal, conferenceId, 'eject', participantId);
    return ejected;
  }

  /**
   * Promote or demote on the call. A promoted directory user keeps the role if they dial in again; a
   * promoted caller muted with the audience is unmuted (leaders are not the audience), and a demoted one
   * joins the audience mute if it is on.
   */
  async setRole(principal: Principal, conferenceId: string, participantId: string, role: ParticipantRole): Promise<Participant> {
    const conference = await this.requireLeader(principal, conferenceId);
    const participant = await this.deps.participants.get(participantId);
    if (participant?.conferenceId !== conferenceId) throw new DomainError('participant-not-found', `no participant ${participantId}`);
    if (!stillLive(participant.state)) {
      throw new DomainError('participant-not-connected', `participant ${participantId} has left`);
    }
    let updated = (await this.deps.participants.setRole(participantId, role)) ?? participant;
    if (participant.role !== role) this.deps.moderation.tell(updated, role === 'leader' ? PROMPTS.promoted : PROMPTS.demoted);
    if (updated.userId) await this.deps.conferences.setPromoted(conferenceId, updated.userId, role === 'leader');
    const change = updated.state === 'connected' ? muteAfterRoleChange(role, updated, conference) : undefined;
    if (change) updated = await this.deps.muting.setMuted(conferenceId, participantId, change === 'mute', 'audience');
    await this.record(principal, conferenceId, role === 'leader' ? 'promote' : 'demote', participantId);
    return updated;
  }

  async setLocked(principal: Principal, conferenceId: string, locked: boolean): Promise<void> {
    await this.requireLeader(principal, conferenceId);
    await this.deps.moderation.setLocked(conferenceId, locked);
    await this.record(principal, conferenceId, locked ? 'lock' : 'unlock');
  }

  async setAudienceMuted(principal: Principal, conferenceId: string, muted: boolean): Promise<void> {
    await this.requireLeader(principal, conferenceId);
    await this.deps.muting.setAudienceMuted(conferenceId, muted);
    await this.record(principal, conferenceId, muted ? 'audience-mute' : 'audience-unmute');
  }

  async admit(principal: Principal, conferenceId: string, participantId?: string): Promise<number> {
    await this.requireLeader(principal, conferenceId);
    const admitted = await this.deps.lobby.admit(conferenceId, participantId);
    await this.record(principal, conferenceId, 'admit', participantId ?? null, { admitted });
    return admitted;
  }

  /** Turns one caller waiting in the lobby away: told they were not let in, then the call ends (lobby-denied). */
  async deny(principal: Principal, conferenceId: string, participantId: string): Promise<void> {
    await this.requireLeader(principal, conferenceId);
    if (!(await this.deps.lobby.deny(conferenceId, participantId))) throw new DomainError('participant-not-waiting', 'nobody by that ID waits in the lobby');
    await this.record(principal, conferenceId, 'deny', participantId);
  }

  async startRecording(principal: Principal, conferenceId: string): Promise<Recording> {
    await this.requireLeader(principal, conferenceId);
    const recording = await this.recorder().start(conferenceId, principal.kind === 'user' ? principal.user.id : null);
    await this.record(principal, conferenceId, 'recording-start', null, { recording: recording.id });
    return recording;
  }

  async stopRecording(principal: Principal, conferenceId: string): Promise<Recording> {
    await this.requireLeader(principal, conferenceId);
    const recording = await this.recorder().stop(conferenceId);
    await this.record(principal, conferenceId, 'recording-stop', null, { recording: recording.id });
    return recording;
  }

  private recorder() {
    const recorder = this.deps.recorder;
    if (!recorder) throw new DomainError('recordings-disabled', 'this deployment keeps no recordings');
    return recorder;
  }

  /** Ends the gathering for everyone: a closing prompt, then hangup. */
  async end(principal: Principal, conferenceId: string): Promise<number> {
    await this.requireLeader(principal, conferenceId);
    const ended = await this.deps.moderation.endForEveryone(conferenceId);
    await this.record(principal, conferenceId, 'end', null, { participants: ended });
    return ended;
  }

  record(principal: Principal, conferenceId: string, action: AuditAction, participantId: string | null = null, detail?: Record<string, unknown>) {
    return this.deps.audit.record({
      conferenceId,
      actorUserId: principal.kind === 'user' ? principal.user.id : null,
      actor: principal.kind === 'user' ? principal.user.email : 'service',
      action,
      participantId,
      ...(detail ? { detail } : {}),
    });
  }
}

import { DomainError } from '../domain/errors.js';
import type { Conference } from '../domain/conference.js';
import type { EndReason, Participant } from '../domain/participant.js';
import { stillLive, stillRinging } from '../domain/roster.js';
import type { AuditAction, AuditLog } from '../ports/audit.js';
import type { Log } from '../ports/log.js';
import type { ConferenceStore, ParticipantStore } from '../ports/store.js';
import type { Call, Prompt, Telephony } from '../ports/telephony.js';
import { PROMPTS } from '../prompts/catalog.js';
import type { Attendance } from './attendance.js';
import { connectedCall } from './connected-call.js';
import type { TalkTracker } from './talk-tracker.js';

export interface ModerationDeps {
  readonly conferences: Pick<ConferenceStore, 'get' | 'setLocked' | 'setLiveState' | 'endSession'>;
  readonly participants: Pick<ParticipantStore, 'get' | 'list' | 'setState'>;
  readonly telephony: Pick<Telephony, 'call'>;
  readonly log: Log;
  readonly talk: Pick<TalkTracker, 'leave'>;
  readonly attendance: Pick<Attendance, 'leave'>;
  /** Where leaders' keypad commands are recorded (API actions are recorded by LeaderControl). */
  readonly audit?: AuditLog | undefined;
}

/** What leaders do to the conference as a whole or to one caller: lock, announcements, eject, end, a private word. */
export class Moderation {
  constructor(private readonly deps: ModerationDeps) {}

  async setLocked(conferenceId: string, locked: boolean): Promise<Conference> {
    const conference = await this.deps.conferences.setLocked(conferenceId, locked);
    if (!conference) throw new DomainError('conference-not-found', `no conference ${conferenceId}`);
    return conference;
  }

  /** `*7`: returns whether the meeting is now locked. */
  async toggleLock(conferenceId: string): Promise<boolean> {
    const conference = await this.deps.conferences.get(conferenceId);
    if (!conference) throw new DomainError('conference-not-found', `no conference ${conferenceId}`);
    return (await this.setLocked(conferenceId, !conference.locked)).locked;
  }

  /** `*9`: returns whether entry and exit announcements are now on. */
  async toggleAnnouncements(conferenceId: string): Promise<boolean> {
    const conference = await this.deps.conferences.get(conferenceId);
    if (!conference) throw new DomainError('conference-not-found', `no conference ${conferenceId}`);
    const updated = await this.deps.conferences.setLiveState(conferenceId, { announceEntryExit: !conference.announceEntryExit });
    return updated?.announceEntryExit ?? false;
  }

  /** Tells the caller they were removed, then hangs up; they may dial in again unless the conference is locked. */
  async eject(conferenceId: string, participantId: string): Promise<Participant> {
    const { participant, call } = await connectedCall(this.deps.participants, this.deps.telephony, conferenceId, participantId);
    return this.dismiss(participant, call, PROMPTS.ejected, 'ejected');
  }

  /**
   * Ends the gathering for everyone: each caller (in the bridge, the lobby or the attendant) hears
   * that the conference has ended, then is hung up. The meeting itself stays: it can be joined again.
   */
  async endForEveryone(conferenceId: string): Promise<number> {
    const live = (await this.deps.participants.list(conferenceId)).filter((p) => stillLive(p.state));
    await this.deps.conferences.endSession(conferenceId, 'leader');
    const dismissed = await Promise.all(
      live.map(async (p) => {
        const call = this.deps.telephony.call(p.channelId);
        // A phone still ringing stops ringing: nobody is left to talk to.
        if (stillRinging(p.state)) {
          await this.deps.attendance.leave(p, 'cancelled');
          return call?.hangup();
        }
        if (!call) return this.deps.attendance.leave(p, 'ended-by-leader');
        return this.dismiss(p, call, PROMPTS.ended, 'ended-by-leader');
      }),
    );
    return dismissed.length;
  }

  /**
   * Disconnecting: the roster says so at once, the caller hears the prompt (a channel playback, so the
   * bridge must stay until it ends), then the hangup; the call flow's leave settles the bridge.
   */
  private async dismiss(participant: Participant, call: Call, prompt: Prompt, reason: EndReason): Promise<Participant> {
    const updated = await this.deps.participants.setState(participant.id, 'disconnecting', reason);
    await this.deps.talk.leave(participant.conferenceId, participant.id);
    void call
      .play([prompt])
      .finished.then(() => call.hangup())
      .catch((error: unknown) => this.deps.log.warn({ err: error, participant: participant.id }, 'hangup after the closing prompt failed'));
    return updated ?? participant;
  }

  /** A private word to one caller still on the line (promoted, demoted); nothing when they are gone. */
  tell(participant: Participant, prompt: Prompt): void {
    this.deps.telephony.call(participant.channelId)?.play([prompt]);
  }

  /** A leader's keypad command, for the audit log. */
  async audited(leader: Participant, action: AuditAction, detail?: Record<string, unknown>): Promise<void> {
    await this.deps.audit?.record({
      conferenceId: leader.conferenceId,
      actorUserId: leader.userId,
      actor: `keypad: ${leader.displayName}`,
      action,
      ...(detail ? { detail } : {}),
    });
  }
}

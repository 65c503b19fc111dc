import { randomUUID } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import { admission, type Conference } from '../domain/conference.js';
import { displayNameFor, type MutedBy, type Participant } from '../domain/participant.js';
import type { Log } from '../ports/log.js';
import type { ConferenceStore, ParticipantStore } from '../ports/store.js';
import type { Call, Telephony } from '../ports/telephony.js';
import { PROMPTS } from '../calls/prompts.js';
import { Serial } from './serial.js';

export interface ConferenceServiceDeps {
  readonly conferences: ConferenceStore;
  readonly participants: ParticipantStore;
  readonly telephony: Telephony;
  readonly log: Log;
}

/** Live conference behaviour: who is in, muted, locked. State is read from and written to the store. */
export class ConferenceService {
  private readonly serial = new Serial();

  constructor(private readonly deps: ConferenceServiceDeps) {}

  findJoinable(conferenceId: string): Promise<Conference | undefined> {
    return this.deps.conferences.findLiveByConferenceId(conferenceId);
  }

  /** The caller has named this conference and is still in the attendant. */
  enter(conference: Conference, call: Call): Promise<Participant> {
    return this.deps.participants.insert({
      id: randomUUID(),
      conferenceId: conference.id,
      channelId: call.id,
      displayName: displayNameFor(call.caller),
      callerNumber: call.caller.number,
    });
  }

  /** Puts the caller in the bridge, or refuses when the conference was locked meanwhile. */
  async join(conferenceId: string, participant: Participant, call: Call): Promise<Participant | 'locked'> {
    const joined = await this.serial.run(conferenceId, async () => {
      const conference = await this.deps.conferences.get(conferenceId);
      if (!conference || !admission(conference).admitted) {
        await this.deps.participants.setState(participant.id, 'disconnected');
        return 'locked' as const;
      }
      const bridge = this.deps.telephony.bridge(conference.id);
      await bridge.open();
      await bridge.add(call.id);
      const connected = await this.deps.participants.setState(participant.id, 'connected');
      if (conference.status === 'scheduled') await this.deps.conferences.markActive(conference.id);
      const others = (await this.deps.participants.countConnected(conference.id)) - 1;
      if (others === 1) await bridge.stopMusic();
      this.deps.log.info({ conference: conference.id, participant: participant.id, others }, 'joined');
      return { participant: connected ?? participant, alone: others === 0, bridge };
    });
    if (joined === 'locked') return joined;
    if (joined.alone) {
      // Outside the queue: the prompt takes seconds and must not hold up the next caller's join.
      await call.play([PROMPTS.onlyParticipant]).finished;
      await this.serial.run(conferenceId, async () => {
        if ((await this.deps.participants.countConnected(conferenceId)) === 1) await joined.bridge.startMusic();
      });
    }
    return joined.participant;
  }

  /** The participant's call has ended or failed in the attendant. Safe to call twice. */
  leave(participant: Participant): Promise<void> {
    return this.serial.run(participant.conferenceId, async () => {
      await this.deps.participants.setState(participant.id, 'disconnected');
      const remaining = await this.deps.participants.countConnected(participant.conferenceId);
      const bridge = this.deps.telephony.bridge(participant.conferenceId);
      if (remaining === 0) await bridge.destroy();
      else if (remaining === 1) await bridge.startMusic();
    });
  }

  async setMuted(conferenceId: string, participantId: string, muted: boolean, by: MutedBy): Promise<Participant> {
    const { participant, call } = await this.connected(conferenceId, participantId);
    await call.setMuted(muted);
    const updated = await this.deps.participants.setMuted(participant.id, muted, muted ? by : null);
    if (participant.muted !== muted) void call.play([muted ? PROMPTS.muted : PROMPTS.unmuted]);
    return updated ?? participant;
  }

  async toggleSelfMute(participantId: string): Promise<void> {
    const participant = await this.deps.participants.get(participantId);
    if (!participant || participant.state !== 'connected') return;
    await this.setMuted(participant.conferenceId, participant.id, !participant.muted, 'self');
  }

  async setTalking(participantId: string, talking: boolean): Promise<void> {
    await this.deps.participants.setTalking(participantId, talking);
  }

  /** Tells the caller they were removed, then hangs up; they may dial in again unless the conference is locked. */
  async eject(conferenceId: string, participantId: string): Promise<void> {
    const { participant, call } = await this.connected(conferenceId, participantId);
    await this.deps.participants.setState(participant.id, 'disconnected');
    void call
      .play([PROMPTS.ejected])
      .finished.then(() => call.hangup())
      .catch((error: unknown) => this.deps.log.warn({ err: error, participant: participant.id }, 'eject hangup failed'));
  }

  async setLocked(conferenceId: string, locked: boolean): Promise<Conference> {
    const conference = await this.deps.conferences.setLocked(conferenceId, locked);
    if (!conference) throw new DomainError('conference-not-found', `no conference ${conferenceId}`);
    return conference;
  }

  /** Lets joins and leaves under way reach the database before the process stops. */
  drain(): Promise<void> {
    return this.serial.idle();
  }

  /** After a (re)connect: participants whose calls ended while parley could not see them are gone. */
  async reconcile(liveCallIds: ReadonlySet<string>): Promise<void> {
    for (const participant of await this.deps.participants.live()) {
      if (!liveCallIds.has(participant.channelId)) {
        this.deps.log.info({ participant: participant.id }, 'call ended while parley was away');
        await this.leave(participant);
      }
    }
  }

  private async connected(conferenceId: string, participantId: string) {
    const participant = await this.deps.participants.get(participantId);
    if (participant?.conferenceId !== conferenceId) throw new DomainError('participant-not-found', `no participant ${participantId}`);
    const call = participant.state === 'connected' ? this.deps.telephony.call(participant.channelId) : undefined;
    if (!call) throw new DomainError('participant-not-connected', `participant ${participantId} is not connected`);
    return { participant, call };
  }
}

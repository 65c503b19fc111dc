import { randomUUID } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import type { Conference } from '../domain/conference.js';
import { displayNameFor, type MutedBy, type Participant } from '../domain/participant.js';
import type { User } from '../domain/user.js';
import type { Clock } from '../ports/clock.js';
import type { Log } from '../ports/log.js';
import type { ConferenceStore, ParticipantStore } from '../ports/store.js';
import type { Call, Telephony } from '../ports/telephony.js';
import { PROMPTS } from '../calls/prompts.js';
import { ConferenceBridges } from './conference-bridges.js';
import { Serial } from './serial.js';

export interface ConferenceServiceDeps {
  readonly conferences: ConferenceStore;
  readonly participants: ParticipantStore;
  readonly telephony: Telephony;
  readonly log: Log;
  readonly clock: Clock;
  /** The join-window rule (scheduling/join-window.ts): may a caller enter this conference now? */
  readonly joinable: (conference: Conference, now: Date) => boolean;
}

/** Live conference behaviour: who is in, muted, locked. State is read from and written to the store. */
export class ConferenceService {
  private readonly bridges: ConferenceBridges;
  private readonly muting = new Serial();

  constructor(private readonly deps: ConferenceServiceDeps) {
    this.bridges = new ConferenceBridges(deps.telephony, (id) => deps.participants.countConnected(id));
  }

  /** The conference this ID names right now: several meetings may share a personal ID, at different times. */
  async findJoinable(conferenceId: string): Promise<Conference | undefined> {
    const now = this.deps.clock.now();
    return (await this.deps.conferences.liveWithConferenceId(conferenceId)).find((c) => this.deps.joinable(c, now));
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

  /** The caller signed in at the keypad: their directory name, and leader if they organise or lead this meeting. */
  async identify(participant: Participant, user: User, conference: Conference): Promise<Participant> {
    const leads = conference.organizerId === user.id || conference.leaders.some((l) => l === user.email || l.toLowerCase() === user.sipUri);
    const identified = await this.deps.participants.identify(participant.id, {
      userId: user.id,
      displayName: user.displayName,
      role: leads ? 'leader' : 'participant',
    });
    return identified ?? participant;
  }

  /** Puts the caller in the bridge, or refuses when the conference was locked meanwhile. */
  async join(conference: Conference, participant: Participant, call: Call): Promise<Participant | 'locked'> {
    // Connected before the bridge is touched, so a leave settling at the same time never sees an
    // empty conference and destroys the bridge this caller is about to enter.
    const connected = await this.deps.participants.connect(participant.id);
    if (!connected) {
      await this.deps.participants.setState(participant.id, 'disconnected');
      return 'locked';
    }
    if (conference.status === 'scheduled') await this.deps.conferences.markActive(conference.id);
    await this.bridges.add(conference.id, call.id);
    const present = await this.bridges.settle(conference.id);
    this.deps.log.info({ conference: conference.id, participant: participant.id, present }, 'joined');
    // Played to the caller alone; the bridge's music resumes for them when it ends.
    if (present === 1) await call.play([PROMPTS.onlyParticipant]).finished;
    return connected;
  }

  /** The participant's call has ended or failed in the attendant. Safe to call twice. */
  async leave(participant: Participant): Promise<void> {
    await this.deps.participants.setState(participant.id, 'disconnected');
    await this.bridges.settle(participant.conferenceId);
  }

  /** Mutes or unmutes at the channel; one participant's changes apply in the order they were asked. */
  setMuted(conferenceId: string, participantId: string, muted: boolean, by: MutedBy): Promise<Participant> {
    return this.muting.run(participantId, async () => {
      const { participant, call } = await this.connected(conferenceId, participantId);
      return this.applyMute(participant, call, muted, by);
    });
  }

  /** `*6`: reads the current state inside the same queue, so `*6*6` always ends where it began. */
  toggleSelfMute(participantId: string): Promise<void> {
    return this.muting.run(participantId, async () => {
      const participant = await this.deps.participants.get(participantId);
      if (!participant || participant.state !== 'connected') return;
      const call = this.deps.telephony.call(participant.channelId);
      if (call) await this.applyMute(participant, call, !participant.muted, 'self');
    });
  }

  private async applyMute(participant: Participant, call: Call, muted: boolean, by: MutedBy): Promise<Participant> {
    await call.setMuted(muted);
    const updated = await this.deps.participants.setMuted(participant.id, muted, muted ? by : null);
    if (participant.muted !== muted) call.play([muted ? PROMPTS.muted : PROMPTS.unmuted]);
    return updated ?? participant;
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
    return this.bridges.drain();
  }

  /** After a (re)connect: participants whose calls ended while parley could not see them are gone. Returns how many. */
  async reconcile(liveCallIds: ReadonlySet<string>): Promise<number> {
    let closed = 0;
    for (const participant of await this.deps.participants.live()) {
      if (!liveCallIds.has(participant.channelId)) {
        this.deps.log.info({ participant: participant.id }, 'call ended while parley was away');
        await this.leave(participant);
        closed++;
      }
    }
    return closed;
  }

  private async connected(conferenceId: string, participantId: string) {
    const participant = await this.deps.participants.get(participantId);
    if (participant?.conferenceId !== conferenceId) throw new DomainError('participant-not-found', `no participant ${participantId}`);
    const call = participant.state === 'connected' ? this.deps.telephony.call(participant.channelId) : undefined;
    if (!call) throw new DomainError('participant-not-connected', `participant ${participantId} is not connected`);
    return { participant, call };
  }
}

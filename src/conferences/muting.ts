import { DomainError } from '../domain/errors.js';
import { audienceMuteTargets, joinsMuted, lineSilenced, maySelfUnmute, mutedByLeader } from '../domain/muting.js';
import type { Conference } from '../domain/conference.js';
import type { MutedBy, Participant } from '../domain/participant.js';
import type { Log } from '../ports/log.js';
import type { ConferenceStore, ParticipantStore } from '../ports/store.js';
import type { Call, Telephony } from '../ports/telephony.js';
import { PROMPTS } from '../prompts/catalog.js';
import { connectedCall } from './connected-call.js';
import type { ConferenceEntry } from './entry.js';
import { Serial } from './serial.js';
import { runInBackground } from '../ports/background.js';
import type { TalkTracker } from './talk-tracker.js';

export type SelfMuteOutcome = 'muted' | 'unmuted' | 'refused';

export interface MutingDeps {
  readonly conferences: Pick<ConferenceStore, 'get' | 'setLiveState'>;
  readonly participants: Pick<ParticipantStore, 'get' | 'setMuted' | 'setState'>;
  readonly telephony: Pick<Telephony, 'call'>;
  readonly log: Log;
  readonly talk: Pick<TalkTracker, 'mute' | 'talk'>;
  readonly entry: Pick<ConferenceEntry, 'present'>;
}

/**
 * Every change to what a caller's line carries: muted by themselves, a leader or the audience mute,
 * on hold, talking. A caller's line is muted in one place, `applyMute`; one participant's changes
 * apply in the order they were asked.
 */
export class Muting {
  private readonly queue = new Serial();

  constructor(private readonly deps: MutingDeps) {}

  /** Mutes or unmutes at the channel. */
  setMuted(conferenceId: string, participantId: string, muted: boolean, by: MutedBy): Promise<Participant> {
    return this.queue.run(participantId, async () => {
      const { participant, call } = await connectedCall(this.deps.participants, this.deps.telephony, conferenceId, participantId);
      return this.applyMute(participant, call, muted, by);
    });
  }

  /** A caller who joins while the audience is muted is muted with it (leaders are not the audience). */
  muteJoiner(conference: Conference, joiner: Participant, call: Call): Promise<Participant> {
    if (!joinsMuted(conference, joiner)) return Promise.resolve(joiner);
    return this.queue.run(joiner.id, () => this.applyMute(joiner, call, true, 'audience'));
  }

  /**
   * `*6`: reads the current state inside the same queue, so `*6*6` always ends where it began. A caller
   * muted with the audience may not unmute themselves when the meeting says so.
   */
  toggleSelfMute(participantId: string): Promise<SelfMuteOutcome | undefined> {
    return this.queue.run(participantId, async () => {
      const participant = await this.deps.participants.get(participantId);
      if (!participant || participant.state !== 'connected') return undefined;
      const call = this.deps.telephony.call(participant.channelId);
      if (!call) return undefined;
      if (participant.muted && participant.mutedBy === 'audience') {
        if (!maySelfUnmute(participant, await this.deps.conferences.get(participant.conferenceId))) return 'refused';
      }
      const updated = await this.applyMute(participant, call, !participant.muted, 'self');
      return updated.muted ? 'muted' : 'unmuted';
    });
  }

  /** `*4`: mutes everyone but the leaders (and later joiners), or lifts that. Returns whether the audience is now muted. */
  async toggleAudienceMute(conferenceId: string): Promise<boolean> {
    const conference = await this.deps.conferences.get(conferenceId);
    if (!conference) throw new DomainError('conference-not-found', `no conference ${conferenceId}`);
    return this.setAudienceMuted(conferenceId, !conference.audienceMuted);
  }

  async setAudienceMuted(conferenceId: string, muted: boolean): Promise<boolean> {
    const conference = await this.deps.conferences.setLiveState(conferenceId, { audienceMuted: muted });
    if (!conference) throw new DomainError('conference-not-found', `no conference ${conferenceId}`);
    const targets = audienceMuteTargets(await this.deps.entry.present(conferenceId), muted);
    await Promise.all(
      targets.map((p) =>
        this.queue.run(p.id, async () => {
          const call = this.deps.telephony.call(p.channelId);
          if (call) await this.applyMute(p, call, muted, 'audience');
        }),
      ),
    );
    return conference.audienceMuted;
  }

  /**
   * The caller's phone put the conference on hold (its hold music must not reach the others: the line is
   * silenced at the channel while held), or took it off hold (the line is as muted as the roster says).
   */
  setHeld(participantId: string, held: boolean): Promise<Participant | undefined> {
    return this.queue.run(participantId, async () => {
      const participant = await this.deps.participants.get(participantId);
      const call = participant && this.deps.telephony.call(participant.channelId);
      if (!participant || !call || participant.state !== (held ? 'connected' : 'on-hold')) return participant;
      if (held) await call.setMuted(true);
      const updated = await this.deps.participants.setState(participantId, held ? 'on-hold' : 'connected');
      if (!held && !participant.muted) await call.setMuted(false);
      await this.deps.talk.mute(participant.conferenceId, participantId, held || participant.muted);
      this.deps.log.info({ participant: participantId, held }, held ? 'put the conference on hold' : 'back from hold');
      return updated;
    });
  }

  /**
   * Talk detection. Written with the conference's other talk events a few times a second; resolves then,
   * with whether the line is muted (the flow reminds a muted talker), undefined when it is not connected.
   */
  setTalking(participant: Pick<Participant, 'id' | 'conferenceId'>, talking: boolean): Promise<{ muted: boolean } | undefined> {
    return this.deps.talk.talk(participant.conferenceId, participant.id, talking);
  }

  /** Where a caller is muted or unmuted. The caller hears every change: "you are muted", or "a leader has muted you". */
  private async applyMute(participant: Participant, call: Call, muted: boolean, by: MutedBy): Promise<Participant> {
    // The line and the roster at once: a mute is one round trip to whichever is slower, not both in turn.
    const [, updated] = await Promise.all([
      call.setMuted(lineSilenced(muted, participant.state)),
      this.deps.participants.setMuted(participant.id, muted, muted ? by : null),
    ]);
    // The talk monitor (active speaker, noise marks) follows in its conference's order, behind talk
    // writes under way: the mute itself does not wait for them.
    runInBackground(this.deps.log, 'talk state after a mute', this.deps.talk.mute(participant.conferenceId, participant.id, muted), {
      participant: participant.id,
    });
    if (participant.muted !== muted) {
      const byLeader = mutedByLeader(by);
      call.play([muted ? (byLeader ? PROMPTS.mutedByLeader : PROMPTS.muted) : byLeader ? PROMPTS.unmutedByLeader : PROMPTS.unmuted]);
    }
    return updated ?? participant;
  }
}

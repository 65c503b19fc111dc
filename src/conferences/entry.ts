import { randomUUID } from 'node:crypto';
import type { Conference } from '../domain/conference.js';
import { inBridge } from '../domain/roster.js';
import { displayNameFor, maskCallerNumber, type AuthMethod, type Participant, type Refusal } from '../domain/participant.js';
import type { User } from '../domain/user.js';
import type { Clock } from '../ports/clock.js';
import type { RefusalLog } from '../ports/history.js';
import type { Log } from '../ports/log.js';
import type { NameVoice } from '../ports/name-voice.js';
import type { ConferenceStore, ParticipantStore } from '../ports/store.js';
import type { Call, Prompt } from '../ports/telephony.js';
import { runInBackground } from '../ports/background.js';

export interface ConferenceEntryDeps {
  readonly conferences: Pick<ConferenceStore, 'get' | 'liveWithConferenceId'>;
  readonly participants: Pick<ParticipantStore, 'insert' | 'get' | 'list' | 'identify' | 'annotate' | 'leaderPresent'>;
  readonly log: Log;
  readonly clock: Clock;
  /** The join-window rule (meetings/join-window.ts): may a caller enter this conference now? */
  readonly joinable: (conference: Conference, now: Date) => boolean;
  /** Speaks signed-in callers' directory names for announcements and roll calls. */
  readonly nameVoice?: NameVoice | undefined;
  /** Callers turned away before the roster, for the call records; unset: not kept. */
  readonly refusals?: Pick<RefusalLog, 'record'> | undefined;
  /**
   * A number as others may see it (directory/roster-number.ts): how a caller without a caller-ID name is
   * shown, and a turned-away caller recorded. Unset: maskCallerNumber.
   */
  readonly maskNumber?: ((number: string) => string | null) | undefined;
}

/**
 * The way in, as the attendant sees it: which conference an ID names now, the caller's roster row
 * before the bridge (who they are, how they proved it, their name), and who is present.
 */
export class ConferenceEntry {
  constructor(private readonly deps: ConferenceEntryDeps) {}

  /** The conference this ID names right now: several meetings may share a personal ID, at different times. */
  async findJoinable(conferenceId: string): Promise<Conference | undefined> {
    const now = this.deps.clock.now();
    return (await this.deps.conferences.liveWithConferenceId(conferenceId)).find((c) => this.deps.joinable(c, now));
  }

  /** The caller has named this conference and is still in the attendant; `name`: what a guest typed on a join page. */
  enter(conference: Conference, call: Call, name?: string): Promise<Participant> {
    return this.deps.participants.insert({
      id: randomUUID(),
      conferenceId: conference.id,
      channelId: call.id,
      displayName: name ?? displayNameFor(call.caller, this.deps.maskNumber),
      callerNumber: call.caller.number,
      language: call.language,
      via: call.caller.device ? 'voip' : 'phone',
    });
  }

  /**
   * The caller named this conference but got no further (wrong passcode, PIN...): kept for its leaders'
   * call records, with the number masked, and never on the roster.
   */
  async turnedAway(conference: Conference, call: Call, reason: Refusal): Promise<void> {
    await this.deps.refusals?.record({
      conferenceId: conference.id,
      at: this.deps.clock.now(),
      caller: (this.deps.maskNumber ?? maskCallerNumber)(call.caller.number) ?? 'Caller',
      reason,
      language: call.language,
    });
  }

  conference(id: string): Promise<Conference | undefined> {
    return this.deps.conferences.get(id);
  }

  participant(participantId: string): Promise<Participant | undefined> {
    return this.deps.participants.get(participantId);
  }

  /** Who is in the conference now (the roll call). */
  async present(conferenceId: string): Promise<Participant[]> {
    return (await this.deps.participants.list(conferenceId)).filter((p) => inBridge(p.state));
  }

  leaderPresent(conferenceId: string): Promise<boolean> {
    return this.deps.participants.leaderPresent(conferenceId);
  }

  /**
   * The caller signed in at the keypad (or called from their device): their directory name (spoken in
   * the background for announcements and roll calls), and leader if they organise or lead this meeting.
   */
  async identify(participant: Participant, user: User, leader: boolean, method: 'pin' | 'sip' = 'pin'): Promise<Participant> {
    const identified = await this.deps.participants.identify(participant.id, {
      userId: user.id,
      displayName: user.displayName,
      role: leader ? 'leader' : 'participant',
      authMethod: method,
    });
    runInBackground(this.deps.log, 'speak a name', this.speakName(participant, user.displayName), { participant: participant.id });
    return identified ?? participant;
  }

  private async speakName(participant: Participant, displayName: string): Promise<void> {
    try {
      const spoken = await this.deps.nameVoice?.say(displayName, participant.language ?? 'en-US', `parley-name-${participant.id}`);
      if (spoken) await this.deps.participants.annotate(participant.id, { nameRecording: spoken });
    } catch (error) {
      this.deps.log.warn({ err: error, participant: participant.id }, 'could not speak the directory name');
    }
  }

  /** For the call record: the caller gave the meeting's passcode. */
  async authenticated(participant: Participant, method: AuthMethod): Promise<Participant> {
    return (await this.deps.participants.annotate(participant.id, { authMethod: method })) ?? participant;
  }

  async saveName(participant: Participant, recording: Prompt): Promise<Participant> {
    return (await this.deps.participants.annotate(participant.id, { nameRecording: recording })) ?? participant;
  }
}

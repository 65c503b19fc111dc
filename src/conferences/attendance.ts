import { StoreUnavailableError } from '../domain/errors.js';
import type { Conference } from '../domain/conference.js';
import type { CommandKey } from '../domain/keypad.js';
import { audienceMuteLapses } from '../domain/muting.js';
import type { EndReason, Participant } from '../domain/participant.js';
import { inBridge, leavesTheBridge } from '../domain/roster.js';
import type { Log } from '../ports/log.js';
import type { ConferenceStore, ConnectRefusal, ParticipantStore } from '../ports/store.js';
import type { Call } from '../ports/telephony.js';
import { keyed, numberPrompt, PROMPTS } from '../prompts/catalog.js';
import type { Announcer } from './announcer.js';
import type { ConferenceBridges } from './conference-bridges.js';
import type { Lobby } from './lobby.js';
import type { Muting } from './muting.js';
import type { Recorder } from './recorder.js';
import type { TalkTracker } from './talk-tracker.js';

export interface AttendanceDeps {
  readonly conferences: Pick<ConferenceStore, 'markActive' | 'setLiveState'>;
  readonly participants: Pick<ParticipantStore, 'connect' | 'disconnect' | 'setState' | 'live'>;
  readonly log: Log;
  readonly bridges: ConferenceBridges;
  readonly lobby: Pick<Lobby, 'admit' | 'waitingIn'>;
  readonly muting: Pick<Muting, 'muteJoiner'>;
  readonly announcer: Pick<Announcer, 'joined' | 'left'>;
  readonly talk: Pick<TalkTracker, 'leave' | 'drain'>;
  readonly recorder: Pick<Recorder, 'joined' | 'emptied'> | undefined;
  /** The in-conference command key, for prompts that name it ("press star 8"). */
  readonly commandKey?: CommandKey | undefined;
  /**
   * A cluster: the conferences this instance answers for (those on the media nodes it owns); the
   * others' rosters are their owners' to put right. Unset: all of them.
   */
  readonly scope?: (() => Promise<ReadonlySet<string>>) | undefined;
}

export interface JoinOptions {
  readonly overrideLock: boolean;
  readonly onBridged?: () => void;
}

/**
 * In and out of the bridge: joining (locked, full or ended say why not), leaving, and putting the
 * roster right after a restart or a database outage.
 */
export class Attendance {
  constructor(private readonly deps: AttendanceDeps) {}

  /**
   * Puts the caller in the bridge, or says why not: locked (only signed-in leaders override it),
   * full, or ended meanwhile. `onBridged` runs the moment the caller is in the bridge (the join
   * latency ends there, not after the prompts that follow).
   */
  async join(conference: Conference, participant: Participant, call: Call, options: JoinOptions = { overrideLock: false }): Promise<Participant | ConnectRefusal> {
    // Connected before the bridge is touched, so a leave settling at the same time never sees an
    // empty conference and destroys the bridge this caller is about to enter.
    const admitted = await this.deps.participants.connect(participant.id, { overrideLock: options.overrideLock });
    if ('refused' in admitted) {
      await this.deps.participants.setState(participant.id, 'disconnected');
      return admitted.refused;
    }
    let joined = admitted.participant;
    // The conference as it stands now, not as the caller found it in the attendant.
    const current: Conference = { ...conference, ...admitted.conference };
    if (current.status === 'scheduled') await this.deps.conferences.markActive(conference.id);
    await this.deps.bridges.add(conference.id, call.id);
    options.onBridged?.();
    try {
      joined = await this.afterJoin(current, joined, call, admitted.recording);
    } catch (error) {
      // In the bridge is what matters: the database's part is put right when it is back.
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.deps.log.warn({ conference: conference.id, participant: joined.id }, 'joined while the database is unavailable');
    }
    return joined;
  }

  private async afterJoin(conference: Conference, participant: Participant, call: Call, recording: boolean): Promise<Participant> {
    const present = await this.deps.bridges.settle(conference.id);
    this.deps.log.info({ conference: conference.id, participant: participant.id, present }, 'joined');
    const joined = await this.deps.muting.muteJoiner(conference, participant, call);
    if (conference.announceEntryExit) this.deps.announcer.joined(joined);
    // Played to the caller alone, queued one after the other, not waited for: the caller's keys work
    // from the moment they are in the bridge (a *6 during "you are the only participant" counts).
    if (present === 1) call.play([PROMPTS.onlyParticipant]);
    if (recording) this.deps.recorder?.joined(call);
    if (joined.role === 'leader') await this.leaderArrived(conference, call);
    return joined;
  }

  /** A leader is here: callers waiting for one come in; callers waiting to be admitted are counted to them. */
  private async leaderArrived(conference: Conference, call: Call): Promise<void> {
    if (conference.lobbyBypass) {
      await this.deps.lobby.admit(conference.id);
      return;
    }
    const waiting = (await this.deps.lobby.waitingIn(conference.id)).length;
    if (waiting > 0) call.play([numberPrompt(waiting), keyed('lobby-waiting', this.deps.commandKey ?? '*')]);
  }

  /**
   * A connected caller adopted after a restart outside any bridge: parley stopped between writing them
   * connected and putting them in the bridge. Into the bridge now.
   */
  async rebridge(participant: Participant, call: Call): Promise<void> {
    this.deps.log.info({ conference: participant.conferenceId, participant: participant.id }, 'adopted outside the bridge; putting the caller back in');
    await this.deps.bridges.add(participant.conferenceId, call.id);
    await this.deps.bridges.settle(participant.conferenceId);
  }

  /** The participant's call has ended or failed in the attendant. Safe to call twice. */
  async leave(participant: Participant, reason: EndReason = 'hangup'): Promise<void> {
    const left = await this.deps.participants.disconnect(participant.id, reason);
    await this.deps.talk.leave(participant.conferenceId, participant.id);
    const present = await this.deps.bridges.settle(participant.conferenceId);
    if (present === 0) await this.deps.recorder?.emptied(participant.conferenceId);
    if (!left || !leavesTheBridge(left.was)) return;
    if (left.conference.announceEntryExit) this.deps.announcer.left(left.participant);
    if (audienceMuteLapses(left.conference, present)) await this.deps.conferences.setLiveState(participant.conferenceId, { audienceMuted: false });
  }

  /** Lets joins, leaves and talk state under way reach the database before the process stops. */
  async drain(): Promise<void> {
    await this.deps.talk.drain();
    await this.deps.bridges.drain();
  }

  /** After a (re)connect: participants whose calls ended while parley could not see them are gone. Returns how many. */
  async reconcile(liveCallIds: ReadonlySet<string>): Promise<number> {
    let closed = 0;
    for (const participant of await this.live()) {
      if (!liveCallIds.has(participant.channelId)) {
        this.deps.log.info({ participant: participant.id }, 'call ended while parley was away');
        // How it ended is not known (hung up, or Asterisk or its node died): lost, not a hangup.
        await this.leave(participant, 'lost');
        closed++;
      }
    }
    return closed;
  }

  /** After a database outage: each conference with callers gets the music (or not) its roster says. */
  async settleAll(): Promise<void> {
    const conferences = new Set((await this.live()).filter((p) => inBridge(p.state)).map((p) => p.conferenceId));
    for (const conferenceId of conferences) await this.deps.bridges.settle(conferenceId);
  }

  private async live(): Promise<Participant[]> {
    const participants = await this.deps.participants.live();
    const scope = await this.deps.scope?.();
    return scope ? participants.filter((p) => scope.has(p.conferenceId)) : participants;
  }
}

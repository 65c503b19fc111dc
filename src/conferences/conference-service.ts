import { randomUUID } from 'node:crypto';
import { DomainError, StoreUnavailableError } from '../domain/errors.js';
import type { Conference } from '../domain/conference.js';
import { inBridge } from '../domain/roster.js';
import { displayNameFor, type AuthMethod, type EndReason, type MutedBy, type Participant } from '../domain/participant.js';
import type { User } from '../domain/user.js';
import type { Clock } from '../ports/clock.js';
import type { NameVoice } from '../ports/name-voice.js';
import type { AuditAction, AuditLog } from '../ports/audit.js';
import type { RecordingStore } from '../ports/recordings.js';
import type { Log } from '../ports/log.js';
import type { ConferenceStore, ConnectRefusal, ParticipantStore } from '../ports/store.js';
import type { Call, Prompt, Telephony } from '../ports/telephony.js';
import { keyed, numberPrompt, PROMPTS } from '../prompts/catalog.js';
import type { CommandKey } from '../domain/keypad.js';
import { Announcer } from './announcer.js';
import { ConferenceBridges } from './conference-bridges.js';
import { Lobby, type Admission } from './lobby.js';
import { Serial } from './serial.js';
import { Recorder } from './recorder.js';
import { TalkTracker } from './talk-tracker.js';
import { runInBackground } from '../ports/background.js';

export interface ConferenceServiceDeps {
  readonly conferences: ConferenceStore;
  readonly participants: ParticipantStore;
  readonly telephony: Telephony;
  readonly log: Log;
  readonly clock: Clock;
  /** The join-window rule (scheduling/join-window.ts): may a caller enter this conference now? */
  readonly joinable: (conference: Conference, now: Date) => boolean;
  /** The in-conference command key, for prompts that name it ("press star 8"). */
  readonly commandKey?: CommandKey;
  /** How long entry/exit events are gathered before one announcement (tests shorten it). */
  readonly announceWindowMs?: number;
  /** Speaks signed-in callers' directory names for announcements and roll calls. */
  readonly nameVoice?: NameVoice;
  /** Where leaders' keypad commands are recorded (API actions are recorded by LeaderControl). */
  readonly audit?: AuditLog;
  /** Conference recordings (the rows; Asterisk writes the audio). */
  readonly recordings?: RecordingStore;
}

export type SelfMuteOutcome = 'muted' | 'unmuted' | 'refused';

/** Live conference behaviour: who is in, muted, locked. State is read from and written to the store. */
export class ConferenceService {
  private readonly bridges: ConferenceBridges;
  private readonly muting = new Serial();
  private readonly lobby: Lobby;
  private readonly announcer: Announcer;
  private readonly talk: TalkTracker;
  /** Undefined when the deployment keeps no recordings store (unit tests of other behaviour). */
  readonly recorder: Recorder | undefined;

  constructor(private readonly deps: ConferenceServiceDeps) {
    this.bridges = new ConferenceBridges(deps.telephony, (id) => deps.participants.countConnected(id));
    this.lobby = new Lobby(deps.telephony, deps.participants);
    this.announcer = new Announcer(deps, deps.announceWindowMs);
    this.talk = new TalkTracker({ ...deps, now: () => deps.clock.now().getTime() });
    this.recorder = deps.recordings && new Recorder({ ...deps, recordings: deps.recordings });
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

  async leaderPresent(conferenceId: string): Promise<boolean> {
    return (await this.present(conferenceId)).some((p) => p.role === 'leader');
  }

  /**
   * The caller signed in at the keypad: their directory name (spoken in the background for
   * announcements and roll calls), and leader if they organise or lead this meeting.
   */
  async identify(participant: Participant, user: User, leader: boolean): Promise<Participant> {
    const identified = await this.deps.participants.identify(participant.id, {
      userId: user.id,
      displayName: user.displayName,
      role: leader ? 'leader' : 'participant',
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

  // --- the lobby ---

  admission(participantId: string): Admission {
    return this.lobby.admission(participantId);
  }

  toLobby(conference: Conference, participant: Participant, call: Call): Promise<void> {
    return this.lobby.enter(conference, participant, call);
  }

  /** After a restart: the call is still in the lobby bridge. */
  backInLobby(conferenceId: string, call: Call): void {
    this.lobby.rejoin(conferenceId, call);
  }

  leaveLobby(conferenceId: string, call: Call): Promise<void> {
    return this.lobby.leave(conferenceId, call);
  }

  /** Lets one caller (or everyone) in from the lobby; returns how many. */
  admitLobby(conferenceId: string, participantId?: string): Promise<number> {
    return this.lobby.admit(conferenceId, participantId);
  }

  lobbyParticipants(conferenceId: string): Promise<Participant[]> {
    return this.lobby.waitingIn(conferenceId);
  }

  /**
   * Puts the caller in the bridge, or says why not: locked (only signed-in leaders override it),
   * full, or ended meanwhile.
   */
  async join(conference: Conference, participant: Participant, call: Call, options = { overrideLock: false }): Promise<Participant | ConnectRefusal> {
    // Connected before the bridge is touched, so a leave settling at the same time never sees an
    // empty conference and destroys the bridge this caller is about to enter.
    const connected = await this.deps.participants.connect(participant.id, options);
    if ('refused' in connected) {
      await this.deps.participants.setState(participant.id, 'disconnected');
      return connected.refused;
    }
    let joined = connected.participant;
    if (conference.status === 'scheduled') await this.deps.conferences.markActive(conference.id);
    await this.bridges.add(conference.id, call.id);
    try {
      joined = await this.afterJoin(conference, joined, call);
    } catch (error) {
      // In the bridge is what matters: the database's part is put right when it is back.
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.deps.log.warn({ conference: conference.id, participant: joined.id }, 'joined while the database is unavailable');
    }
    return joined;
  }

  private async afterJoin(conference: Conference, participant: Participant, call: Call): Promise<Participant> {
    let joined = participant;
    const present = await this.bridges.settle(conference.id);
    this.deps.log.info({ conference: conference.id, participant: joined.id, present }, 'joined');
    const current = (await this.deps.conferences.get(conference.id)) ?? conference;
    if (current.audienceMuted && joined.role !== 'leader') joined = await this.muting.run(joined.id, () => this.applyMute(joined, call, true, 'audience'));
    if (current.announceEntryExit) this.announcer.joined(joined);
    // Played to the caller alone; the bridge's music resumes for them when it ends.
    if (present === 1) await call.play([PROMPTS.onlyParticipant]).finished;
    await this.recorder?.joined(conference.id, call);
    if (joined.role === 'leader') await this.leaderArrived(current, call);
    return joined;
  }

  /** A leader is here: callers waiting for one come in; callers waiting to be admitted are counted to them. */
  private async leaderArrived(conference: Conference, call: Call): Promise<void> {
    if (conference.lobbyBypass) {
      await this.lobby.admit(conference.id);
      return;
    }
    const waiting = (await this.lobby.waitingIn(conference.id)).length;
    if (waiting > 0) call.play([numberPrompt(waiting), keyed('lobby-waiting', this.deps.commandKey ?? '*')]);
  }

  /** The participant's call has ended or failed in the attendant. Safe to call twice. */
  async leave(participant: Participant, reason: EndReason = 'hangup'): Promise<void> {
    const before = await this.deps.participants.get(participant.id);
    await this.deps.participants.setState(participant.id, 'disconnected', reason);
    await this.talk.leave(participant.conferenceId, participant.id);
    const present = await this.bridges.settle(participant.conferenceId);
    if (present === 0) await this.recorder?.emptied(participant.conferenceId);
    if (!before || !(inBridge(before.state) || before.state === 'disconnecting')) return;
    const conference = await this.deps.conferences.get(participant.conferenceId);
    if (conference?.announceEntryExit) this.announcer.left(before);
    // The audience mute is for this gathering: the next one (a recurring meeting's next week) starts open.
    if (present === 0 && conference?.audienceMuted) await this.deps.conferences.setLiveState(conference.id, { audienceMuted: false });
  }

  /** Mutes or unmutes at the channel; one participant's changes apply in the order they were asked. */
  setMuted(conferenceId: string, participantId: string, muted: boolean, by: MutedBy): Promise<Participant> {
    return this.muting.run(participantId, async () => {
      const { participant, call } = await this.connected(conferenceId, participantId);
      return this.applyMute(participant, call, muted, by);
    });
  }

  /**
   * `*6`: reads the current state inside the same queue, so `*6*6` always ends where it began. A caller
   * muted with the audience may not unmute themselves when the meeting says so.
   */
  toggleSelfMute(participantId: string): Promise<SelfMuteOutcome | undefined> {
    return this.muting.run(participantId, async () => {
      const participant = await this.deps.participants.get(participantId);
      if (!participant || participant.state !== 'connected') return undefined;
      const call = this.deps.telephony.call(participant.channelId);
      if (!call) return undefined;
      if (participant.muted && participant.mutedBy === 'audience') {
        const conference = await this.deps.conferences.get(participant.conferenceId);
        if (conference?.audienceMuted && !conference.audienceMayUnmute) return 'refused';
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
    const audience = (await this.present(conferenceId)).filter((p) => p.role !== 'leader');
    await Promise.all(
      audience
        // Lifting the audience mute leaves callers who muted themselves, or whom a leader muted, muted.
        .filter((p) => (muted ? !p.muted : p.muted && p.mutedBy === 'audience'))
        .map((p) =>
          this.muting.run(p.id, async () => {
            const call = this.deps.telephony.call(p.channelId);
            if (call) await this.applyMute(p, call, muted, 'audience');
          }),
        ),
    );
    return conference.audienceMuted;
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

  /**
   * The caller's phone put the conference on hold (its hold music must not reach the others: the line is
   * silenced at the channel while held), or took it off hold (the line is as muted as the roster says).
   */
  setHeld(participantId: string, held: boolean): Promise<Participant | undefined> {
    return this.muting.run(participantId, async () => {
      const participant = await this.deps.participants.get(participantId);
      const call = participant && this.deps.telephony.call(participant.channelId);
      if (!participant || !call || participant.state !== (held ? 'connected' : 'on-hold')) return participant;
      if (held) await call.setMuted(true);
      const updated = await this.deps.participants.setState(participantId, held ? 'on-hold' : 'connected');
      if (!held && !participant.muted) await call.setMuted(false);
      await this.talk.mute(participant.conferenceId, participantId, held || participant.muted);
      this.deps.log.info({ participant: participantId, held }, held ? 'put the conference on hold' : 'back from hold');
      return updated;
    });
  }

  /** The caller hears every change: "you are muted", or "a leader has muted you". */
  private async applyMute(participant: Participant, call: Call, muted: boolean, by: MutedBy): Promise<Participant> {
    // A line on hold stays silenced at the channel whatever the roster's mute says.
    await call.setMuted(muted || participant.state === 'on-hold');
    const updated = await this.deps.participants.setMuted(participant.id, muted, muted ? by : null);
    await this.talk.mute(participant.conferenceId, participant.id, muted);
    if (participant.muted !== muted) {
      const byLeader = by !== 'self';
      call.play([muted ? (byLeader ? PROMPTS.mutedByLeader : PROMPTS.muted) : byLeader ? PROMPTS.unmutedByLeader : PROMPTS.unmuted]);
    }
    return updated ?? participant;
  }

  /** Talk detection; returns the participant as now stored (the flow reminds a muted talker). */
  async setTalking(participantId: string, talking: boolean): Promise<Participant | undefined> {
    // One statement per talk event: this runs for every burst of speech of every caller.
    const now = await this.deps.participants.setTalking(participantId, talking);
    if (now) await this.talk.talk(now.conferenceId, now.id, talking, now.muted);
    return now;
  }

  /** Tells the caller they were removed, then hangs up; they may dial in again unless the conference is locked. */
  async eject(conferenceId: string, participantId: string): Promise<Participant> {
    const { participant, call } = await this.connected(conferenceId, participantId);
    return this.dismiss(participant, call, PROMPTS.ejected, 'ejected');
  }

  /**
   * Ends the gathering for everyone: each caller (in the bridge, the lobby or the attendant) hears
   * that the conference has ended, then is hung up. The meeting itself stays: it can be joined again.
   */
  async endForEveryone(conferenceId: string): Promise<number> {
    const live = (await this.deps.participants.list(conferenceId)).filter((p) => p.state !== 'disconnected' && p.state !== 'disconnecting');
    await this.deps.conferences.endSession(conferenceId, 'leader');
    const dismissed = await Promise.all(
      live.map(async (p) => {
        const call = this.deps.telephony.call(p.channelId);
        // A phone still ringing stops ringing: nobody is left to talk to.
        if (p.state === 'inviting' || p.state === 'ringing') {
          await this.leave(p, 'cancelled');
          return call?.hangup();
        }
        if (!call) return this.leave(p, 'ended-by-leader');
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
    await this.talk.leave(participant.conferenceId, participant.id);
    void call
      .play([prompt])
      .finished.then(() => call.hangup())
      .catch((error: unknown) => this.deps.log.warn({ err: error, participant: participant.id }, 'hangup after the closing prompt failed'));
    return updated ?? participant;
  }

  async setLocked(conferenceId: string, locked: boolean): Promise<Conference> {
    const conference = await this.deps.conferences.setLocked(conferenceId, locked);
    if (!conference) throw new DomainError('conference-not-found', `no conference ${conferenceId}`);
    return conference;
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

  /** After a database outage: each conference with callers gets the music (or not) its roster says. */
  async settleAll(): Promise<void> {
    const conferences = new Set((await this.deps.participants.live()).filter((p) => inBridge(p.state)).map((p) => p.conferenceId));
    for (const conferenceId of conferences) await this.bridges.settle(conferenceId);
  }

  private async connected(conferenceId: string, participantId: string) {
    const participant = await this.deps.participants.get(participantId);
    if (participant?.conferenceId !== conferenceId) throw new DomainError('participant-not-found', `no participant ${participantId}`);
    const call = inBridge(participant.state) ? this.deps.telephony.call(participant.channelId) : undefined;
    if (!call) throw new DomainError('participant-not-connected', `participant ${participantId} is not connected`);
    return { participant, call };
  }
}

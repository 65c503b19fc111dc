import type { Conference } from '../domain/conference.js';
import type { CommandKey } from '../domain/keypad.js';
import type { Clock } from '../ports/clock.js';
import type { NameVoice } from '../ports/name-voice.js';
import type { AuditLog } from '../ports/audit.js';
import type { RecordingStore } from '../ports/recordings.js';
import type { RefusalLog } from '../ports/history.js';
import type { Log } from '../ports/log.js';
import type { ConferenceStore, ParticipantStore } from '../ports/store.js';
import type { Telephony } from '../ports/telephony.js';
import { Announcer } from './announcer.js';
import { Attendance } from './attendance.js';
import { ConferenceBridges } from './conference-bridges.js';
import { ConferenceEntry } from './entry.js';
import { Lobby } from './lobby.js';
import { Moderation } from './moderation.js';
import { Muting } from './muting.js';
import { Recorder } from './recorder.js';
import { TalkTracker } from './talk-tracker.js';

export interface LiveConferencesDeps {
  readonly conferences: ConferenceStore;
  readonly participants: ParticipantStore;
  readonly telephony: Telephony;
  readonly log: Log;
  readonly clock: Clock;
  /** The join-window rule (meetings/join-window.ts): may a caller enter this conference now? */
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
  /** A cluster: the conferences this instance answers for; unset: all. */
  readonly scope?: () => Promise<ReadonlySet<string>>;
  /** Callers turned away before the roster, for the call records; unset: not kept. */
  readonly refusals?: Pick<RefusalLog, 'record'>;
  /** A number as others may see it: how nameless callers are shown (see ConferenceEntryDeps). */
  readonly maskNumber?: (number: string) => string | null;
}

/**
 * The live conference, built once and shared: each part owns one responsibility, and call flows and
 * the API take only the parts (or the narrower interfaces) they use. State lives in the store.
 */
export class LiveConferences {
  /** Finding the conference and the caller's roster row before the bridge; who is present. */
  readonly entry: ConferenceEntry;
  /** The holding bridge and the callers waiting to be admitted. */
  readonly lobby: Lobby;
  /** Every mute, hold and talk change. */
  readonly muting: Muting;
  /** Into and out of the bridge; the roster put right after restarts and outages. */
  readonly attendance: Attendance;
  /** Lock, announcements, eject, end, private words and the keypad's audit entries. */
  readonly moderation: Moderation;
  /** Undefined when the deployment keeps no recordings store (unit tests of other behaviour). */
  readonly recorder: Recorder | undefined;

  constructor(deps: LiveConferencesDeps) {
    const bridges = new ConferenceBridges(deps.telephony, (id) => deps.participants.countConnected(id));
    const talk = new TalkTracker({ ...deps, now: () => deps.clock.now().getTime() });
    const announcer = new Announcer(deps, deps.announceWindowMs);
    this.recorder = deps.recordings && new Recorder({ ...deps, recordings: deps.recordings });
    this.entry = new ConferenceEntry(deps);
    this.lobby = new Lobby(deps.telephony, deps.participants);
    this.muting = new Muting({ ...deps, talk, entry: this.entry });
    this.attendance = new Attendance({ ...deps, bridges, talk, announcer, lobby: this.lobby, muting: this.muting, recorder: this.recorder });
    this.moderation = new Moderation({ ...deps, talk, attendance: this.attendance });
  }
}

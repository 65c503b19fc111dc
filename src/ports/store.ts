import type { AccessType, Conference } from '../domain/conference.js';
import type { AuthMethod, EndReason, JoinedVia, MutedBy, Participant, ParticipantRole, ParticipantState } from '../domain/participant.js';

export interface AccessNumber {
  readonly number: string;
  readonly display: string;
  readonly region: string;
  /** The primary language first, then up to four secondary ones. */
  readonly languages: readonly string[];
}

export interface NewConference {
  readonly id: string;
  readonly conferenceId: string;
  readonly subject: string;
  readonly accessType: AccessType;
  readonly passcode: string | null;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  readonly organizerId: string | null;
  readonly usesPersonalId?: boolean;
  readonly timeZone?: string | null;
  readonly recurrence?: string | null;
  readonly joinBeforeLeader?: boolean;
  readonly lobbyBypass?: boolean;
  readonly announceEntryExit?: boolean;
  readonly announceWith?: Conference['announceWith'];
  readonly audienceMayUnmute?: boolean;
  readonly maxParticipants?: number;
  readonly invitees?: readonly string[];
  readonly leaders?: readonly string[];
  /** Defaults to the Meet Now window from now. */
  readonly opensAt?: Date;
  readonly expiresAt?: Date | null;
}

/** What an organiser may change after scheduling; `sequence` is bumped with it. */
export type MeetingChanges = Partial<
  Pick<
    Conference,
    | 'subject'
    | 'accessType'
    | 'passcode'
    | 'startsAt'
    | 'endsAt'
    | 'timeZone'
    | 'recurrence'
    | 'joinBeforeLeader'
    | 'lobbyBypass'
    | 'announceEntryExit'
    | 'announceWith'
    | 'audienceMayUnmute'
    | 'maxParticipants'
    | 'invitees'
    | 'leaders'
    | 'opensAt'
    | 'expiresAt'
  >
>;

/** Why a caller could not be connected; 'gone': they left, or the row is no longer live. */
export type ConnectRefusal = 'locked' | 'full' | 'ended' | 'gone';

/** A caller let into the bridge, with what their next steps depend on, read in the same step. */
export interface Admitted {
  readonly participant: Participant;
  /** The conference as it stood at the admission (a lock or an audience mute after it reaches them as one of those present). */
  readonly conference: Pick<Conference, 'status' | 'locked' | 'audienceMuted' | 'announceEntryExit' | 'lobbyBypass'>;
  /** A conference recording is running: the joiner is told. */
  readonly recording: boolean;
}

/** A caller's call has ended: the row as it is now, the state it left, and what the leave depends on. */
export interface Departed {
  readonly participant: Participant;
  readonly was: ParticipantState;
  readonly conference: Pick<Conference, 'audienceMuted' | 'announceEntryExit'>;
}

/** Talk detection's latest word on one line. */
export interface TalkChange {
  readonly id: string;
  readonly talking: boolean;
}

export interface NewParticipant {
  readonly id: string;
  readonly conferenceId: string;
  readonly channelId: string;
  readonly displayName: string;
  readonly callerNumber: string;
  readonly language?: string;
  /** `inviting` for a call parley is about to place; `connecting` (in the attendant) otherwise. */
  readonly state?: 'inviting' | 'connecting';
  readonly role?: ParticipantRole;
  /** A directory user parley calls in (they asked for the call). */
  readonly userId?: string;
  /** `voip`: from a user's registered SIP device; a phone otherwise. */
  readonly via?: JoinedVia;
}

/** The language each caller chose, by caller ID, to greet them in it next time. */
export interface CallerLanguageStore {
  get(callerNumber: string): Promise<string | undefined>;
  set(callerNumber: string, language: string): Promise<void>;
}

export interface ConferenceStore {
  /** Inserts, or returns false when the conference ID is taken by a live conference. */
  insert(conference: NewConference): Promise<Conference | false>;
  get(id: string): Promise<Conference | undefined>;
  /** Conferences with this ID that are not ended (several share a personal ID); the caller picks by join window. */
  liveWithConferenceId(conferenceId: string): Promise<Conference[]>;
  /** Applies the changes and bumps `sequence`. */
  update(id: string, changes: MeetingChanges): Promise<Conference | undefined>;
  /** Ends it for good (no one can join) and bumps `sequence` for the METHOD:CANCEL. */
  cancel(id: string, at: Date): Promise<Conference | undefined>;
  /** Ends conferences whose join window closed before `before` and that nobody is in; frees their IDs. */
  expire(before: Date): Promise<number>;
  setLocked(id: string, locked: boolean): Promise<Conference | undefined>;
  /** What leaders change during the meeting (`*4`, `*9`); not an invitation change, so `sequence` stays. */
  setLiveState(id: string, changes: { audienceMuted?: boolean; announceEntryExit?: boolean }): Promise<Conference | undefined>;
  /** A directory user promoted (or demoted) on the call: they get the role back when they dial in again. */
  setPromoted(id: string, userId: string, promoted: boolean): Promise<void>;
  /** A leader ended the gathering: the open session's record says so when it closes. */
  endSession(id: string, by: 'leader'): Promise<void>;
  /** The starburst: who holds the floor now (null: nobody). */
  setActiveSpeaker(id: string, participantId: string | null): Promise<void>;
  markActive(id: string): Promise<void>;
}

export interface ParticipantStore {
  insert(participant: NewParticipant): Promise<Participant>;
  get(participantId: string): Promise<Participant | undefined>;
  byChannel(channelId: string): Promise<Participant | undefined>;
  list(conferenceId: string): Promise<Participant[]>;
  /** A directory user's rows in the conference that are not disconnected. */
  liveOfUser(conferenceId: string, userId: string): Promise<Participant[]>;
  /** Live participants of every conference: the roster to re-attach after a restart. */
  live(): Promise<Participant[]>;
  /** `endReason` is kept from the first state that ends the call (disconnecting or disconnected). */
  setState(id: string, state: ParticipantState, endReason?: EndReason): Promise<Participant | undefined>;
  /**
   * Out of the lobby, only while the participant waits there in that conference: of two leaders'
   * decisions about one caller (admit and deny, or admit twice), exactly one is taken.
   */
  leaveLobby(conferenceId: string, id: string, to: 'connecting' | 'disconnecting', endReason?: EndReason): Promise<Participant | undefined>;
  /**
   * Connects the participant only while their conference admits callers (not ended, not locked unless
   * `overrideLock`, below its size limit), in one step so neither a lock nor another caller slips in between.
   */
  connect(id: string, options: { overrideLock: boolean }): Promise<Admitted | { refused: ConnectRefusal }>;
  /** Disconnected, keeping the first end reason (also on a row that had left already, which had none); undefined: no such row. */
  disconnect(id: string, endReason: EndReason): Promise<Departed | undefined>;
  annotate(id: string, notes: { nameRecording?: string; language?: string; authMethod?: AuthMethod }): Promise<Participant | undefined>;
  /** Promote or demote while the call lasts. */
  setRole(id: string, role: ParticipantRole): Promise<Participant | undefined>;
  setNoisy(id: string, noisy: boolean): Promise<Participant | undefined>;
  setMuted(id: string, muted: boolean, by: MutedBy | null): Promise<Participant | undefined>;
  /** The caller proved who they are: a PIN at the keypad, or their device's SIP credentials. */
  identify(id: string, identity: { userId: string; displayName: string; role: ParticipantRole; authMethod?: 'pin' | 'sip' }): Promise<Participant | undefined>;
  /**
   * Writes talk state for several lines at once; returns the lines that are connected (written, or
   * already so), with whether each is muted.
   */
  setTalking(changes: readonly TalkChange[]): Promise<Array<{ id: string; muted: boolean }>>;
  /** Connected or on hold. */
  countConnected(conferenceId: string): Promise<number>;
  /** A leader is connected or on hold. */
  leaderPresent(conferenceId: string): Promise<boolean>;
}

export interface AccessNumberStore {
  list(): Promise<AccessNumber[]>;
  get(number: string): Promise<AccessNumber | undefined>;
  /** Throws UniqueConflict('number') when the number exists. */
  insert(accessNumber: AccessNumber): Promise<AccessNumber>;
  update(number: string, changes: Partial<Omit<AccessNumber, 'number'>>): Promise<AccessNumber | undefined>;
  remove(number: string): Promise<boolean>;
}

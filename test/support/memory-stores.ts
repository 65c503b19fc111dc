// In-memory stores with the semantics of the SQL in src/adapters/pg/*-store.ts and the schema
// constraints of migrations/001: rows are immutable snapshots, so a value read before an update
// keeps its old fields, exactly as a row returned by a query does.
import { UniqueConflict } from '../../src/ports/directory-store.js';
import type { Conference } from '../../src/domain/conference.js';
import { inBridge, mayMove } from '../../src/domain/roster.js';
import type { AuthMethod, EndReason, MutedBy, Participant, ParticipantRole, ParticipantState } from '../../src/domain/participant.js';
import { rosterNumber } from '../../src/directory/roster-number.js';
import type {
  CallerLanguageStore,
  ConnectRefusal,
  Admitted,
  Departed,
  TalkChange,
  AccessNumber,
  AccessNumberStore,
  ConferenceStore,
  MeetingChanges,
  NewConference,
  NewParticipant,
  ParticipantStore,
} from '../../src/ports/store.js';

const MEETING_ID = /^[0-9a-f]{32}$/;
const CONFERENCE_ID = /^[0-9]{1,16}$/;
const PASSCODE = /^[0-9]{4,12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a constraint violation is in the database: an error, never a silent success. */
export class ConstraintViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConstraintViolation';
  }
}

/** A monotonically increasing clock for created/joined/left timestamps (1 ms per tick from a fixed start). */
function ticker(start = Date.UTC(2030, 0, 1)): () => Date {
  let t = start;
  return () => new Date(t++);
}

export class MemoryConferenceStore implements ConferenceStore {
  private readonly rows = new Map<string, Conference>();
  /** Every insert attempt, in order, whether it succeeded or not. */
  readonly insertAttempts: NewConference[] = [];

  constructor(private readonly now: () => Date = ticker()) {}

  async insert(c: NewConference): Promise<Conference | false> {
    this.insertAttempts.push(c);
    if (!MEETING_ID.test(c.id)) throw new ConstraintViolation(`conferences.id ${c.id}`);
    if (!CONFERENCE_ID.test(c.conferenceId)) throw new ConstraintViolation(`conferences.conference_id ${c.conferenceId}`);
    if (c.passcode !== null && !PASSCODE.test(c.passcode)) throw new ConstraintViolation('conferences.passcode');
    if (!['anonymous', 'open', 'closed'].includes(c.accessType)) throw new ConstraintViolation('conferences.access_type');
    // Unique violations (primary key, or the conference ID among non-ended conferences) read as false.
    if (this.rows.has(c.id)) return false;
    if (!c.usesPersonalId && this.live(c.conferenceId)) return false;
    const createdAt = this.now();
    const row: Conference = {
      id: c.id,
      conferenceId: c.conferenceId,
      subject: c.subject,
      accessType: c.accessType,
      passcode: c.passcode,
      locked: false,
      status: 'scheduled',
      startsAt: c.startsAt,
      endsAt: c.endsAt,
      createdAt,
      organizerId: c.organizerId,
      sequence: 0,
      cancelledAt: null,
      usesPersonalId: c.usesPersonalId ?? false,
      timeZone: c.timeZone ?? null,
      activeSpeakerId: null,
      promotedUserIds: [],
      recurrence: c.recurrence ?? null,
      joinBeforeLeader: c.joinBeforeLeader ?? true,
      lobbyBypass: c.lobbyBypass ?? true,
      announceEntryExit: c.announceEntryExit ?? false,
      announceWith: c.announceWith ?? 'names',
      audienceMuted: false,
      audienceMayUnmute: c.audienceMayUnmute ?? true,
      maxParticipants: c.maxParticipants ?? 250,
      invitees: c.invitees ?? [],
      leaders: c.leaders ?? [],
      opensAt: c.opensAt ?? createdAt,
      expiresAt: c.expiresAt === undefined ? new Date(createdAt.getTime() + 8 * 3600_000) : c.expiresAt,
    };
    this.rows.set(row.id, row);
    return row;
  }

  async get(id: string): Promise<Conference | undefined> {
    return this.rows.get(id);
  }

  async liveWithConferenceId(conferenceId: string): Promise<Conference[]> {
    return [...this.rows.values()].filter((c) => c.conferenceId === conferenceId && c.status !== 'ended');
  }

  async setLocked(id: string, locked: boolean): Promise<Conference | undefined> {
    return this.write(id, { locked });
  }

  async setLiveState(id: string, changes: { audienceMuted?: boolean; announceEntryExit?: boolean }): Promise<Conference | undefined> {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    return this.write(id, defined);
  }

  async markActive(id: string): Promise<void> {
    if (this.rows.get(id)?.status === 'scheduled') this.write(id, { status: 'active' });
  }

  async update(id: string, changes: MeetingChanges): Promise<Conference | undefined> {
    const row = this.rows.get(id);
    if (!row || row.status === 'ended') return undefined;
    return this.write(id, { ...changes, sequence: row.sequence + 1 });
  }

  /** Not modelled here: expiry is proven on PostgreSQL (test/integration/jobs.test.ts). */
  async expire(): Promise<number> {
    throw new Error('MemoryConferenceStore.expire is not modelled; use PostgreSQL');
  }

  /** Sessions are the database's (a trigger); the memory store only remembers who ended one. */
  readonly sessionsEndedBy: Array<{ id: string; by: 'leader' }> = [];

  async endSession(id: string, by: 'leader'): Promise<void> {
    this.sessionsEndedBy.push({ id, by });
  }

  async setPromoted(id: string, userId: string, promoted: boolean): Promise<void> {
    const row = this.rows.get(id);
    if (!row) return;
    const others = row.promotedUserIds.filter((u) => u !== userId);
    this.write(id, { promotedUserIds: promoted ? [...others, userId] : others });
  }

  async setActiveSpeaker(id: string, participantId: string | null): Promise<void> {
    if (this.rows.has(id)) this.write(id, { activeSpeakerId: participantId });
  }

  async cancel(id: string, at: Date): Promise<Conference | undefined> {
    const row = this.rows.get(id);
    if (!row || row.status === 'ended') return undefined;
    return this.write(id, { status: 'ended', cancelledAt: at, sequence: row.sequence + 1 });
  }

  // --- test helpers (not part of the port) ---

  /** Puts a conference in the store as a test needs it; defaults: scheduled, unlocked, no passcode. */
  seed(fields: Partial<Conference> & Pick<Conference, 'conferenceId'>): Conference {
    const id = fields.id ?? `${this.rows.size + 1}`.padStart(32, 'c');
    const row: Conference = {
      id,
      subject: 'Weekly sync',
      accessType: 'anonymous',
      passcode: null,
      locked: false,
      status: 'scheduled',
      startsAt: null,
      endsAt: null,
      organizerId: null,
      usesPersonalId: false,
      timeZone: null,
      recurrence: null,
      joinBeforeLeader: true,
      lobbyBypass: true,
      announceEntryExit: false,
      announceWith: 'names',
      audienceMuted: false,
      activeSpeakerId: null,
      promotedUserIds: [],
      audienceMayUnmute: true,
      maxParticipants: 250,
      invitees: [],
      leaders: [],
      sequence: 0,
      cancelledAt: null,
      createdAt: this.now(),
      opensAt: new Date(0),
      expiresAt: null,
      ...fields,
    };
    if (row.status !== 'ended' && this.live(row.conferenceId)) {
      throw new ConstraintViolation(`conference ID ${row.conferenceId} is taken`);
    }
    this.rows.set(id, row);
    return row;
  }

  /** Sets fields directly, as another process writing to the database would (e.g. ending a conference). */
  write(id: string, fields: Partial<Omit<Conference, 'id'>>): Conference | undefined {
    const row = this.rows.get(id);
    if (!row) return undefined;
    const updated = { ...row, ...fields };
    this.rows.set(id, updated);
    return updated;
  }

  all(): Conference[] {
    return [...this.rows.values()];
  }

  private live(conferenceId: string): Conference | undefined {
    return [...this.rows.values()].find((c) => c.conferenceId === conferenceId && c.status !== 'ended');
  }
}

/** A participant as stored: the port's fields plus the columns the port does not return. */
interface ParticipantRow {
  readonly participant: Participant;
  readonly callerNumber: string;
  readonly createdAt: Date;
  readonly seq: number;
}

export class MemoryParticipantStore implements ParticipantStore {
  private readonly rows = new Map<string, ParticipantRow>();
  private seq = 0;

  constructor(
    /** When given, inserts check the foreign key to conferences, as the schema does. */
    private readonly conferences?: MemoryConferenceStore,
    private readonly now: () => Date = ticker(),
  ) {}

  async insert(p: NewParticipant): Promise<Participant> {
    if (!UUID.test(p.id)) throw new ConstraintViolation(`participants.id ${p.id} is not a uuid`);
    if (this.rows.has(p.id)) throw new ConstraintViolation(`participants.id ${p.id} exists`);
    if (this.conferences && !(await this.conferences.get(p.conferenceId))) {
      throw new ConstraintViolation(`participants.conference_id ${p.conferenceId} references no conference`);
    }
    if (this.liveRows().some((row) => row.participant.channelId === p.channelId)) {
      throw new ConstraintViolation(`channel ${p.channelId} already has a live participant`);
    }
    return this.seed(
      { id: p.id, conferenceId: p.conferenceId, channelId: p.channelId, displayName: p.displayName, language: p.language ?? null, state: p.state ?? 'connecting', role: p.role ?? 'participant', userId: p.userId ?? null, via: p.via ?? 'phone', rosterNumber: rosterNumber(p.callerNumber, p.displayName) },
      p.callerNumber,
    );
  }

  async get(participantId: string): Promise<Participant | undefined> {
    return this.rows.get(participantId)?.participant;
  }

  async byChannel(channelId: string): Promise<Participant | undefined> {
    return this.liveRows().find((row) => row.participant.channelId === channelId)?.participant;
  }

  async list(conferenceId: string): Promise<Participant[]> {
    return this.ordered()
      .filter((row) => row.participant.conferenceId === conferenceId)
      .map((row) => row.participant);
  }

  async liveOfUser(conferenceId: string, userId: string): Promise<Participant[]> {
    return (await this.list(conferenceId)).filter((p) => p.userId === userId && p.state !== 'disconnected');
  }

  async live(): Promise<Participant[]> {
    return this.liveRows().map((row) => row.participant);
  }

  /** As the SQL: connected only while the conference is neither locked nor ended. */
  async connect(id: string, { overrideLock }: { overrideLock: boolean }): Promise<Admitted | { refused: ConnectRefusal }> {
    const row = this.rows.get(id);
    if (!row || row.participant.state === 'disconnected') return { refused: 'gone' };
    const conference = await this.conferences?.get(row.participant.conferenceId);
    if (conference?.status === 'ended') return { refused: 'ended' };
    if (conference?.locked && !overrideLock) return { refused: 'locked' };
    const present = (await this.countConnected(row.participant.conferenceId)) - (inBridge(row.participant.state) ? 1 : 0);
    if (conference && present >= conference.maxParticipants) return { refused: 'full' };
    const participant = await this.setState(id, 'connected');
    if (!participant) return { refused: 'gone' };
    const state = conference ?? { status: 'active' as const, locked: false, audienceMuted: false, announceEntryExit: false, lobbyBypass: true };
    return {
      participant,
      conference: { status: state.status, locked: state.locked, audienceMuted: state.audienceMuted, announceEntryExit: state.announceEntryExit, lobbyBypass: state.lobbyBypass },
      recording: false,
    };
  }

  async disconnect(id: string, endReason: EndReason): Promise<Departed | undefined> {
    const before = this.rows.get(id)?.participant;
    if (!before) return undefined;
    const participant = await this.setState(id, 'disconnected', endReason);
    if (!participant) return undefined;
    const conference = await this.conferences?.get(participant.conferenceId);
    return { participant, was: before.state, conference: { audienceMuted: conference?.audienceMuted ?? false, announceEntryExit: conference?.announceEntryExit ?? false } };
  }

  async annotate(id: string, notes: { nameRecording?: string; language?: string; authMethod?: AuthMethod }): Promise<Participant | undefined> {
    const row = this.rows.get(id);
    if (!row) return undefined;
    return this.write(row, {
      nameRecording: notes.nameRecording ?? row.participant.nameRecording,
      language: notes.language ?? row.participant.language,
      authMethod: notes.authMethod ?? row.participant.authMethod,
    });
  }

  async setRole(id: string, role: ParticipantRole): Promise<Participant | undefined> {
    const row = this.rows.get(id);
    return row && row.participant.state !== 'disconnected' ? this.write(row, { role }) : undefined;
  }

  async setNoisy(id: string, noisy: boolean): Promise<Participant | undefined> {
    const row = this.rows.get(id);
    return row?.participant.state === 'connected' ? this.write(row, { noisy }) : undefined;
  }

  async leaveLobby(conferenceId: string, id: string, to: 'connecting' | 'disconnecting', endReason?: EndReason): Promise<Participant | undefined> {
    const row = this.rows.get(id);
    if (row?.participant.state !== 'lobby' || row.participant.conferenceId !== conferenceId) return undefined;
    return this.setState(id, to, endReason);
  }

  /** A disconnected participant stays disconnected: only 'disconnected' may be written over it. */
  async setState(id: string, state: ParticipantState, endReason?: EndReason): Promise<Participant | undefined> {
    const row = this.rows.get(id);
    if (!row) return undefined;
    if (!mayMove(row.participant.state, state)) return undefined;
    const now = this.now();
    return this.write(row, {
      state,
      joinedAt: state === 'connected' ? (row.participant.joinedAt ?? now) : row.participant.joinedAt,
      leftAt: state === 'disconnected' ? (row.participant.leftAt ?? now) : row.participant.leftAt,
      talking: row.participant.talking && state === 'connected',
      noisy: row.participant.noisy && state === 'connected',
      endReason: state === 'disconnecting' || state === 'disconnected' ? (row.participant.endReason ?? endReason ?? null) : row.participant.endReason,
    });
  }

  async setMuted(id: string, muted: boolean, by: MutedBy | null): Promise<Participant | undefined> {
    const row = this.rows.get(id);
    if (!row) return undefined;
    return this.write(row, { muted, mutedBy: by });
  }

  async setTalking(changes: readonly TalkChange[]): Promise<Array<{ id: string; muted: boolean }>> {
    const stored: Array<{ id: string; muted: boolean }> = [];
    for (const { id, talking } of changes) {
      const row = this.rows.get(id);
      if (row?.participant.state !== 'connected') continue;
      if (row.participant.talking !== talking) this.write(row, { talking });
      stored.push({ id, muted: row.participant.muted });
    }
    return stored;
  }

  async leaderPresent(conferenceId: string): Promise<boolean> {
    return [...this.rows.values()].some((row) => row.participant.conferenceId === conferenceId && row.participant.role === 'leader' && inBridge(row.participant.state));
  }

  async countConnected(conferenceId: string): Promise<number> {
    return [...this.rows.values()].filter(
      (row) => row.participant.conferenceId === conferenceId && inBridge(row.participant.state),
    ).length;
  }

  // --- test helpers (not part of the port) ---

  async identify(id: string, identity: { userId: string; displayName: string; role: Participant['role']; authMethod?: 'pin' | 'sip' }): Promise<Participant | undefined> {
    const row = this.rows.get(id);
    return row ? this.write(row, { ...identity, authMethod: identity.authMethod ?? 'pin' }) : undefined;
  }

  /** Every participant ever inserted, in insertion order. */
  all(): Participant[] {
    return this.ordered().map((row) => row.participant);
  }

  /** Puts a participant in the store in any state, e.g. one left over from before a restart. */
  seed(fields: Partial<Participant> & Pick<Participant, 'id' | 'conferenceId' | 'channelId'>, callerNumber = ''): Participant {
    const participant: Participant = {
      displayName: 'Caller',
      role: 'participant',
      state: 'connecting',
      muted: false,
      mutedBy: null,
      talking: false,
      noisy: false,
      via: 'phone',
      joinedAt: null,
      leftAt: null,
      userId: null,
      nameRecording: null,
      language: null,
      authMethod: 'none',
      endReason: null,
      rosterNumber: rosterNumber(callerNumber),
      ...fields,
    };
    this.rows.set(participant.id, { participant, callerNumber, createdAt: this.now(), seq: this.seq++ });
    return participant;
  }

  private write(row: ParticipantRow, fields: Partial<Participant>): Participant {
    const participant = { ...row.participant, ...fields };
    this.rows.set(participant.id, { ...row, participant });
    return participant;
  }

  private ordered(): ParticipantRow[] {
    return [...this.rows.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq);
  }

  private liveRows(): ParticipantRow[] {
    return this.ordered().filter((row) => row.participant.state !== 'disconnected');
  }
}

export const US_ACCESS_NUMBER: AccessNumber = {
  number: '14255550100',
  display: '+1 (425) 555-0100',
  region: 'US',
  languages: ['en-US'],
};

export class MemoryAccessNumberStore implements AccessNumberStore {
  private readonly numbers: Map<string, AccessNumber>;

  constructor(numbers: readonly AccessNumber[] = [US_ACCESS_NUMBER]) {
    this.numbers = new Map(numbers.map((n) => [n.number, n]));
  }

  async list(): Promise<AccessNumber[]> {
    return [...this.numbers.values()].sort((a, b) => cmp(a.region, b.region) || cmp(a.number, b.number));
  }

  async get(number: string): Promise<AccessNumber | undefined> {
    return this.numbers.get(number);
  }

  async insert(accessNumber: AccessNumber): Promise<AccessNumber> {
    if (this.numbers.has(accessNumber.number)) throw new UniqueConflict('number');
    this.numbers.set(accessNumber.number, accessNumber);
    return accessNumber;
  }

  async update(number: string, changes: Partial<Omit<AccessNumber, 'number'>>): Promise<AccessNumber | undefined> {
    const current = this.numbers.get(number);
    if (!current) return undefined;
    const updated = { ...current, ...changes };
    this.numbers.set(number, updated);
    return updated;
  }

  async remove(number: string): Promise<boolean> {
    return this.numbers.delete(number);
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface MemoryStores {
  readonly conferences: MemoryConferenceStore;
  readonly participants: MemoryParticipantStore;
  readonly accessNumbers: MemoryAccessNumberStore;
  readonly callerLanguages: MemoryCallerLanguageStore;
}

/** One database's worth of stores, sharing a clock and the participants → conferences foreign key. */
export class MemoryCallerLanguageStore implements CallerLanguageStore {
  readonly languages = new Map<string, string>();

  async get(callerNumber: string): Promise<string | undefined> {
    return this.languages.get(callerNumber);
  }

  async set(callerNumber: string, language: string): Promise<void> {
    this.languages.set(callerNumber, language);
  }
}

export function memoryStores(accessNumbers?: readonly AccessNumber[]): MemoryStores {
  const now = ticker();
  const conferences = new MemoryConferenceStore(now);
  return {
    conferences,
    participants: new MemoryParticipantStore(conferences, now),
    accessNumbers: new MemoryAccessNumberStore(accessNumbers),
    callerLanguages: new MemoryCallerLanguageStore(),
  };
}

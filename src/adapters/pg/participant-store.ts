import type pg from 'pg';
import type { Conference } from '../../domain/conference.js';
import type { Participant } from '../../domain/participant.js';
import { rosterNumber } from '../../directory/roster-number.js';
import { predecessorsOf } from '../../domain/roster.js';
import type { ConnectRefusal, NewParticipant, ParticipantStore } from '../../ports/store.js';

interface ParticipantRow {
  id: string;
  conference_id: string;
  channel_id: string;
  display_name: string;
  role: Participant['role'];
  state: Participant['state'];
  muted: boolean;
  muted_by: Participant['mutedBy'];
  talking: boolean;
  noisy: boolean;
  via: Participant['via'];
  roster_number: string | null;
  joined_at: Date | null;
  left_at: Date | null;
  user_id: string | null;
  name_recording: string | null;
  language: string | null;
  auth_method: Participant['authMethod'];
  end_reason: Participant['endReason'];
}

export function toParticipant(row: ParticipantRow): Participant {
  return {
    id: row.id,
    conferenceId: row.conference_id,
    channelId: row.channel_id,
    displayName: row.display_name,
    role: row.role,
    state: row.state,
    muted: row.muted,
    mutedBy: row.muted_by,
    talking: row.talking,
    noisy: row.noisy,
    via: row.via,
    rosterNumber: row.roster_number ?? null,
    joinedAt: row.joined_at,
    leftAt: row.left_at,
    userId: row.user_id,
    nameRecording: row.name_recording,
    language: row.language,
    authMethod: row.auth_method,
    endReason: row.end_reason,
  };
}

/**
 * The participant's columns by name: a prepared statement returning `*` fails ("cached plan must not
 * change result type") once a migration adds a column under a running process.
 */
const COLUMNS = `id, conference_id, channel_id, display_name, role, state, muted, muted_by, talking, noisy, via, roster_number, joined_at,
  left_at, user_id, name_recording, language, auth_method, end_reason`;
const columnsOf = (table: string) => COLUMNS.split(',').map((c) => `${table}.${c.trim()}`).join(', ');

interface AdmissionRow {
  refused: Exclude<ConnectRefusal, 'gone'> | null;
  conference_status: Conference['status'];
  conference_locked: boolean;
  conference_audience_muted: boolean;
  conference_announce_entry_exit: boolean;
  conference_lobby_bypass: boolean;
  conference_recording: boolean;
}

/**
 * $1 participant, $2 override the lock, $3 the states `connected` may follow. No row: the participant
 * has left (or its conference is gone); `refused` set: why not; the participant's columns null: it left meanwhile.
 */
const CONNECT_SQL = `
  with target as (
    -- By the primary key alone: with a state filter here a cached plan may walk every live line instead.
    select id, conference_id, state from participants where id = $1 for update
  ), conference as (
    select c.status, c.locked, c.connected, c.max_participants, c.audience_muted, c.announce_entry_exit, c.lobby_bypass,
      exists (select 1 from recordings r where r.conference_id = c.id and r.ended_at is null and r.name like 'parley-conf-%') as recording
    from conferences c where c.id = (select conference_id from target where state <> 'disconnected') for update of c
  ), verdict as (
    select case
      when c.status = 'ended' then 'ended'
      when c.locked and not $2::boolean then 'locked'
      -- A caller already in the bridge (connect twice) is counted once.
      when c.connected - (select (t.state in ('connected', 'on-hold'))::integer from target t) >= c.max_participants then 'full'
    end as refused
    from conference c
  ), admitted as (
    update participants p set state = 'connected', joined_at = coalesce(p.joined_at, now())
    from verdict v where p.id = $1 and v.refused is null and p.state = any($3::text[])
    returning ${columnsOf('p')}
  )
  select ${columnsOf('a')}, v.refused, c.status as conference_status, c.locked as conference_locked,
    c.audience_muted as conference_audience_muted, c.announce_entry_exit as conference_announce_entry_exit,
    c.lobby_bypass as conference_lobby_bypass, c.recording as conference_recording
  from verdict v cross join conference c left join admitted a on true`;

/**
 * $1 participant, $2 end reason: the row as left, the state it left, and the conference's flags a leave
 * depends on. A row that has left already keeps its state and gets the reason if it had none (a refused
 * caller is disconnected first and told why after).
 */
const DISCONNECT_SQL = `
  update participants p set state = 'disconnected', left_at = coalesce(p.left_at, now()),
    end_reason = coalesce(p.end_reason, $2), talking = false, noisy = false, talking_since = null
  from (select id, state from participants where id = $1 for update) old_row, conferences c
  where p.id = old_row.id and c.id = p.conference_id
  returning ${columnsOf('p')}, old_row.state as was, c.audience_muted, c.announce_entry_exit`;

/** $1 ids, $2 talking: only rows whose state changes are written (and make a roster event); every connected line is returned. */
const SET_TALKING_SQL = `
  with change as (select * from unnest($1::uuid[], $2::boolean[]) as change(id, talking)),
  written as (
    update participants p set talking = change.talking,
      talking_since = case when change.talking then coalesce(p.talking_since, now()) end
    from change where p.id = change.id and p.state = 'connected' and p.talking <> change.talking
  )
  select p.id, p.muted from participants p join change on change.id = p.id where p.state = 'connected'`;

/** Prepared once per connection: these run for every caller, and planning them cost more than running them. */
const prepared = (name: string, text: string, values: unknown[]) => ({ name: `parley-${name}`, text, values });

export function pgParticipantStore(pool: pg.Pool): ParticipantStore {
  const many = async (sql: string, params: unknown[]) =>
    (await pool.query<ParticipantRow>(sql, params)).rows.map(toParticipant);
  const one = async (sql: string, params: unknown[]) => (await many(sql, params))[0];
  return {
    async insert(p: NewParticipant) {
      return (await one(
        `insert into participants (id, conference_id, channel_id, display_name, caller_number, language, state, role, user_id, via, roster_number)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning *`,
        [p.id, p.conferenceId, p.channelId, p.displayName, p.callerNumber, p.language ?? null, p.state ?? 'connecting', p.role ?? 'participant', p.userId ?? null, p.via ?? 'phone', rosterNumber(p.callerNumber, p.displayName)],
      ))!;
    },
    get: (id) => one('select * from participants where id = $1', [id]),
    byChannel: (channelId) =>
      one(`select * from participants where channel_id = $1 and state <> 'disconnected'`, [channelId]),
    list: (conferenceId) =>
      many('select * from participants where conference_id = $1 order by created_at, id', [conferenceId]),
    liveOfUser: (conferenceId, userId) =>
      many(`select * from participants where conference_id = $1 and user_id = $2 and state <> 'disconnected'`, [conferenceId, userId]),
    live: () => many(`select * from participants where state <> 'disconnected'`, []),
    setState: (id, state, endReason) =>
      one(
        `update participants set state = $2,
           joined_at = case when $2 = 'connected' then coalesce(joined_at, now()) else joined_at end,
           left_at = case when $2 = 'disconnected' then coalesce(left_at, now()) else left_at end,
           end_reason = case when $2 in ('disconnecting', 'disconnected') then coalesce(end_reason, $3) else end_reason end,
           talking = talking and $2 = 'connected', noisy = noisy and $2 = 'connected',
           talking_since = case when $2 = 'connected' then talking_since end
         where id = $1 and state = any($4::text[]) returning *`,
        [id, state, endReason ?? null, predecessorsOf(state)],
      ),
    leaveLobby: (conferenceId, id, to, endReason) =>
      one(
        `update participants set state = $3,
           end_reason = case when $3 = 'disconnecting' then coalesce(end_reason, $4) else end_reason end
         where id = $2 and conference_id = $1 and state = 'lobby' returning *`,
        [conferenceId, id, to, endReason ?? null],
      ),
    // One statement, so the conference row is locked for microseconds, not for a transaction's round
    // trips: the participant's row first, then the conference's (the order every single-row change takes,
    // its trigger updating the conference row), so the two never deadlock. Under the conference row's
    // lock `connected` is exact, and neither a lock nor another joiner slips in between check and join.
    async connect(id, { overrideLock }) {
      const { rows } = await pool.query<ParticipantRow & AdmissionRow>(prepared('connect', CONNECT_SQL, [id, overrideLock, predecessorsOf('connected')]));
      const row = rows[0];
      if (!row) return { refused: 'gone' };
      if (row.refused) return { refused: row.refused };
      if (!row.id) return { refused: 'gone' };
      return {
        participant: toParticipant(row),
        conference: {
          status: row.conference_status,
          locked: row.conference_locked,
          audienceMuted: row.conference_audience_muted,
          announceEntryExit: row.conference_announce_entry_exit,
          lobbyBypass: row.conference_lobby_bypass,
        },
        recording: row.conference_recording,
      };
    },
    async disconnect(id, endReason) {
      const { rows } = await pool.query<ParticipantRow & { was: Participant['state']; audience_muted: boolean; announce_entry_exit: boolean }>(
        prepared('disconnect', DISCONNECT_SQL, [id, endReason]),
      );
      const row = rows[0];
      if (!row) return undefined;
      return { participant: toParticipant(row), was: row.was, conference: { audienceMuted: row.audience_muted, announceEntryExit: row.announce_entry_exit } };
    },
    annotate: (id, { nameRecording, language, authMethod }) =>
      one(
        `update participants set name_recording = coalesce($2, name_recording), language = coalesce($3, language),
           auth_method = coalesce($4, auth_method)
         where id = $1 returning *`,
        [id, nameRecording ?? null, language ?? null, authMethod ?? null],
      ),
    identify: (id, { userId, displayName, role, authMethod }) =>
      one(`update participants set user_id = $2, display_name = $3, role = $4, auth_method = coalesce($5, 'pin') where id = $1 returning *`, [
        id,
        userId,
        displayName,
        role,
        authMethod ?? null,
      ]),
    setRole: (id, role) => one(`update participants set role = $2 where id = $1 and state <> 'disconnected' returning *`, [id, role]),
    setNoisy: (id, noisy) => one(`update participants set noisy = $2 where id = $1 and state = 'connected' returning *`, [id, noisy]),
    setMuted: (id, muted, by) =>
      one('update participants set muted = $2, muted_by = $3 where id = $1 returning *', [id, muted, by]),
    async setTalking(changes) {
      if (changes.length === 0) return [];
      const { rows } = await pool.query<{ id: string; muted: boolean }>(
        prepared('set-talking', SET_TALKING_SQL, [changes.map((c) => c.id), changes.map((c) => c.talking)]),
      );
      return rows;
    },
    async leaderPresent(conferenceId) {
      const { rows } = await pool.query<{ present: boolean }>(
        `select exists (select 1 from participants where conference_id = $1 and role = 'leader' and state in ('connected', 'on-hold')) as present`,
        [conferenceId],
      );
      return rows[0]?.present ?? false;
    },
    async countConnected(conferenceId) {
      const { rows } = await pool.query<{ n: number }>('select connected as n from conferences where id = $1', [conferenceId]);
      return rows[0]?.n ?? 0;
    },
  };
}

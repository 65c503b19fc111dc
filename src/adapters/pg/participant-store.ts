import type pg from 'pg';
import type { Participant } from '../../domain/participant.js';
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
    joinedAt: row.joined_at,
    leftAt: row.left_at,
    userId: row.user_id,
    nameRecording: row.name_recording,
    language: row.language,
    authMethod: row.auth_method,
    endReason: row.end_reason,
  };
}

export function pgParticipantStore(pool: pg.Pool): ParticipantStore {
  const many = async (sql: string, params: unknown[]) =>
    (await pool.query<ParticipantRow>(sql, params)).rows.map(toParticipant);
  const one = async (sql: string, params: unknown[]) => (await many(sql, params))[0];
  return {
    async insert(p: NewParticipant) {
      return (await one(
        `insert into participants (id, conference_id, channel_id, display_name, caller_number, language, state, role, user_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`,
        [p.id, p.conferenceId, p.channelId, p.displayName, p.callerNumber, p.language ?? null, p.state ?? 'connecting', p.role ?? 'participant', p.userId ?? null],
      ))!;
    },
    get: (id) => one('select * from participants where id = $1', [id]),
    byChannel: (channelId) =>
      one(`select * from participants where channel_id = $1 and state <> 'disconnected'`, [channelId]),
    list: (conferenceId) =>
      many('select * from participants where conference_id = $1 order by created_at, id', [conferenceId]),
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
    // Locking the conference row serialises joins per conference, so the count is exact and a lock
    // cannot slip in between the check and the join.
    async connect(id, { overrideLock }) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        // The participant's row first, then the conference's: the order every single-row change takes
        // (its event trigger locks the conference row), so the two never deadlock.
        await client.query('select 1 from participants where id = $1 for update', [id]);
        const { rows } = await client.query<{ conference_id: string; locked: boolean; status: string; max_participants: number }>(
          `select c.id as conference_id, c.locked, c.status, c.max_participants
           from conferences c join participants p on p.conference_id = c.id
           where p.id = $1 and p.state <> 'disconnected' for update of c`,
          [id],
        );
        const conference = rows[0];
        let refused: ConnectRefusal | undefined;
        if (!conference) refused = 'gone';
        else if (conference.status === 'ended') refused = 'ended';
        else if (conference.locked && !overrideLock) refused = 'locked';
        else {
          const { rows: counted } = await client.query<{ n: number }>(
            `select count(*)::int as n from participants where conference_id = $1 and state in ('connected', 'on-hold') and id <> $2`,
            [conference.conference_id, id],
          );
          if ((counted[0]?.n ?? 0) >= conference.max_participants) refused = 'full';
        }
        const updated = refused
          ? undefined
          : await client.query<ParticipantRow>(
              `update participants set state = 'connected', joined_at = coalesce(joined_at, now()) where id = $1 returning *`,
              [id],
            );
        await client.query('commit');
        const row = updated?.rows[0];
        return row ? { participant: toParticipant(row) } : { refused: refused ?? 'gone' };
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    annotate: (id, { nameRecording, language, authMethod }) =>
      one(
        `update participants set name_recording = coalesce($2, name_recording), language = coalesce($3, language),
           auth_method = coalesce($4, auth_method)
         where id = $1 returning *`,
        [id, nameRecording ?? null, language ?? null, authMethod ?? null],
      ),
    identify: (id, { userId, displayName, role }) =>
      one(`update participants set user_id = $2, display_name = $3, role = $4, auth_method = 'pin' where id = $1 returning *`, [
        id,
        userId,
        displayName,
        role,
      ]),
    setRole: (id, role) => one(`update participants set role = $2 where id = $1 and state <> 'disconnected' returning *`, [id, role]),
    setNoisy: (id, noisy) => one(`update participants set noisy = $2 where id = $1 and state = 'connected' returning *`, [id, noisy]),
    setMuted: (id, muted, by) =>
      one('update participants set muted = $2, muted_by = $3 where id = $1 returning *', [id, muted, by]),
    setTalking: (id, talking) =>
      one(
        `update participants set talking = $2, talking_since = case when $2 then coalesce(talking_since, now()) end
         where id = $1 and state = 'connected' returning *`,
        [id, talking],
      ),
    async countConnected(conferenceId) {
      const { rows } = await pool.query<{ n: number }>(
        `select count(*)::int as n from participants where conference_id = $1 and state in ('connected', 'on-hold')`,
        [conferenceId],
      );
      return rows[0]?.n ?? 0;
    },
  };
}

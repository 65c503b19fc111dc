import type pg from 'pg';
import type { Participant } from '../../domain/participant.js';
import type { NewParticipant, ParticipantStore } from '../../ports/store.js';

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
  via: Participant['via'];
  joined_at: Date | null;
  left_at: Date | null;
  user_id: string | null;
}

function toParticipant(row: ParticipantRow): Participant {
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
    via: row.via,
    joinedAt: row.joined_at,
    leftAt: row.left_at,
    userId: row.user_id,
  };
}

export function pgParticipantStore(pool: pg.Pool): ParticipantStore {
  const many = async (sql: string, params: unknown[]) =>
    (await pool.query<ParticipantRow>(sql, params)).rows.map(toParticipant);
  const one = async (sql: string, params: unknown[]) => (await many(sql, params))[0];
  return {
    async insert(p: NewParticipant) {
      return (await one(
        `insert into participants (id, conference_id, channel_id, display_name, caller_number)
         values ($1, $2, $3, $4, $5) returning *`,
        [p.id, p.conferenceId, p.channelId, p.displayName, p.callerNumber],
      ))!;
    },
    get: (id) => one('select * from participants where id = $1', [id]),
    byChannel: (channelId) =>
      one(`select * from participants where channel_id = $1 and state <> 'disconnected'`, [channelId]),
    list: (conferenceId) =>
      many('select * from participants where conference_id = $1 order by created_at, id', [conferenceId]),
    live: () => many(`select * from participants where state <> 'disconnected'`, []),
    setState: (id, state) =>
      one(
        `update participants set state = $2,
           joined_at = case when $2 = 'connected' then coalesce(joined_at, now()) else joined_at end,
           left_at = case when $2 = 'disconnected' then coalesce(left_at, now()) else left_at end,
           talking = talking and $2 = 'connected'
         where id = $1 and (state <> 'disconnected' or $2 = 'disconnected') returning *`,
        [id, state],
      ),
    // The admission rule of domain/conference.ts (not locked, not ended), checked in the same statement.
    connect: (id) =>
      one(
        `update participants p set state = 'connected', joined_at = coalesce(p.joined_at, now())
         where p.id = $1 and p.state <> 'disconnected'
           and exists (select 1 from conferences c
                       where c.id = p.conference_id and not c.locked and c.status <> 'ended')
         returning p.*`,
        [id],
      ),
    identify: (id, { userId, displayName, role }) =>
      one('update participants set user_id = $2, display_name = $3, role = $4 where id = $1 returning *', [id, userId, displayName, role]),
    setMuted: (id, muted, by) =>
      one('update participants set muted = $2, muted_by = $3 where id = $1 returning *', [id, muted, by]),
    async setTalking(id, talking) {
      await pool.query(`update participants set talking = $2 where id = $1 and state = 'connected'`, [id, talking]);
    },
    async countConnected(conferenceId) {
      const { rows } = await pool.query<{ n: number }>(
        `select count(*)::int as n from participants where conference_id = $1 and state = 'connected'`,
        [conferenceId],
      );
      return rows[0]?.n ?? 0;
    },
  };
}

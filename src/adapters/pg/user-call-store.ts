import type pg from 'pg';
import type { UserCallStore } from '../../ports/user-call-store.js';

export function pgUserCallStore(pool: pg.Pool): UserCallStore {
  return {
    async save(pair) {
      await pool.query('insert into user_calls (call_id, leg_id, user_id) values ($1, $2, $3) on conflict (call_id) do nothing', [pair.callId, pair.legId, pair.userId]);
    },
    async byChannel(channelId) {
      const row = (
        await pool.query<{ call_id: string; leg_id: string; user_id: string }>('select call_id, leg_id, user_id from user_calls where call_id = $1 or leg_id = $1', [channelId])
      ).rows[0];
      return row && { callId: row.call_id, legId: row.leg_id, userId: row.user_id };
    },
    async all() {
      const { rows } = await pool.query<{ call_id: string; leg_id: string; user_id: string }>('select call_id, leg_id, user_id from user_calls');
      return rows.map((row) => ({ callId: row.call_id, legId: row.leg_id, userId: row.user_id }));
    },
    async remove(callId) {
      await pool.query('delete from user_calls where call_id = $1', [callId]);
    },
  };
}

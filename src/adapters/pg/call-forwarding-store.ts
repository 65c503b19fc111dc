import type pg from 'pg';
import type { CallForwardingSettings, Presence } from '../../domain/call-routing.js';
import type { CallForwardingStore } from '../../ports/call-forwarding-store.js';

const FOREIGN_KEY_VIOLATION = '23503';

/** A write for a user removed meanwhile: false rather than an error. */
async function unlessUserGone(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) return false;
    throw error;
  }
}

export function pgCallForwardingStore(pool: pg.Pool): CallForwardingStore {
  return {
    async settings(userId) {
      const { rows } = await pool.query<{ settings: CallForwardingSettings }>('select settings from call_forwarding where user_id = $1', [userId]);
      return rows[0]?.settings;
    },
    saveSettings: (userId, settings) =>
      unlessUserGone(() =>
        pool.query(
          `insert into call_forwarding (user_id, settings) values ($1, $2)
           on conflict (user_id) do update set settings = excluded.settings, updated_at = now()`,
          [userId, JSON.stringify(settings)],
        ),
      ),
    async presence(userId) {
      const { rows } = await pool.query<Presence>('select state, since, until from user_presence where user_id = $1', [userId]);
      return rows[0];
    },
    savePresence: (userId, presence) =>
      unlessUserGone(() =>
        pool.query(
          `insert into user_presence (user_id, state, since, until) values ($1, $2, $3, $4)
           on conflict (user_id) do update set state = excluded.state, since = excluded.since, until = excluded.until`,
          [userId, presence.state, presence.since, presence.until],
        ),
      ),
  };
}

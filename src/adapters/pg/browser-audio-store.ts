import type pg from 'pg';
import type { BrowserAudioSession, BrowserAudioStore } from '../../ports/browser-audio-store.js';

interface Row {
  username: string;
  conference_id: string;
  user_id: string | null;
  display_name: string;
  created_at: Date;
}

const COLUMNS = 'username, conference_id, user_id, display_name, created_at';
const toSession = (row: Row): BrowserAudioSession => ({
  username: row.username,
  conferenceId: row.conference_id,
  userId: row.user_id,
  displayName: row.display_name,
  createdAt: row.created_at,
});

export function pgBrowserAudioStore(pool: pg.Pool): BrowserAudioStore {
  return {
    async save(session) {
      await pool.query('insert into browser_audio (username, conference_id, user_id, display_name) values ($1, $2, $3, $4)', [
        session.username,
        session.conferenceId,
        session.userId,
        session.displayName,
      ]);
    },
    async get(username) {
      const row = (await pool.query<Row>(`select ${COLUMNS} from browser_audio where username = $1`, [username])).rows[0];
      return row && toSession(row);
    },
    async remove(username) {
      const row = (await pool.query<Row>(`delete from browser_audio where username = $1 returning ${COLUMNS}`, [username])).rows[0];
      return row && toSession(row);
    },
    async removeOlderThan(before) {
      return (await pool.query<Row>(`delete from browser_audio where created_at < $1 returning ${COLUMNS}`, [before])).rows.map(toSession);
    },
  };
}

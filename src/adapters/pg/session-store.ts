import type pg from 'pg';
import type { ConferenceSession, SessionStore } from '../../ports/history.js';

interface SessionRow {
  id: string;
  started_at: Date;
  ended_at: Date | null;
  peak_participants: number;
  ended_by: ConferenceSession['endedBy'];
}

/** Sessions are written by the participants trigger (migration 012); this only reads them. */
export function pgSessionStore(pool: pg.Pool): SessionStore {
  return {
    async list(conferenceId) {
      const { rows } = await pool.query<SessionRow>('select * from conference_sessions where conference_id = $1 order by started_at', [conferenceId]);
      return rows.map((r) => ({ id: r.id, startedAt: r.started_at, endedAt: r.ended_at, peakParticipants: r.peak_participants, endedBy: r.ended_by }));
    },
  };
}

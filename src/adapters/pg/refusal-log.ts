import type pg from 'pg';
import type { DoorRefusal, Refusal } from '../../domain/participant.js';
import type { RefusalLog } from '../../ports/history.js';

interface Row {
  conference_id: string;
  at: Date;
  caller: string;
  reason: Refusal;
  language: string | null;
}

/** Callers turned away before the roster (migration 024). */
export function pgRefusalLog(pool: pg.Pool): RefusalLog {
  return {
    async record(r) {
      await pool.query('insert into door_refusals (conference_id, at, caller, reason, language) values ($1, $2, $3, $4, $5)', [r.conferenceId, r.at, r.caller, r.reason, r.language]);
    },
    async list(conferenceId, limit) {
      const { rows } = await pool.query<Row>('select * from door_refusals where conference_id = $1 order by at desc, id desc limit $2', [conferenceId, limit]);
      return rows.map((r): DoorRefusal => ({ conferenceId: r.conference_id, at: r.at, caller: r.caller, reason: r.reason, language: r.language }));
    },
  };
}

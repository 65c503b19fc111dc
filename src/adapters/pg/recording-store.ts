import type pg from 'pg';
import { RecordingRunning, type NameRecording, type Recording, type RecordingStore } from '../../ports/recordings.js';

const COLUMNS = `id, conference_id as "conferenceId", name, format, started_at as "startedAt", ended_at as "endedAt",
  purged_at as "purgedAt", created_by as "createdBy"`;

export function pgRecordingStore(pool: pg.Pool): RecordingStore {
  const many = async (sql: string, params: unknown[]) => (await pool.query<Recording>(sql, params)).rows;
  return {
    async insert(r) {
      try {
        const [row] = await many(
          `insert into recordings (conference_id, name, format, started_at, created_by) values ($1, $2, $3, $4, $5) returning ${COLUMNS}`,
          [r.conferenceId, r.name, r.format ?? 'wav', r.startedAt, r.createdBy ?? null],
        );
        return row!;
      } catch (error) {
        if ((error as { constraint?: string }).constraint === 'recordings_running') throw new RecordingRunning();
        throw error;
      }
    },
    get: async (id) => (await many(`select ${COLUMNS} from recordings where id = $1`, [id]))[0],
    running: async (conferenceId) =>
      (await many(`select ${COLUMNS} from recordings where conference_id = $1 and ended_at is null and name like 'parley-conf-%'`, [conferenceId]))[0],
    list: (conferenceId) => many(`select ${COLUMNS} from recordings where conference_id = $1 order by started_at, id`, [conferenceId]),
    async finish(id, endedAt) {
      const [row] = await many(`update recordings set ended_at = coalesce(ended_at, $2) where id = $1 returning ${COLUMNS}`, [id, endedAt]);
      return row;
    },
    endedBefore: (before) =>
      many(`select ${COLUMNS} from recordings where purged_at is null and ended_at < $1 order by ended_at, id`, [before]),
    async markPurged(id, at) {
      await pool.query('update recordings set purged_at = coalesce(purged_at, $2) where id = $1', [id, at]);
    },
    async nameRecordingsLeftBefore(before) {
      const { rows } = await pool.query<NameRecording>(
        `select id as "participantId", name_recording as prompt from participants
         where name_recording is not null and state = 'disconnected' and left_at < $1 order by left_at, id`,
        [before],
      );
      return rows;
    },
    async forgetNameRecording(participantId, prompt) {
      await pool.query('update participants set name_recording = null where id = $1 and name_recording = $2', [participantId, prompt]);
    },
  };
}

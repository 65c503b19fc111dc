import type pg from 'pg';
import type { Voicemail, VoicemailStore } from '../../ports/voicemail-store.js';

interface VoicemailRow {
  id: string;
  user_id: string;
  caller_number: string;
  caller_name: string;
  recording: string;
  seconds: string;
  created_at: Date;
}

const toVoicemail = (row: VoicemailRow): Voicemail => ({
  id: row.id,
  userId: row.user_id,
  callerNumber: row.caller_number,
  callerName: row.caller_name,
  recording: row.recording,
  seconds: Number(row.seconds),
  createdAt: row.created_at,
});

export function pgVoicemailStore(pool: pg.Pool): VoicemailStore {
  return {
    async insert(v) {
      const { rows } = await pool.query<VoicemailRow>(
        `insert into voicemails (id, user_id, caller_number, caller_name, recording, seconds) values ($1, $2, $3, $4, $5, $6) returning *`,
        [v.id, v.userId, v.callerNumber, v.callerName, v.recording, v.seconds],
      );
      return toVoicemail(rows[0]!);
    },
    async list(userId) {
      return (await pool.query<VoicemailRow>('select * from voicemails where user_id = $1 order by created_at desc', [userId])).rows.map(toVoicemail);
    },
    async get(id) {
      const row = (await pool.query<VoicemailRow>('select * from voicemails where id = $1', [id])).rows[0];
      return row && toVoicemail(row);
    },
    async remove(id) {
      return ((await pool.query('delete from voicemails where id = $1', [id])).rowCount ?? 0) > 0;
    },
  };
}

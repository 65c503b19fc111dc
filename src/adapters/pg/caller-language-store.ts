import type pg from 'pg';
import type { CallerLanguageStore } from '../../ports/store.js';

export function pgCallerLanguageStore(pool: pg.Pool): CallerLanguageStore {
  return {
    async get(callerNumber) {
      const { rows } = await pool.query<{ language: string }>('select language from caller_languages where caller_number = $1', [callerNumber]);
      return rows[0]?.language;
    },
    async set(callerNumber, language) {
      await pool.query(
        `insert into caller_languages (caller_number, language) values ($1, $2)
         on conflict (caller_number) do update set language = excluded.language, updated_at = now()`,
        [callerNumber, language],
      );
    },
  };
}

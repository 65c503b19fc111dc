import type pg from 'pg';
import type { AccessNumber, AccessNumberStore } from '../../ports/store.js';

export function pgAccessNumberStore(pool: pg.Pool): AccessNumberStore {
  return {
    async list() {
      const { rows } = await pool.query<AccessNumber>(
        'select number, display, region, languages from access_numbers order by region, number',
      );
      return rows;
    },
  };
}

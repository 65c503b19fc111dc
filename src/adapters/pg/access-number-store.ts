import type pg from 'pg';
import type { AccessNumber, AccessNumberStore } from '../../ports/store.js';
import { mapUniqueViolation } from './user-store.js';

const COLUMNS = 'number, display, region, languages';

export function pgAccessNumberStore(pool: pg.Pool): AccessNumberStore {
  const one = async (sql: string, params: unknown[]) => (await pool.query<AccessNumber>(sql, params)).rows[0];
  return {
    list: async () => (await pool.query<AccessNumber>(`select ${COLUMNS} from access_numbers order by region, number`)).rows,
    get: (number) => one(`select ${COLUMNS} from access_numbers where number = $1`, [number]),
    insert: (n) =>
      mapUniqueViolation(
        async () =>
          (await one(`insert into access_numbers (${COLUMNS}) values ($1, $2, $3, $4) returning ${COLUMNS}`, [
            n.number,
            n.display,
            n.region,
            n.languages,
          ]))!,
        { access_numbers_pkey: 'number' },
      ),
    update: (number, changes) =>
      one(
        `update access_numbers set display = coalesce($2, display), region = coalesce($3, region),
           languages = coalesce($4, languages) where number = $1 returning ${COLUMNS}`,
        [number, changes.display ?? null, changes.region ?? null, changes.languages ?? null],
      ),
    async remove(number) {
      return ((await pool.query('delete from access_numbers where number = $1', [number])).rowCount ?? 0) > 0;
    },
  };
}

import type pg from 'pg';
import type { Region, RegionStore } from '../../ports/directory-store.js';
import { mapUniqueViolation } from './user-store.js';

const FOREIGN_KEY_VIOLATION = '23503';

export function pgRegionStore(pool: pg.Pool): RegionStore {
  const one = async (sql: string, params: unknown[]) => (await pool.query<Region>(sql, params)).rows[0];
  return {
    list: async () => (await pool.query<Region>('select code, name, country from regions order by code')).rows,
    get: (code) => one('select code, name, country from regions where code = $1', [code]),
    insert: (region) =>
      mapUniqueViolation(
        async () => (await one('insert into regions (code, name, country) values ($1, $2, $3) returning *', [region.code, region.name, region.country]))!,
        { regions_pkey: 'code' },
      ),
    update: (code, changes) =>
      one(
        'update regions set name = coalesce($2, name), country = coalesce($3, country) where code = $1 returning *',
        [code, changes.name ?? null, changes.country ?? null],
      ),
    async remove(code) {
      try {
        return ((await pool.query('delete from regions where code = $1', [code])).rowCount ?? 0) > 0;
      } catch (error) {
        if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) return 'in-use';
        throw error;
      }
    },
  };
}

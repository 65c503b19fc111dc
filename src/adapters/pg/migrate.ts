import { fileURLToPath } from 'node:url';
import Postgrator from 'postgrator';
import type pg from 'pg';

const migrationsDir = fileURLToPath(new URL('../../../src/adapters/pg/migrations', import.meta.url));

/** The schema version the migrations in this build lead to. */
export const LATEST_SCHEMA = 26;

/** Applies every migration not yet applied, under Postgrator's lock; returns the schema version. */
export async function migrate(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    const postgrator = new Postgrator({
      migrationPattern: `${migrationsDir}/*`,
      driver: 'pg',
      schemaTable: 'schema_version',
      execQuery: (query) => client.query(query),
    });
    await postgrator.migrate();
    return Number(await postgrator.getDatabaseVersion());
  } finally {
    client.release();
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate } from '../../src/adapters/pg/migrate.js';

const serverUrl = () => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const migrationsDir = fileURLToPath(new URL('../../src/adapters/pg/migrations', import.meta.url));

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the real PostgreSQL server, dropped after the test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  return create('');
}

/**
 * A fresh database already at the latest schema: a copy of a template migrated once per set of
 * migrations (half a second of migrating per test file, many times over, was a good part of the
 * fast suite's CPU). Migrating it again is a no-op, as for any up-to-date database.
 */
export async function createMigratedTestDatabase(): Promise<TestDatabase> {
  return create(`template ${await migratedTemplate()}`);
}

async function create(template: string): Promise<TestDatabase> {
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  await asAdmin((admin) => admin.query(`create database ${name} ${template}`));
  const url = databaseUrl(name);
  return {
    url,
    async drop() {
      await asAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** The template for this set of migrations, built by whichever test file asks first (the others wait). */
async function migratedTemplate(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsDir).sort()) hash.update(file).update(readFileSync(`${migrationsDir}/${file}`));
  const name = `parley_template_${hash.digest('hex').slice(0, 12)}`;
  await asAdmin(async (admin) => {
    await admin.query(`select pg_advisory_lock(hashtext('parley test template'))`);
    try {
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (rowCount) return;
      // Built under another name and renamed when complete: a run killed meanwhile leaves no half template.
      const building = `${name}_building`;
      await admin.query(`drop database if exists ${building} with (force)`);
      await admin.query(`create database ${building}`);
      const pool = new pg.Pool({ connectionString: databaseUrl(building), max: 1 });
      try {
        await migrate(pool);
      } finally {
        await pool.end();
      }
      await admin.query(`alter database ${building} rename to ${name}`);
      // Templates of older migration sets.
      const old = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'parley\\_template\\_%' and datname <> $1`, [name]);
      for (const { datname } of old.rows) await admin.query(`drop database if exists ${datname} with (force)`);
    } finally {
      await admin.query(`select pg_advisory_unlock(hashtext('parley test template'))`);
    }
  });
  return name;
}

async function asAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

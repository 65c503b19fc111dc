import type pg from 'pg';
import { migrate } from '../../src/adapters/pg/migrate.js';
import { createPool } from '../../src/adapters/pg/pool.js';
import { createMigratedTestDatabase } from './database.js';
import { buildHttp, type HttpApp, type HttpOptions } from '../../src/adapters/http/app.js';
import type { Telephony } from '../../src/ports/telephony.js';
import { createServices, type ServiceOptions } from '../../src/services.js';

export const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * argon2id at its smallest cost: the same algorithm and code path, without 64 MiB and three passes per
 * password and PIN that the API tests create by the hundred. The default cost has its own test (config).
 */
export const TEST_HASH_COST = { memoryKiB: 1024, passes: 2 } as const;

/** No calls are up in API tests: what the API does to calls is proven end to end. */
export const noCalls: Telephony = {
  onCall() {},
  onSynced() {},
  bridge: () => {
    throw new Error('no bridge in API tests');
  },
  lobby: () => {
    throw new Error('no lobby in API tests');
  },
  call: () => undefined,
  dial: () => {
    throw new Error('no calls are placed in API tests');
  },
  isUp: () => false,
  liveCallIds: () => new Set(),
};

/** The real services on a real database, behind the real HTTP app (not listening; inject into it). */
export function apiApp(pool: pg.Pool, serviceToken: string, options: Partial<ServiceOptions> & Partial<HttpOptions> = {}): Promise<HttpApp> {
  const services = createServices({ pool, telephony: noCalls, log: silentLog, serviceToken, hashCost: TEST_HASH_COST, ...options });
  return buildHttp(services, {
    logger: false,
    ...(options.signInLimit ? { signInLimit: options.signInLimit } : {}),
    ...(options.streams ? { streams: options.streams } : {}),
    ...(options.signInLimits ? { signInLimits: options.signInLimits } : {}),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
  });
}

export interface TestApi {
  readonly pool: pg.Pool;
  readonly app: HttpApp;
  close(): Promise<void>;
}

/** A fresh database, migrated, with the real API on it: for one test file (close it in afterAll). */
export async function apiOnFreshDatabase(serviceToken: string, options: Partial<ServiceOptions> & Partial<HttpOptions> = {}): Promise<TestApi> {
  const db = await createMigratedTestDatabase();
  const pool = createPool(db.url);
  await migrate(pool);
  const app = await apiApp(pool, serviceToken, options);
  return {
    pool,
    app,
    async close() {
      await app.close();
      await pool.end();
      await db.drop();
    },
  };
}

export interface SignedInUser {
  readonly id: string;
  /** Headers carrying the user's session token. */
  readonly auth: Record<string, string>;
}

/**
 * Directory users made through the API (as the administrator with `serviceToken`), each signed in: by
 * key, `<key>@example.com` with password `<key> password 0123`, in the US.
 */
export async function signedInUsers(app: HttpApp, serviceToken: string, users: Record<string, object>): Promise<Record<string, SignedInUser>> {
  const people: Record<string, SignedInUser> = {};
  for (const [key, user] of Object.entries(users)) {
    const email = `${key}@example.com`;
    const password = `${key} password 0123`;
    const created = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${serviceToken}` }, payload: { displayName: key, ...user, email, sipUri: `sip:${email}`, region: 'US', password } });
    if (created.statusCode !== 201) throw new Error(`could not make user ${key}: ${created.body}`);
    const token = (await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email, password } })).json().token as string;
    people[key] = { id: created.json().id as string, auth: { authorization: `Bearer ${token}` } };
  }
  return people;
}

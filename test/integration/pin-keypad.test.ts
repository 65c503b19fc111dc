import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/adapters/pg/migrate.js';
import { createPool } from '../../src/adapters/pg/pool.js';
import { createServices, type Services } from '../../src/services.js';
import { noCalls, silentLog } from '../support/api-app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let pool: pg.Pool;
let services: Services;
let now = new Date('2027-01-01T09:00:00Z');
const SERVICE = { kind: 'service' } as const;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  await migrate(pool);
  services = createServices({
    pool,
    telephony: noCalls,
    log: silentLog,
    serviceToken: 'pin-admin-token-0123456',
    clock: { now: () => now },
    pinPolicy: { minLength: 5, historySize: 5, maxFailedAttempts: 3, lockoutMinutes: 30, expiryDays: 0 },
  });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

it('names callers by extension or phone number, and locks the PIN after repeated failures across calls', async () => {
  const user = await services.directory.create(SERVICE, {
    displayName: 'Cy', email: 'cy@example.com', sipUri: 'sip:cy@example.com', extension: '5200', region: 'US', phones: { mobile: '(425) 555-0177' },
  });
  await services.pins.set(SERVICE, user.id, '80417');

  expect(await services.pins.verifyAtKeypad('5200', '80417')).toMatchObject({ verdict: 'ok', user: { id: user.id } });
  expect(await services.pins.verifyAtKeypad('4255550177', '80417')).toMatchObject({ verdict: 'ok' });
  expect(await services.pins.verifyAtKeypad('9999', '80417')).toEqual({ verdict: 'wrong' });

  expect(await services.pins.verifyAtKeypad('5200', '11111')).toEqual({ verdict: 'wrong' });
  expect(await services.pins.verifyAtKeypad('5200', '11112')).toEqual({ verdict: 'wrong' });
  expect(await services.pins.verifyAtKeypad('5200', '11113')).toEqual({ verdict: 'locked' });
  expect(await services.pins.verifyAtKeypad('5200', '80417')).toEqual({ verdict: 'locked' });

  now = new Date(now.getTime() + 31 * 60_000);
  expect(await services.pins.verifyAtKeypad('5200', '80417')).toMatchObject({ verdict: 'ok' });

  // Setting a new PIN clears a lockout at once.
  for (const pin of ['1', '2', '3']) await services.pins.verifyAtKeypad('5200', pin);
  expect((await services.directory.get(SERVICE, user.id)).pinLockedUntil).not.toBeNull();
  await services.pins.set(SERVICE, user.id, '90215');
  expect(await services.pins.verifyAtKeypad('5200', '90215')).toMatchObject({ verdict: 'ok' });
});

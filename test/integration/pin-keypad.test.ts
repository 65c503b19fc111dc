import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/adapters/pg/migrate.js';
import { createPool } from '../../src/adapters/pg/pool.js';
import type { User } from '../../src/domain/user.js';
import { createServices, type Services } from '../../src/services.js';
import { noCalls, silentLog, TEST_HASH_COST } from '../support/api-app.js';
import { createMigratedTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let pool: pg.Pool;
let services: Services;
let now = new Date('2027-01-01T09:00:00Z');
const SERVICE = { kind: 'service' } as const;
const MINUTE = 60_000;
const later = (minutes: number) => (now = new Date(now.getTime() + minutes * MINUTE));

beforeAll(async () => {
  db = await createMigratedTestDatabase();
  pool = createPool(db.url);
  await migrate(pool);
  services = createServices({
    pool,
    telephony: noCalls,
    log: silentLog,
    serviceToken: 'pin-admin-token-0123456',
    hashCost: TEST_HASH_COST,
    clock: { now: () => now },
    pinPolicy: { minLength: 4, historySize: 5, failureWindowMinutes: 30, lockoutMinutes: 60, expiryDays: 0 },
  });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function userWithPin(extension: string, pin: string, phones = {}): Promise<User> {
  const user = await services.directory.create(SERVICE, {
    displayName: `User ${extension}`, email: `u${extension}@example.com`, sipUri: `sip:u${extension}@example.com`, extension, region: 'US', phones,
  });
  return services.pins.set(SERVICE, user.id, pin);
}

const counters = async (user: User) =>
  (await pool.query('select pin_local_failures as local, pin_global_failures as global from users where id = $1', [user.id])).rows[0];
const verdicts = async (extension: string, pins: string[]) => {
  const out: string[] = [];
  for (const pin of pins) out.push((await services.pins.verifyAtKeypad(extension, pin)).verdict);
  return out;
};
const wrongPins = (n: number) => Array.from({ length: n }, (_, i) => String(1000 + i));

it('names callers by extension or phone number, and answers an unknown one like a wrong PIN', async () => {
  const user = await userWithPin('5200', '80417', { mobile: '(425) 555-0177' });
  expect(await services.pins.verifyAtKeypad('5200', '80417')).toMatchObject({ verdict: 'ok', user: { id: user.id } });
  expect(await services.pins.verifyAtKeypad('4255550177', '80417')).toMatchObject({ verdict: 'ok', user: { id: user.id } });
  expect(await services.pins.verifyAtKeypad('9999', '80417')).toEqual({ verdict: 'wrong' });
});

it('locks a 4-digit PIN for an hour at the 10th wrong PIN close together, across calls, without checking it meanwhile', async () => {
  const user = await userWithPin('5201', '8041');
  expect(await verdicts('5201', wrongPins(9))).toEqual(Array(9).fill('wrong'));
  expect(await services.pins.verifyAtKeypad('5201', '1111')).toEqual({ verdict: 'locked' });
  const locked = await services.directory.get(SERVICE, user.id);
  expect(locked.pinLockedUntil).toEqual(new Date(now.getTime() + 60 * MINUTE));
  expect(locked.pinLockedOut).toBe(false);

  // The right PIN is not even checked while locked, and locked tries do not count.
  expect(await services.pins.verifyAtKeypad('5201', '8041')).toEqual({ verdict: 'locked' });
  later(59);
  expect(await services.pins.verifyAtKeypad('5201', '8041')).toEqual({ verdict: 'locked' });
  expect(await counters(user)).toEqual({ local: 0, global: 10 });

  later(1);
  expect(await services.pins.verifyAtKeypad('5201', '8041')).toMatchObject({ verdict: 'ok' });
  expect(await counters(user)).toEqual({ local: 0, global: 0 });
}, 60_000);

it('counts wrong PINs spread over more than the window globally, but locks only those close together', async () => {
  const user = await userWithPin('5202', '8042');
  await verdicts('5202', wrongPins(9));
  later(30);
  await verdicts('5202', wrongPins(9));
  later(45);
  expect(await verdicts('5202', wrongPins(9))).toEqual(Array(9).fill('wrong'));
  expect(await counters(user)).toEqual({ local: 9, global: 27 });
  expect((await services.directory.get(SERVICE, user.id)).pinLockedUntil).toBeNull();

  // The window runs from the last wrong PIN: one more 29 minutes later is the 10th close together.
  later(29);
  expect(await services.pins.verifyAtKeypad('5202', '9999')).toEqual({ verdict: 'locked' });
  expect(await counters(user)).toEqual({ local: 0, global: 28 });
}, 60_000);

it('uses the thresholds of the current PIN length: 25 close together for 5 digits', async () => {
  const user = await userWithPin('5203', '8043');
  await verdicts('5203', wrongPins(5));
  await services.pins.set(SERVICE, user.id, '80431');
  expect(await verdicts('5203', wrongPins(24))).toEqual(Array(24).fill('wrong'));
  expect(await services.pins.verifyAtKeypad('5203', '99999')).toEqual({ verdict: 'locked' });
}, 60_000);

it('counts wrong PINs from many calls at once exactly', async () => {
  const user = await userWithPin('5204', '80441');
  const first = await Promise.all(wrongPins(20).map((pin) => services.pins.verifyAtKeypad('5204', pin)));
  expect(first.map((r) => r.verdict)).toEqual(Array(20).fill('wrong'));
  expect(await counters(user)).toEqual({ local: 20, global: 20 });

  expect(await verdicts('5204', wrongPins(5))).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'locked']);
  expect(await counters(user)).toEqual({ local: 0, global: 25 });
  expect((await services.directory.get(SERVICE, user.id)).pinLockedUntil).toEqual(new Date(now.getTime() + 60 * MINUTE));
}, 60_000);

it('lifts both locks and clears both counters when a new PIN is set', async () => {
  const user = await userWithPin('5205', '8045');
  await verdicts('5205', wrongPins(10));
  expect((await services.directory.get(SERVICE, user.id)).pinLockedUntil).not.toBeNull();
  const reset = await services.pins.set(SERVICE, user.id, '9025');
  expect(reset).toMatchObject({ pinLockedUntil: null, pinLockedOut: false });
  expect(await counters(user)).toEqual({ local: 0, global: 0 });
  expect(await services.pins.verifyAtKeypad('5205', '9025')).toMatchObject({ verdict: 'ok' });

  // 99 wrong PINs in all already (as over many days): the 100th locks it until unlocked.
  await pool.query('update users set pin_global_failures = 99 where id = $1', [user.id]);
  expect(await services.pins.verifyAtKeypad('5205', '1234')).toEqual({ verdict: 'locked' });
  later(7 * 24 * 60);
  expect(await services.pins.verifyAtKeypad('5205', '9025')).toEqual({ verdict: 'locked' });
  expect(await services.pins.set(SERVICE, user.id, '7031')).toMatchObject({ pinLockedUntil: null, pinLockedOut: false });
  expect(await counters(user)).toEqual({ local: 0, global: 0 });
  expect(await services.pins.verifyAtKeypad('5205', '7031')).toMatchObject({ verdict: 'ok' });
}, 60_000);

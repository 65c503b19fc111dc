// The wrong-PIN UPDATE in src/adapters/pg/user-store.ts against the rule it mirrors, afterWrongPin in
// src/domain/pin-lockout.ts, on a real PostgreSQL: the same counters after every step, and none lost
// when many calls count at once; and the migration that brought the counters in.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Postgrator from 'postgrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/adapters/pg/migrate.js';
import { createPool } from '../../src/adapters/pg/pool.js';
import { pgUserStore } from '../../src/adapters/pg/user-store.js';
import { afterRightPin, afterWrongPin, CLEAR_PIN_LOCKOUT, type PinLockoutRule, type PinLockoutState } from '../../src/domain/pin-lockout.js';
import type { UserStore } from '../../src/ports/directory-store.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let pool: pg.Pool;
let users: UserStore;
const MINUTE = 60_000;
const start = new Date('2027-05-01T08:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  await migrate(pool);
  users = pgUserStore(pool);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

let serial = 0;
async function newUser(): Promise<string> {
  const n = ++serial;
  const [user] = await users.insertMany([
    {
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      displayName: `Lockout ${n}`,
      sipUri: `sip:lockout${n}@example.com`,
      email: `lockout${n}@example.com`,
      extension: null,
      phones: {},
      region: 'US',
      role: 'organizer',
      assignedConferenceId: String(7_000_000 + n),
      passwordHash: null,
    },
  ]);
  return user!.id;
}

async function stored(id: string): Promise<PinLockoutState> {
  const { rows } = await pool.query(
    `select pin_local_failures, pin_last_failed_at, pin_global_failures, pin_locked_until, pin_locked_out from users where id = $1`,
    [id],
  );
  const row = rows[0];
  return {
    localFailures: row.pin_local_failures,
    lastFailedAt: row.pin_last_failed_at,
    globalFailures: row.pin_global_failures,
    pinLockedUntil: row.pin_locked_until,
    pinLockedOut: row.pin_locked_out,
  };
}

/** A reproducible pseudo-random sequence (a linear congruential generator). */
function random(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('the wrong-PIN update', () => {
  it('leaves the same counters and locks as the domain rule, step by step', async () => {
    const id = await newUser();
    // Small thresholds so that both locks come round often; gaps on either side of the window and the lockout.
    const rules: PinLockoutRule[] = [
      { localThreshold: 3, globalThreshold: 11, failureWindowMinutes: 30, lockoutMinutes: 60 },
      { localThreshold: 4, globalThreshold: 17, failureWindowMinutes: 10, lockoutMinutes: 45 },
    ];
    const gaps = [0, 0, 1, 9, 10, 11, 29, 30, 31, 44, 45, 59, 60, 61, 600];
    const next = random(42);
    let expected = CLEAR_PIN_LOCKOUT;
    let at = start;
    const seen = { temporary: 0, global: 0, cleared: 0 };
    for (let step = 0; step < 300; step++) {
      at = new Date(at.getTime() + gaps[Math.floor(next() * gaps.length)]! * MINUTE);
      const roll = next();
      if (roll < 0.06) {
        await users.clearPinFailures(id);
        expected = afterRightPin(expected);
      } else if (roll < 0.1 || expected.pinLockedOut) {
        await users.unlockPin(id);
        expected = CLEAR_PIN_LOCKOUT;
        seen.cleared++;
      } else {
        const rule = rules[Math.floor(next() * rules.length)]!;
        const user = await users.recordPinFailure(id, rule, at);
        expected = afterWrongPin(expected, rule, at);
        expect({ pinLockedUntil: user!.pinLockedUntil, pinLockedOut: user!.pinLockedOut }, `step ${step}`).toEqual({
          pinLockedUntil: expected.pinLockedUntil,
          pinLockedOut: expected.pinLockedOut,
        });
        if (expected.pinLockedUntil?.getTime() === at.getTime() + rule.lockoutMinutes * MINUTE) seen.temporary++;
        if (expected.pinLockedOut) seen.global++;
      }
      expect(await stored(id), `step ${step}`).toEqual(expected);
    }
    // The sequence reached every branch more than once.
    expect(seen.temporary).toBeGreaterThan(5);
    expect(seen.global).toBeGreaterThan(3);
    expect(seen.cleared).toBeGreaterThan(5);
  });

  it('loses no count when many calls fail at once', async () => {
    const id = await newUser();
    const rule: PinLockoutRule = { localThreshold: 10, globalThreshold: 100, failureWindowMinutes: 30, lockoutMinutes: 60 };
    await Promise.all(Array.from({ length: 50 }, () => users.recordPinFailure(id, rule, start)));
    // The first ten lock it; the forty that arrive while it is locked count only globally.
    expect(await stored(id)).toMatchObject({ localFailures: 0, globalFailures: 50, pinLockedUntil: new Date(start.getTime() + 60 * MINUTE), pinLockedOut: false });

    const later = new Date(start.getTime() + 61 * MINUTE);
    await Promise.all(Array.from({ length: 60 }, () => users.recordPinFailure(id, rule, later)));
    expect(await stored(id)).toMatchObject({ globalFailures: 110, pinLockedOut: true });
  });
});

describe('migration 008', () => {
  it('drops the retired lockout fields from a stored PIN policy and keeps the rest', async () => {
    const fresh = await createTestDatabase();
    const client = new pg.Client({ connectionString: fresh.url });
    try {
      await client.connect();
      const postgrator = new Postgrator({
        migrationPattern: fileURLToPath(new URL('../../src/adapters/pg/migrations/*', import.meta.url)),
        driver: 'pg',
        schemaTable: 'schema_version',
        execQuery: (query) => client.query(query),
      });
      await postgrator.migrate('007');
      const before = { minLength: 6, historySize: 5, maxFailedAttempts: 10, lockoutMinutes: 30, expiryDays: 0 };
      await client.query(`insert into policies (name, value) values ('pin', $1)`, [JSON.stringify(before)]);
      await postgrator.migrate('008');
      const { rows } = await client.query(`select value from policies where name = 'pin'`);
      expect(rows[0].value).toEqual({ minLength: 6, historySize: 5, expiryDays: 0 });
    } finally {
      await client.end();
      await fresh.drop();
    }
  });
});

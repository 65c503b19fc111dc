// The wrong-entry statement in src/adapters/pg/keypad-guess-store.ts against the rules it mirrors,
// afterWrongEntry and afterWrongEntryAnywhere in src/domain/keypad-guessing.ts, on a real PostgreSQL:
// the same counts step by step, none lost when many calls guess at once (8+ clients), the alarm raised
// exactly once per minute, and the alarm's audit entry and webhook delivery.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgKeypadGuessStore } from '../../src/adapters/pg/keypad-guess-store.js';
import { migrate } from '../../src/adapters/pg/migrate.js';
import { createPool } from '../../src/adapters/pg/pool.js';
import { pgSecurityAlarms } from '../../src/adapters/pg/security-alarms.js';
import { afterWrongEntry, afterWrongEntryAnywhere, CLEAR_KEYPAD_GUESSES, type KeypadGuessRule } from '../../src/domain/keypad-guessing.js';
import { createMigratedTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let pool: pg.Pool;
const MINUTE = 60_000;
const start = new Date('2027-05-01T08:00:00Z');
const RULE: KeypadGuessRule = { slowAfter: 3, delayStepMs: 100, maxDelayMs: 800, refuseAfter: 7, windowMinutes: 10, refuseMinutes: 30 };

beforeAll(async () => {
  db = await createMigratedTestDatabase();
  pool = createPool(db.url);
  await migrate(pool);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** A reproducible pseudo-random sequence (a linear congruential generator). */
function random(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('the wrong-entry statement', () => {
  it('leaves the same counts, refusals and alarms as the domain rules, step by step', async () => {
    await pool.query('delete from keypad_guess_rate');
    const store = pgKeypadGuessStore(pool);
    const key = { accessNumber: '14255550100', caller: '+12065550999' };
    const gaps = [0, 0, 0, 0, 0.2, 0.5, 0.5, 1, 1, 2, 9, 10, 11, 29, 30, 31];
    const next = random(7);
    let expected = CLEAR_KEYPAD_GUESSES;
    let rate = { failures: 0, windowStartedAt: null as Date | null };
    let at = start;
    const seen = { refusals: 0, whileRefused: 0, fresh: 0, alarms: 0 };
    for (let step = 0; step < 300; step++) {
      at = new Date(at.getTime() + gaps[Math.floor(next() * gaps.length)]! * MINUTE);
      const counted = await store.recordWrong(key, RULE, 4, at);
      const wasRefused = expected.refusedUntil !== null && expected.refusedUntil > at;
      expected = afterWrongEntry(expected, RULE, at);
      const anywhere = afterWrongEntryAnywhere(rate, 4, at);
      rate = anywhere.state;
      expect(counted, `step ${step}`).toEqual({ caller: expected, deployment: rate, alarm: anywhere.alarm });
      expect(await store.state(key), `step ${step}`).toEqual(expected);
      if (wasRefused) seen.whileRefused++;
      if (expected.failures === RULE.refuseAfter && !wasRefused) seen.refusals++;
      if (expected.failures === 1) seen.fresh++;
      if (anywhere.alarm) seen.alarms++;
    }
    // The sequence reached every branch more than once.
    expect(seen.refusals).toBeGreaterThan(3);
    expect(seen.whileRefused).toBeGreaterThan(3);
    expect(seen.fresh).toBeGreaterThan(3);
    expect(seen.alarms).toBeGreaterThan(3);
  });

  it('loses no count and raises the alarm exactly once when 8 clients × 20 calls guess at once', async () => {
    await pool.query('delete from keypad_guess_rate');
    // Eight separate pools: eight clients with their own connections, not one connection taking turns
    // (two each: 80 connections opened at once timed out on a loaded machine).
    const clients = Array.from({ length: 8 }, () => createPool(db.url, 2));
    try {
      const key = { accessNumber: '14255550101', caller: 'anonymous' };
      const results = await Promise.all(
        clients.flatMap((client) => Array.from({ length: 20 }, () => pgKeypadGuessStore(client).recordWrong(key, RULE, 100, start))),
      );
      const state = await pgKeypadGuessStore(pool).state(key);
      // The first seven refuse the caller; the rest arrive while it is refused and only count.
      expect(state).toEqual({ failures: 160, windowStartedAt: start, refusedUntil: new Date(start.getTime() + 30 * MINUTE) });
      expect(results.map((r) => r.caller.failures).sort((a, b) => a - b)).toEqual(Array.from({ length: 160 }, (_, i) => i + 1));
      expect(results.map((r) => r.deployment.failures).sort((a, b) => a - b)).toEqual(Array.from({ length: 160 }, (_, i) => i + 1));
      expect(results.filter((r) => r.alarm)).toHaveLength(1);
      // Another caller on the same access number is counted apart.
      expect((await pgKeypadGuessStore(pool).recordWrong({ ...key, caller: '+12065550302' }, RULE, 100, start)).caller.failures).toBe(1);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it('prunes callers whose window and refusal are over, and keeps the others', async () => {
    const store = pgKeypadGuessStore(pool);
    await pool.query('delete from keypad_guesses');
    await store.recordWrong({ accessNumber: '1', caller: 'old' }, RULE, 1000, start);
    for (let i = 0; i < 7; i++) await store.recordWrong({ accessNumber: '1', caller: 'refused' }, RULE, 1000, start);
    await store.recordWrong({ accessNumber: '1', caller: 'recent' }, RULE, 1000, new Date(start.getTime() + 15 * MINUTE));
    expect(await store.prune(new Date(start.getTime() + 20 * MINUTE), RULE.windowMinutes)).toBe(1);
    const { rows } = await pool.query('select caller from keypad_guesses order by caller');
    expect(rows.map((r) => r.caller)).toEqual(['recent', 'refused']);
  });
});

describe('the keypad guessing alarm', () => {
  it('writes an audit entry of no conference and one webhook delivery per subscription to all conferences', async () => {
    const everything = await pool.query(`insert into webhook_subscriptions (url, secret) values ('https://hooks.example.com/all', 'whsec_0123456789abcdef') returning id`);
    const filtered = await pool.query(
      `insert into webhook_subscriptions (url, secret, event_types) values ('https://hooks.example.com/alarms', 'whsec_0123456789abcdef', '{keypad-guessing}') returning id`,
    );
    await pool.query(`insert into webhook_subscriptions (url, secret, event_types) values ('https://hooks.example.com/rosters', 'whsec_0123456789abcdef', '{participant}')`);
    await pool.query(`insert into webhook_subscriptions (url, secret, active) values ('https://hooks.example.com/off', 'whsec_0123456789abcdef', false)`);
    const alarms = pgSecurityAlarms(pool);
    await alarms.raise({ at: start, failuresPerMinute: 60, threshold: 60, accessNumber: '14255550100', kind: 'passcode' });
    await alarms.raise({ at: start, failuresPerMinute: 60, threshold: 60, accessNumber: '14255550100', kind: 'conference-id' });

    const audit = await pool.query(`select * from audit_log where conference_id is null order by id`);
    expect(audit.rows.map((r) => [r.action, r.actor, r.detail])).toEqual([
      ['keypad-guessing', 'parley', { failuresPerMinute: 60, threshold: 60, accessNumber: '14255550100', kind: 'passcode' }],
      ['keypad-guessing', 'parley', { failuresPerMinute: 60, threshold: 60, accessNumber: '14255550100', kind: 'conference-id' }],
    ]);
    const deliveries = await pool.query(`select subscription_id, conference_id, seq, type, state from webhook_deliveries order by seq, subscription_id`);
    expect(deliveries.rows).toHaveLength(4);
    expect(new Set(deliveries.rows.map((r) => r.subscription_id))).toEqual(new Set([everything.rows[0].id, filtered.rows[0].id]));
    expect(deliveries.rows.every((r) => r.conference_id === '' && r.type === 'keypad-guessing' && r.state === 'pending')).toBe(true);
  });
});

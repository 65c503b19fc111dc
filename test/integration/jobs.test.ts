import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../src/adapters/cron/cron.js';
import { migrate } from '../../src/adapters/pg/migrate.js';
import { createPool } from '../../src/adapters/pg/pool.js';
import type { Telephony } from '../../src/ports/telephony.js';
import { createServices, type Services } from '../../src/services.js';
import { noCalls, silentLog } from '../support/api-app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let pool: pg.Pool;
let services: Services;
let live = new Set<string>();
const quietBridge = {
  open: async () => {},
  add: async () => {},
  remove: async () => {},
  startMusic: async () => {},
  stopMusic: async () => {},
  play: () => ({ finished: Promise.resolve(), stop: async () => {} }),
  destroy: async () => {},
};
const telephony: Telephony = {
  ...noCalls,
  isUp: () => true,
  liveCallIds: () => live,
  bridge: (id) => ({ id, ...quietBridge }),
  lobby: (id) => ({ id, ...quietBridge }),
};
const DAY = 24 * 60 * 60_000;
const now = new Date('2027-03-01T12:00:00Z');
const clock = { now: () => now };
const log = { ...silentLog, entries: [] as unknown[], info(fields: object, message: string) { this.entries.push({ ...fields, message }); } };

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  await migrate(pool);
  services = createServices({
    pool,
    telephony,
    log: silentLog,
    serviceToken: 'jobs-admin-token-012345',
    clock,
    jobs: { retentionDays: 14, pinExpiryDays: 90, pinWarningDays: 7 },
  });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function conference(expiresAt: Date, conferenceId = String(3_000_000 + Math.floor(Math.random() * 999_999))) {
  const id = randomBytes(16).toString('hex');
  await pool.query(
    `insert into conferences (id, conference_id, subject, access_type, opens_at, expires_at) values ($1, $2, 'x', 'anonymous', $3, $4)`,
    [id, conferenceId, new Date(expiresAt.getTime() - DAY), expiresAt],
  );
  return { id, conferenceId };
}
const status = async (id: string) => (await pool.query('select status from conferences where id = $1', [id])).rows[0].status;
const job = (name: keyof Services['jobs']) => ({ name, schedule: '* * * * *', run: services.jobs[name] });

describe('expire-meetings', () => {
  it('ends meetings whose window closed before the retention period, unless someone is in, freeing their IDs', async () => {
    const old = await conference(new Date(now.getTime() - 15 * DAY));
    const recent = await conference(new Date(now.getTime() - 13 * DAY));
    const occupied = await conference(new Date(now.getTime() - 20 * DAY));
    await pool.query(
      `insert into participants (id, conference_id, channel_id, display_name, caller_number, state) values ($1, $2, 'c1', 'Ann', '1', 'connected')`,
      [randomUUID(), occupied.id],
    );

    expect(await runJob(job('expire-meetings'), services.jobLock, clock, log)).toBe(1);
    expect(await status(old.id)).toBe('ended');
    expect(await status(recent.id)).toBe('scheduled');
    expect(await status(occupied.id)).toBe('scheduled');
    expect(log.entries).toContainEqual(expect.objectContaining({ job: 'expire-meetings', changed: 1, message: 'job done' }));
    // The freed ID can be scheduled again.
    await conference(new Date(now.getTime() + DAY), old.conferenceId);
  });

  it('runs on one instance at a time (PostgreSQL advisory lock)', async () => {
    let release!: () => void;
    const holding = services.jobLock.exclusive('expire-meetings', () => new Promise<void>((resolve) => (release = resolve)));
    expect(await runJob(job('expire-meetings'), services.jobLock, clock, log)).toBe('busy');
    release();
    await holding;
    expect(await runJob(job('expire-meetings'), services.jobLock, clock, log)).toBe(0);
  });
});

describe('warn-pin-expiry', () => {
  it('records one notice per PIN expiring within the warning period', async () => {
    const user = await services.directory.create({ kind: 'service' }, { displayName: 'Pat', email: 'pat@example.com', sipUri: 'sip:pat@example.com', region: 'US' });
    const other = await services.directory.create({ kind: 'service' }, { displayName: 'Quin', email: 'quin@example.com', sipUri: 'sip:quin@example.com', region: 'US' });
    await pool.query(`update users set pin_hash = 'x', pin_set_at = $2 where id = $1`, [user.id, new Date(now.getTime() - 85 * DAY)]);
    await pool.query(`update users set pin_hash = 'x', pin_set_at = $2 where id = $1`, [other.id, new Date(now.getTime() - 30 * DAY)]);

    expect(await runJob(job('warn-pin-expiry'), services.jobLock, clock, log)).toBe(1);
    expect(await runJob(job('warn-pin-expiry'), services.jobLock, clock, log)).toBe(0);
    const { rows } = await pool.query('select user_id, kind, payload from notifications');
    expect(rows).toEqual([{ user_id: user.id, kind: 'pin-expiring', payload: { email: 'pat@example.com', expiresAt: new Date(now.getTime() + 5 * DAY).toISOString() } }]);
  });
});

describe('close-stale-participants', () => {
  it('disconnects participants whose calls this process no longer holds', async () => {
    const { id } = await conference(new Date(now.getTime() + DAY));
    const held = randomUUID();
    const lost = randomUUID();
    for (const [participant, channel] of [[held, 'held-channel'], [lost, 'lost-channel']]) {
      await pool.query(
        `insert into participants (id, conference_id, channel_id, display_name, caller_number, state) values ($1, $2, $3, 'x', '1', 'connected')`,
        [participant, id, channel],
      );
    }
    live = new Set(['held-channel', 'c1']);
    expect(await runJob(job('close-stale-participants'), services.jobLock, clock, log)).toBe(1);
    const states = (await pool.query('select id, state from participants where conference_id = $1', [id])).rows;
    expect(states).toEqual(expect.arrayContaining([{ id: held, state: 'connected' }, { id: lost, state: 'disconnected' }]));
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../src/adapters/cron/cron.js';
import { asteriskRecordingFiles } from '../../src/adapters/fs/asterisk-recording-files.js';
import { migrate } from '../../src/adapters/pg/migrate.js';
import { createPool } from '../../src/adapters/pg/pool.js';
import { pgRecordingStore } from '../../src/adapters/pg/recording-store.js';
import { UnsafeRecordingName } from '../../src/ports/recordings.js';
import type { Telephony } from '../../src/ports/telephony.js';
import { createServices, type Services } from '../../src/services.js';
import { noCalls, silentLog, TEST_HASH_COST } from '../support/api-app.js';
import { createMigratedTestDatabase, type TestDatabase } from '../support/database.js';

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
  record: async () => {},
  stopRecording: async () => {},
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
const log = {
  ...silentLog,
  entries: [] as unknown[],
  info(fields: object, message: string) { this.entries.push({ ...fields, message }); },
  warn(fields: object, message: string) { this.entries.push({ ...fields, message }); },
  error(fields: object, message: string) { this.entries.push({ ...fields, message }); },
};
// Asterisk's recording directory, inside a scratch root so a name escaping it has somewhere to land.
const scratch = mkdtempSync(join(tmpdir(), 'parley-jobs-'));
const recordingDir = join(scratch, 'recording');
mkdirSync(recordingDir);
const jobSettings = { retentionDays: 14, pinExpiryDays: 90, pinWarningDays: 7, recordingRetentionDays: 30 };

beforeAll(async () => {
  db = await createMigratedTestDatabase();
  pool = createPool(db.url);
  await migrate(pool);
  services = createServices({
    pool,
    telephony,
    log: silentLog,
    serviceToken: 'jobs-admin-token-012345',
    hashCost: TEST_HASH_COST,
    clock,
    jobs: jobSettings,
    recordingDir,
    jobsLog: log,
  });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
  rmSync(scratch, { recursive: true, force: true });
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
    let acquired!: () => void;
    const held = new Promise<void>((resolve) => (acquired = resolve));
    const holding = services.jobLock.exclusive('expire-meetings', () => {
      acquired();
      return new Promise<void>((resolve) => (release = resolve));
    });
    await held; // the first instance really holds the lock before the second tries
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

describe('purge-recordings', () => {
  const recordings = () => pgRecordingStore(pool);
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
  const fileOf = (name: string, format = 'wav') => join(recordingDir, `${name}.${format}`);
  /** A recording that ended `endedDaysAgo` days ago (null: still running), with its file unless told otherwise. */
  async function recording(conferenceId: string, endedDaysAgo: number | null, { format = 'wav', file = true } = {}) {
    const name = `parley-rec-${randomUUID()}`;
    const { id } = await recordings().insert({ conferenceId, name, format, startedAt: daysAgo((endedDaysAgo ?? 0) + 1) });
    if (endedDaysAgo !== null) await recordings().finish(id, daysAgo(endedDaysAgo));
    if (file) writeFileSync(fileOf(name, format), 'RIFF');
    return { id, name, file: fileOf(name, format) };
  }
  const purgedAt = async (id: string) => (await pool.query('select purged_at from recordings where id = $1', [id])).rows[0].purged_at;
  /** A caller with a recorded name (and its file) who left `leftDaysAgo` days ago (null: still in). */
  async function caller(conferenceId: string, leftDaysAgo: number | null, name?: string) {
    const id = randomUUID();
    const prompt = `recording:${name ?? `parley-name-${id}`}`;
    await pool.query(
      `insert into participants (id, conference_id, channel_id, display_name, caller_number, state, left_at, name_recording)
       values ($1, $2, $3, 'x', '1', $4, $5, $6)`,
      [id, conferenceId, `purge-${id}`, leftDaysAgo === null ? 'connected' : 'disconnected', leftDaysAgo === null ? null : daysAgo(leftDaysAgo), prompt],
    );
    const file = name ? join(recordingDir, `${name}.wav`) : fileOf(`parley-name-${id}`);
    writeFileSync(file, 'RIFF');
    return { id, prompt, file };
  }
  const nameRecording = async (id: string) => (await pool.query('select name_recording from participants where id = $1', [id])).rows[0].name_recording;

  it('deletes the files of recordings that ended before the retention period and marks them purged; recent ones stay', async () => {
    const { id } = await conference(daysAgo(40));
    const old = await recording(id, 31);
    const oldGsm = await recording(id, 45, { format: 'gsm' });
    const fileAlreadyGone = await recording(id, 60, { file: false });
    const recent = await recording(id, 29);
    const running = await recording(id, null);

    expect(await runJob(job('purge-recordings'), services.jobLock, clock, log)).toBe(3);
    for (const r of [old, oldGsm]) expect(existsSync(r.file)).toBe(false);
    for (const r of [old, oldGsm, fileAlreadyGone]) expect(await purgedAt(r.id)).toEqual(now);
    for (const r of [recent, running]) {
      expect(existsSync(r.file)).toBe(true);
      expect(await purgedAt(r.id)).toBeNull();
    }
    expect(log.entries).toContainEqual(expect.objectContaining({ job: 'purge-recordings', recordings: 3, names: 0, filesMissing: 1, refused: 0 }));
    expect(await runJob(job('purge-recordings'), services.jobLock, clock, log)).toBe(0);
  });

  it('deletes the recorded names of callers who left before the retention period', async () => {
    const { id } = await conference(daysAgo(40));
    const longGone = await caller(id, 31);
    const leftLately = await caller(id, 2);
    const stillIn = await caller(id, null);

    expect(await runJob(job('purge-recordings'), services.jobLock, clock, log)).toBe(1);
    expect(existsSync(longGone.file)).toBe(false);
    expect(await nameRecording(longGone.id)).toBeNull();
    for (const c of [leftLately, stillIn]) {
      expect(existsSync(c.file)).toBe(true);
      expect(await nameRecording(c.id)).toBe(c.prompt);
    }
  });

  it('refuses a name that could leave the recording directory, before touching the filesystem', async () => {
    const { id } = await conference(daysAgo(40));
    const outside = join(scratch, 'outside.wav');
    writeFileSync(outside, 'RIFF');
    const escaping = await caller(id, 31, '../outside');

    expect(await runJob(job('purge-recordings'), services.jobLock, clock, log)).toBe(0);
    expect(existsSync(outside)).toBe(true);
    expect(await nameRecording(escaping.id)).toBe(escaping.prompt);
    expect(log.entries).toContainEqual(expect.objectContaining({ participantId: escaping.id, message: expect.stringContaining('refused') }));

    // The directory does not even exist: a refusal is decided on the name alone.
    const nowhere = asteriskRecordingFiles(join(scratch, 'no-such-dir'));
    for (const [name, format] of [['../outside', 'wav'], ['a/b', 'wav'], ['..', 'wav'], ['', 'wav'], ['x\0', 'wav'], ['ok', '../wav']]) {
      await expect(nowhere.remove(name!, format)).rejects.toBeInstanceOf(UnsafeRecordingName);
    }
    await expect(recordings().insert({ conferenceId: id, name: '../outside', startedAt: now })).rejects.toThrow(/check constraint/);
    await pool.query('update participants set name_recording = null where id = $1', [escaping.id]);
  });

  it('keeps everything when the retention is 0, and marks nothing when the recording directory is wrong', async () => {
    const { id } = await conference(daysAgo(400));
    const old = await recording(id, 365);
    const other = (settings: Partial<typeof jobSettings>, dir: string) =>
      createServices({ pool, telephony, log: silentLog, jobsLog: log, serviceToken: 'jobs-admin-token-012345', hashCost: TEST_HASH_COST, clock, jobs: { ...jobSettings, ...settings }, recordingDir: dir });

    const keepForever = other({ recordingRetentionDays: 0 }, recordingDir);
    expect(await runJob({ ...job('purge-recordings'), run: keepForever.jobs['purge-recordings'] }, services.jobLock, clock, log)).toBe(0);
    const misconfigured = other({}, join(scratch, 'no-such-dir'));
    expect(await runJob({ ...job('purge-recordings'), run: misconfigured.jobs['purge-recordings'] }, services.jobLock, clock, log)).toBe(0);
    expect(log.entries).toContainEqual(expect.objectContaining({ job: 'purge-recordings', message: 'job failed' }));
    expect(existsSync(old.file)).toBe(true);
    expect(await purgedAt(old.id)).toBeNull();

    expect(await runJob(job('purge-recordings'), services.jobLock, clock, log)).toBe(1);
    expect(existsSync(old.file)).toBe(false);
  });
});

describe('purge-events', () => {
  it('deletes stream events older than two days (the clock says when), and keeps newer ones', async () => {
    const { id } = await conference(new Date(now.getTime() - DAY));
    await pool.query(
      `insert into participants (id, conference_id, channel_id, display_name, caller_number) values ($1, $2, 'ev-1', 'Ann', '1')`,
      [randomUUID(), id],
    );
    await pool.query(`update participants set talking = true where channel_id = 'ev-1'`);
    // Every event three days old by the job's clock, but the last one fresh.
    await pool.query(`update conference_events set at = $2 where conference_id = $1`, [id, new Date(now.getTime() - 3 * DAY)]);
    await pool.query(`update conference_events set at = $2 where conference_id = $1 and seq = (select max(seq) from conference_events where conference_id = $1)`, [id, now]);
    const before = await pool.query<{ seq: string }>('select seq from conference_events where conference_id = $1 order by seq', [id]);
    expect(await runJob(job('purge-events'), services.jobLock, clock, log)).toBeGreaterThanOrEqual(1);
    const after = await pool.query<{ seq: string }>('select seq from conference_events where conference_id = $1 order by seq', [id]);
    expect(after.rows.map((r) => r.seq)).toEqual([before.rows.at(-1)!.seq]);
  });
});

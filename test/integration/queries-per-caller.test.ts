// What one caller costs PostgreSQL, on the real store: the bench's caller (a guest who keys `ID##`
// into a meeting without passcode, talks, and hangs up) through the whole attendant → join → leave
// path, with every statement parley sends counted. The budget keeps the hot path from growing back;
// PRINT_QUERIES=1 prints the list per caller.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/adapters/pg/migrate.js';
import { createPool, type WatchedPool } from '../../src/adapters/pg/pool.js';
import { routeCalls } from '../../src/calls/route-calls.js';
import { createServices } from '../../src/services.js';
import { silentLog, TEST_HASH_COST } from '../support/api-app.js';
import { createMigratedTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually, sleep } from '../support/eventually.js';
import { FakeTelephony, type FakeCall } from '../support/fake-telephony.js';
import { countQueries, type QueryCount } from '../support/query-count.js';

const CALLERS = 20;
/** Talk bursts per caller (each a start and a finish). */
const BURSTS = 3;

let db: TestDatabase;
let pool: WatchedPool;
let queries: QueryCount;
const telephony = new FakeTelephony({ promptMs: 1 });
let services: ReturnType<typeof createServices>;
/** The test's own look at the roster, not counted. */
let watcher: WatchedPool;
const stillLive = async () => (await watcher.query<{ n: number }>(`select count(*)::int as n from participants where state <> 'disconnected'`)).rows[0]!.n;

beforeAll(async () => {
  db = await createMigratedTestDatabase();
  pool = createPool(db.url);
  await migrate(pool);
  queries = countQueries(pool);
  watcher = createPool(db.url);
  services = createServices({ pool, telephony, log: silentLog, serviceToken: 'queries-per-caller-token', hashCost: TEST_HASH_COST });
  routeCalls(telephony, services.conferences, services.participants, silentLog, {
    identities: services.pins,
    languages: services.languages,
    guard: services.keypadGuard,
    metrics: services.metrics,
    settings: { tries: 3, timing: { firstKeyMs: 2000, betweenKeysMs: 2000 }, commandKey: '*', nameSeconds: 0, lobbyMaxMs: 10_000 },
  });
}, 30_000);

afterAll(async () => {
  await pool?.end();
  await watcher?.end();
  await db?.drop();
});

const inConference = (call: FakeCall) => eventually(() => expect(call.talkDetection).toBe(true), 10_000);

describe('one caller through the attendant, the bridge and out', () => {
  it('costs the database a handful of statements', async () => {
    const conferenceId = String(100_000_000 + (randomBytes(3).readUIntBE(0, 3) % 800_000_000));
    const meeting = await services.conferences.entry.findJoinable(conferenceId);
    expect(meeting).toBeUndefined();
    await pool.query(
      `insert into conferences (id, conference_id, subject, access_type, max_participants, opens_at, expires_at)
       values ($1, $2, 'Join storm', 'anonymous', 1000, now(), now() + interval '8 hours')`,
      [randomBytes(16).toString('hex'), conferenceId],
    );
    const dial = () => telephony.ring({ dialed: '14255550100', caller: { number: '+14255550199' }, keysOnArrival: `${conferenceId}##` });
    // The bench's warm-up caller opens the conference; the callers after it are what a storm is made of.
    const warmUp = dial();
    await inConference(warmUp);
    await sleep(100);
    queries.reset();
    const printed: string[] = [];
    const phase = (name: string) => {
      const total = queries.total;
      printed.push(`${name}: ${(total / CALLERS).toFixed(2)} per caller\n${queries.table(CALLERS)}`);
      queries.reset();
      return total;
    };

    const calls: FakeCall[] = [];
    for (let i = 0; i < CALLERS; i++) calls.push(dial());
    await Promise.all(calls.map(inConference));
    await sleep(500);
    const joining = phase('attendant and join');

    // The bench mutes callers through the API meanwhile (as the service, an administrator): here half of them.
    const roster = (await services.participants.live()).filter((p, i) => i % 2 === 0 && calls.some((c) => c.id === p.channelId));
    queries.reset();
    for (const p of roster) await services.control.mute({ kind: 'service' }, p.conferenceId, p.id, true);
    await sleep(100);
    const muting = phase('API mute (every other caller)');

    for (let burst = 0; burst < BURSTS; burst++) {
      for (const call of calls) call.talk(true);
      await sleep(100);
      for (const call of calls) call.talk(false);
      await sleep(100);
    }
    // Whatever is batched behind the last burst.
    await sleep(1000);
    const talking = phase(`${BURSTS} talk bursts`);

    for (const call of calls) call.hangUp();
    await eventually(async () => expect(await stillLive()).toBe(1), 10_000);
    await sleep(1000);
    const leaving = phase('leave');

    const perCaller = (joining + muting + talking + leaving) / CALLERS;
    if (process.env.PRINT_QUERIES) console.log(`${perCaller.toFixed(2)} statements per caller in all\n\n${printed.join('\n\n')}`);
    // 27 before admission became one statement and talk state was batched (2026-12-03); 10 after.
    expect(perCaller).toBeLessThanOrEqual(12);
  }, 60_000);
});

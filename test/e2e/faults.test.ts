import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ari } from '../support/ari.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually, sleep } from '../support/eventually.js';
import { parleyProcess, type Parley } from '../support/parley-process.js';
import { placeCall, probeUnavailable, type Caller } from '../support/sipp.js';
import { tcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

// parley reaches PostgreSQL and ARI through proxies this file cuts and restores: the real servers,
// which other test files share, are never stopped. (Asterisk restarted: asterisk-restart.test.ts, which
// runs alone.)
let db: TestDatabase;
let database: TcpProxy;
let asterisk: TcpProxy;
let parley: Parley;

beforeAll(async () => {
  db = await createTestDatabase();
  const url = new URL(db.url);
  database = await tcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${database.port}`;
  const ari = new URL(process.env.ARI_URL ?? 'http://127.0.0.1:8088');
  asterisk = await tcpProxy({ host: ari.hostname, port: Number(ari.port || 8088) });
  parley = await parleyProcess(url.toString(), { NAME_RECORDING_SECONDS: '0', ARI_URL: `http://127.0.0.1:${asterisk.port}` });
  await parley.start();
});

// A test that fails mid-outage must not leave the next one without its database or Asterisk.
afterEach(async () => {
  await database?.restore();
  await asterisk?.restore();
});

afterAll(async () => {
  if (process.env.SHOW_PARLEY_LOG) console.log(parley?.output());
  await parley?.kill();
  await database?.close();
  await asterisk?.close();
  await db?.drop();
});

interface Meeting {
  readonly id: string;
  readonly conferenceId: string;
}

const roster = async (meeting: Meeting) =>
  (await parley.api<Array<{ state: string }>>('GET', `/api/v1/conferences/${meeting.id}/participants`)).body.map((p) => p.state);

async function meetingWithCaller(subject: string, holdMs: number): Promise<{ meeting: Meeting; caller: Caller }> {
  const { body: meeting } = await parley.api<Meeting>('POST', '/api/v1/conferences', { subject, passcode: '2468' });
  const caller = placeCall({ keys: [{ afterMs: 1000, keys: `${meeting.conferenceId}#2468#` }], holdMs });
  await eventually(async () => expect(await roster(meeting)).toEqual(['connected']), 20_000);
  return { meeting, caller };
}

const bridgeChannels = async (meeting: Meeting) => (await ari<{ channels: string[] }>('GET', `/bridges/parley-${meeting.id}`)).channels;

/** Still on the line: SIPp has not ended the call (nor been sent a BYE). */
const onTheLine = async (caller: Caller) => (await Promise.race([caller.done.then(() => 'ended'), sleep(10).then(() => 'up')])) === 'up';

async function health(): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${parley.url}/health`, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

it('keeps callers through a 10 s database outage, turns new callers away with a prompt, answers 503, and recovers by itself', async () => {
  const staying = await meetingWithCaller('Through the outage', 60_000);
  const leaving = await meetingWithCaller('Leaves during the outage', 60_000);
  const [leavingChannel] = await eventually(async () => {
    const channels = await bridgeChannels(leaving.meeting);
    expect(channels).toHaveLength(1);
    return channels;
  });

  await database.cut();
  const outage = Date.now();
  await sleep(1500);
  // The API says why, at once, rather than hanging or answering 500.
  const started = Date.now();
  const response = await fetch(`${parley.url}/api/v1/conferences/${staying.meeting.id}`, { headers: { authorization: `Bearer ${parley.token}` }, signal: AbortSignal.timeout(8_000) });
  expect.soft(Date.now() - started).toBeLessThan(6_000);
  expect.soft(response.status).toBe(503);
  expect.soft(response.headers.get('retry-after')).toMatch(/^\d+$/);
  expect.soft(((await response.json()) as { error: { code: string } }).error.code).toBe('database-unavailable');
  expect.soft(await health()).toMatchObject({ status: 503, body: { status: 'degraded', database: 'down' } });

  // A new caller hears that the service is unavailable (early media), then is released with 503.
  const probe = await probeUnavailable();
  expect.soft(probe.exitCode, probe.log).toBe(0);
  expect.soft(probe.listenedMs).toBeGreaterThan(4000);

  // One caller hangs up while the database is away: the roster must learn it afterwards.
  await ari('DELETE', `/channels/${leavingChannel}`);
  await sleep(Math.max(0, 10_000 - (Date.now() - outage)));
  expect.soft(await bridgeChannels(staying.meeting)).toHaveLength(1);
  await database.restore();
  const back = Date.now();

  await eventually(async () => {
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok', database: 'up' } });
    expect(await roster(staying.meeting)).toEqual(['connected']);
    expect(await roster(leaving.meeting)).toEqual(['disconnected']);
  }, 5_000);
  expect(Date.now() - back).toBeLessThan(5_000);
  expect(await bridgeChannels(staying.meeting)).toHaveLength(1);
  expect(await onTheLine(staying.caller)).toBe(true);
  staying.caller.kill();
  leaving.caller.kill();
  expect(parley.output()).not.toContain('parley exited');
}, 120_000);

it('keeps callers through a cut of the ARI socket, and is back in control within 2 s of its end', async () => {
  const first = await meetingWithCaller('Socket cut one', 60_000);
  const second = await meetingWithCaller('Socket cut two', 60_000);

  // A blip: the socket (and any request under way) is dropped; Asterisk answers again at once.
  asterisk.drop();
  await sleep(200);
  await eventually(async () => expect((await health()).body).toMatchObject({ asterisk: 'up' }), 2_000);

  // An outage of 8 s: every attempt meanwhile is refused.
  await asterisk.cut();
  await eventually(async () => expect((await health()).body).toMatchObject({ asterisk: 'down' }), 5_000);
  await sleep(8_000);
  await asterisk.restore();
  const back = Date.now();
  await eventually(async () => expect((await health()).body).toMatchObject({ asterisk: 'up', database: 'up' }), 5_000);
  expect(Date.now() - back).toBeLessThan(2_500);

  // In control within 2 s of the end: a caller cut off half-way into the bridge (the second one's join
  // may be under way at the blip) is in it by then.
  for (const { meeting, caller } of [first, second]) {
    await eventually(async () => {
      expect(await roster(meeting)).toEqual(['connected']);
      expect(await bridgeChannels(meeting).catch(() => [])).toHaveLength(1);
    }, Math.max(0, back + 2_000 - Date.now()) + 100);
    expect(await onTheLine(caller)).toBe(true);
  }
  // parley controls the calls again: a mute reaches Asterisk.
  const [participant] = (await parley.api<Array<{ id: string }>>('GET', `/api/v1/conferences/${first.meeting.id}/participants`)).body;
  const muted = await parley.api('PATCH', `/api/v1/conferences/${first.meeting.id}/participants/${participant!.id}`, { muted: true });
  expect(muted.status).toBe(200);
  first.caller.kill();
  second.caller.kill();
}, 120_000);

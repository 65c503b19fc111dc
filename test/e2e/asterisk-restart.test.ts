import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { eventually, sleep } from '../support/eventually.js';
import { useParley } from '../support/e2e.js';
import { ari } from '../support/ari.js';
import { placeCall, type Caller } from '../support/sipp.js';

const parley = useParley();
const asterisk = (command: 'up' | 'down' | 'restart') =>
  execFileSync('bash', [fileURLToPath(new URL('../../scripts/asterisk.sh', import.meta.url)), command], { stdio: 'ignore' });
const health = async () => (await fetch(`${parley().url}/health`)).json();

interface Meeting {
  readonly id: string;
  readonly conferenceId: string;
}
const roster = async (meeting: Meeting) =>
  (await parley().api<Array<{ state: string }>>('GET', `/api/v1/conferences/${meeting.id}/participants`)).body.map((p) => p.state);

async function meetingWithCaller(subject: string, holdMs: number): Promise<{ meeting: Meeting; caller: Caller }> {
  const { body: meeting } = await parley().api<Meeting>('POST', '/api/v1/conferences', { subject, passcode: '2468' });
  const caller = placeCall({ keys: [{ afterMs: 1000, keys: `${meeting.conferenceId}#2468#` }], holdMs });
  await eventually(async () => expect(await roster(meeting)).toEqual(['connected']), 20_000);
  return { meeting, caller };
}

it('sees callers of a restarted Asterisk gone, and takes calls again within 5 s of ARI answering', async () => {
  const first = await meetingWithCaller('Asterisk restart one', 60_000);
  const second = await meetingWithCaller('Asterisk restart two', 60_000);
  asterisk('restart');
  const back = Date.now();

  await eventually(async () => {
    expect(await health()).toMatchObject({ status: 'ok', asterisk: 'up', database: 'up' });
    expect(await roster(first.meeting)).toEqual(['disconnected']);
    expect(await roster(second.meeting)).toEqual(['disconnected']);
  }, 5_000);
  expect(Date.now() - back).toBeLessThan(5_000);
  first.caller.kill();
  second.caller.kill();

  const again = await meetingWithCaller('After the Asterisk restart', 20_000);
  expect((await ari<{ channels: string[] }>('GET', `/bridges/parley-${again.meeting.id}`)).channels).toHaveLength(1);
  again.caller.kill();
}, 120_000);

// ari-client's own socket stopped reconnecting about 43 s after a drop; parley's event socket must go on
// trying for as long as an outage lasts.
it('reconnects to Asterisk after an outage of almost a minute, and takes calls again', async () => {
  try {
    asterisk('down');
    await eventually(async () => expect(await health()).toMatchObject({ asterisk: 'down', database: 'up' }), 10_000);
    await sleep(50_000);
    expect(await health()).toMatchObject({ asterisk: 'down' });
  } finally {
    asterisk('up');
  }
  await eventually(async () => expect(await health()).toMatchObject({ asterisk: 'up' }), 20_000);
  expect(parley().output()).toContain('ARI socket lost, reconnecting');
  expect(parley().output().match(/"msg":"ARI connected"/g)?.length).toBeGreaterThanOrEqual(2);

  const { body: conference } = await parley().api('POST', '/api/v1/conferences', { subject: 'After the outage', passcode: null });
  // ID, then # to go on as a guest when asked to sign in.
  const caller = placeCall({ keys: [{ afterMs: 1000, keys: `${conference.conferenceId}##` }], holdMs: 6000 });
  await eventually(async () => {
    const { body } = await parley().api('GET', `/api/v1/conferences/${conference.id}/participants`);
    expect(body).toMatchObject([{ state: 'connected' }]);
  }, 15_000);
  expect((await caller.done).exitCode).toBe(0);
}, 120_000);

// How a private prompt (channel playback to one bridged caller) affects the mix, measured on the bridge
// recording: the other callers keep hearing each other; the caller being prompted is out of the mix
// for the prompt's length (Asterisk plays it in that caller's bridge channel). The figures are printed.
import { expect, it } from 'vitest';
import { recordBridge } from '../support/ari.js';
import { eventually, sleep } from '../support/eventually.js';
import { useParley } from '../support/e2e.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();

it('a private prompt leaves the others in the mix, and takes only the prompted caller out while it plays', async () => {
  const { body: m } = await parley().api('POST', '/api/v1/conferences', { subject: 'Private prompts', passcode: null });
  const keys = [{ afterMs: 1000, keys: `${m.conferenceId}##` }];
  const talker = placeCall({ keys, speech: 5, holdMs: 1000, callerId: '+14255550711' });
  await eventually(async () => expect((await parley().api('GET', `/api/v1/conferences/${m.id}/participants`)).body).toMatchObject([{ state: 'connected' }]), 20_000);
  const listener = placeCall({ keys, holdMs: 40_000, callerId: '+14255550722' });
  const [talkerRow, listenerRow] = await eventually(async () => {
    const { body } = await parley().api('GET', `/api/v1/conferences/${m.id}/participants`);
    expect(body).toMatchObject([{ state: 'connected' }, { state: 'connected' }]);
    return body as Array<{ id: string }>;
  }, 20_000);
  const bridge = `parley-${m.id}`;
  const path = (id: string) => `/api/v1/conferences/${m.id}/participants/${id}`;
  await sleep(1500);

  const open = await recordBridge(bridge, 1500);
  // The listener hears "a leader has muted you" privately: the talker must still be in the mix.
  await parley().api('PATCH', path(listenerRow!.id), { muted: true });
  // As long as the prompt (about 2.5 s) and more: the recorded speech has pauses of over a second.
  const othersPrompted = await recordBridge(bridge, 3000);
  // The talker is unmuted and hears "a leader has unmuted you": during that prompt they are out of the mix.
  await parley().api('PATCH', path(talkerRow!.id), { muted: true });
  await sleep(2500);
  await parley().api('PATCH', path(talkerRow!.id), { muted: false });
  const selfPrompted = await recordBridge(bridge, 1000);
  await sleep(2500);
  const after = await recordBridge(bridge, 1500);

  const db = (stats: { rmsDb: number; peakRmsDb: number }) => `${stats.rmsDb} (loudest 50 ms ${stats.peakRmsDb})`;
  console.log(`[private prompts] bridge RMS dB: open ${db(open)}, another caller prompted ${db(othersPrompted)}, the talker prompted ${db(selfPrompted)}, after ${db(after)}`);
  // The talker is heard: 1.5 s of speech can fall on a pause between sentences, so the loudest 50 ms count.
  expect(open.peakRmsDb).toBeGreaterThan(-45);
  expect(othersPrompted.peakRmsDb).toBeGreaterThan(-45);
  expect(after.peakRmsDb).toBeGreaterThan(-45);
  expect(selfPrompted.rmsDb).toBeLessThan(open.rmsDb - 10);
  listener.kill();
  talker.kill();
}, 90_000);

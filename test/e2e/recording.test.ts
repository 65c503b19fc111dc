// Conference recording on the real Asterisk: everyone is told when it starts, a caller joining while it
// runs is told on arrival, and the leader downloads a WAV that holds the talker's voice.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useAriWatch } from '../support/ari-watch.js';
import { meeting, mediaOf, roster } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import { eventually, sleep } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();
const ari = useAriWatch();

it('records the bridge with notices to everyone and to later joiners, and serves the recording to leaders', async () => {
  const m = await meeting(parley(), { passcode: '86420' });
  const keys = [{ afterMs: 1000, keys: `${m.conferenceId}#86420#` }];
  const url = `/api/v1/conferences/${m.id}`;

  expect((await parley().api('PUT', `${url}/recording`)).body).toMatchObject({ error: { code: 'conference-empty' } });
  const talker = placeCall({ callerId: '+12065550801', keys, speech: 3, holdMs: 5000 });
  const listener = placeCall({ callerId: '+12065550802', keys, holdMs: 40_000 });
  await eventually(async () => expect((await roster(parley(), m.id)).filter((p) => p.state === 'connected')).toHaveLength(2), 25_000);
  await ari.watchBridge(`parley-${m.id}`);

  const started = await parley().api('PUT', `${url}/recording`);
  expect(started.status).toBe(201);
  expect(started.body).toMatchObject({ recording: true, available: false });
  expect((await parley().api('PUT', `${url}/recording`)).body).toMatchObject({ error: { code: 'recording-running' } });
  await eventually(() => expect(ari.playbacks.filter((p) => p.target === `bridge:parley-${m.id}`).map((p) => p.media)).toContain('sound:parley/recording-started'));

  const late = placeCall({ callerId: '+12065550803', keys, holdMs: 8000 });
  await eventually(() => expect(mediaOf(ari.playedTo('+12065550803'))).toContain('sound:parley/recording-notice'), 25_000);

  await sleep(3000);
  const stopped = await parley().api('DELETE', `${url}/recording`);
  expect(stopped.status).toBe(200);
  expect(stopped.body).toMatchObject({ recording: false, available: true });
  expect((await parley().api('DELETE', `${url}/recording`)).body).toMatchObject({ error: { code: 'recording-not-running' } });

  const list = (await parley().api('GET', `${url}/recordings`)).body as Array<{ id: string; durationSeconds: number }>;
  expect(list).toHaveLength(1);
  expect(list[0]!.durationSeconds).toBeGreaterThanOrEqual(3);
  const download = await fetch(`${parley().url}${url}/recordings/${list[0]!.id}/audio`, { headers: { authorization: `Bearer ${parley().token}` } });
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('audio/wav');
  const wav = Buffer.from(await download.arrayBuffer());
  expect(wav.subarray(0, 4).toString()).toBe('RIFF');
  const file = join(tmpdir(), `parley-recording-${Date.now()}.wav`);
  writeFileSync(file, wav);
  const stats = spawnSync('sox', [file, '-n', 'stats'], { encoding: 'utf8' }).stderr;
  const rms = Number(/^RMS lev dB\s+(-?[\d.]+|-inf)/m.exec(stats)?.[1] ?? '-inf');
  expect(rms).toBeGreaterThan(-50); // the talker's speech is in it

  const audit = (await parley().api('GET', `${url}/audit`)).body as Array<{ action: string }>;
  expect(audit.map((e) => e.action)).toEqual(['recording-start', 'recording-stop']);
  await Promise.all([talker.done, late.done]);
  listener.kill();
}, 120_000);

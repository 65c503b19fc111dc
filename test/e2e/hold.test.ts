// A caller's phone puts the conference on hold: the roster says on-hold, the line is silenced (its hold
// music must not reach the others), it still counts as present, and it is back when the phone resumes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { recordBridge } from '../support/ari.js';
import { noisePcap } from '../support/noise-pcap.js';
import { meeting, roster } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import { eventually, sleep } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();

it('shows a held line on hold, keeps it out of the mix, and brings it back on resume', async () => {
  const m = await meeting(parley(), { passcode: '31415' });
  const keys = [{ afterMs: 1000, keys: `${m.conferenceId}#31415#` }];
  const other = placeCall({ callerId: '+12065551002', keys, holdMs: 40_000 });
  const music = join(mkdtempSync(join(tmpdir(), 'parley-hold-')), 'music.pcap');
  noisePcap(music, 8);
  const holder = placeCall({ callerId: '+12065551001', keys, hold: { afterMs: 10_000, forMs: 9000, music }, holdMs: 6000 });
  const states = async () => (await roster(parley(), m.id)).map((p) => p.state).sort();
  await eventually(async () => expect(await states()).toEqual(['connected', 'on-hold']), 40_000);
  // The phone plays its hold music into the line; none of it reaches the conference (after the few
  // frames the mixer had queued when the hold began: a −72 dB blip, 8/32768, was measured right at the
  // start on a busy machine). The music itself peaks near full scale, so −60 dB says none of it got in.
  await sleep(300);
  expect((await recordBridge(`parley-${m.id}`, 2500)).maxLevel).toBeLessThan(0.001);
  const live = (await parley().api('GET', `/api/v1/conferences/${m.id}/live`)).body as { participants: Array<{ state: string; muted: boolean }> };
  expect(live.participants.find((p) => p.state === 'on-hold')).toMatchObject({ muted: false }); // the roster's mute is the leader's business
  await eventually(async () => expect(await states()).toEqual(['connected', 'connected']), 20_000);
  const held = await holder.done;
  expect(held.exitCode, held.log).toBe(0);
  const history = (await parley().api('GET', `/api/v1/conferences/${m.id}/history`)).body as { sessions: unknown[] };
  expect(history.sessions).toHaveLength(1); // a hold never ended the gathering
  other.kill();
}, 90_000);

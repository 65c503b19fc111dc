// Bad input on the phone: random digits, floods of * and #, nothing at all. Each ends in a clear
// prompt and, after the bounded retries, a polite hangup: no stuck call, no crash, no leaked bridge.
import { describe, expect, it } from 'vitest';
import { ari as ariRequest, channelIds } from '../support/ari.js';
import { useAriWatch } from '../support/ari-watch.js';
import { meeting, mediaOf, roster } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();
const ari = useAriWatch();

const parleyBridges = async () => (await ariRequest<Array<{ id: string; channels: string[] }>>('GET', '/bridges')).filter((b) => b.id.startsWith('parley-'));

describe('bad input at the attendant', () => {
  it('random digits, floods of * and #, and silence each end politely, within bounds', async () => {
    const started = Date.now();
    const random = placeCall({ callerId: '+12065550601', keys: [{ afterMs: 1000, keys: '83746#0#99999999999999999999999999999999999#' }], holdMs: 45_000 });
    const flood = placeCall({ callerId: '+12065550602', keys: [{ afterMs: 1000, keys: '*#*#*##**#*#**##*#' }], holdMs: 45_000 });
    const silent = placeCall({ callerId: '+12065550603', holdMs: 60_000 });
    const results = await Promise.all([random.done, flood.done, silent.done]);

    for (const [i, result] of results.entries()) expect(result.hungUpByBridge, `caller ${i}: ${result.log.slice(-500)}`).toBe(true);
    for (const callerId of ['+12065550601', '+12065550602', '+12065550603']) {
      const heard = mediaOf(ari.playedTo(callerId));
      expect(heard.at(-1), callerId).toBe('sound:parley/too-many-tries');
    }
    expect(mediaOf(ari.playedTo('+12065550601'))).toContain('sound:parley/invalid-conference-id');
    expect(Date.now() - started).toBeLessThan(60_000);
    expect((await parley().api('GET', '/health')).body).toMatchObject({ asterisk: 'up', database: 'up' });
  }, 90_000);

  it('keys mashed in the conference change nothing they should not, and leave no bridge behind', async () => {
    const m = await meeting(parley(), {});
    const caller = placeCall({
      callerId: '+12065550604',
      keys: [
        { afterMs: 1000, keys: `${m.conferenceId}##` },
        { afterMs: 10_000, keys: '*#*#1234567890##**#0#2#5' },
      ],
      holdMs: 5000,
    });
    await eventually(async () => expect(await roster(parley(), m.id)).toMatchObject([{ state: 'connected' }]), 20_000);
    const result = await caller.done;
    expect(result.exitCode, result.log.slice(-500)).toBe(0);
    expect(mediaOf(ari.playedTo('+12065550604'))).toContain('sound:parley/unknown-command-star');
    expect((await parley().api('GET', `/api/v1/conferences/${m.id}`)).body).toMatchObject({ locked: false, audienceMuted: false });
    await eventually(async () => expect(await roster(parley(), m.id)).toMatchObject([{ state: 'disconnected' }]));
    await eventually(async () => expect((await parleyBridges()).map((b) => b.id)).not.toContain(`parley-${m.id}`));
    expect(await channelIds()).toEqual([]);
  }, 60_000);
});

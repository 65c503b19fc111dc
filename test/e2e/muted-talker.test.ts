// A caller muted at the bridge still has talk detection: the muted talker is reminded, and the roster says so.
import { expect, it } from 'vitest';
import { useAriWatch } from '../support/ari-watch.js';
import { meeting, mediaOf, roster } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();
const ari = useAriWatch();

it('reminds a caller who talks while muted, and shows them talking on the roster, muted', async () => {
  const m = await meeting(parley(), {});
  // Mute with *6, then talk (recorded speech starts once the keys are sent).
  const caller = placeCall({ callerId: '+12065550413', keys: [{ afterMs: 1000, keys: `${m.conferenceId}##` }, { afterMs: 12_000, keys: '*6' }], speech: 2, holdMs: 2000 });
  await eventually(async () => expect(await roster(parley(), m.id)).toMatchObject([{ state: 'connected', muted: true }]), 30_000);
  await eventually(async () => expect(await roster(parley(), m.id)).toMatchObject([{ muted: true, talking: true }]), 15_000);
  await caller.done;
  expect(mediaOf(ari.playedTo('+12065550413'))).toContain('sound:parley/still-muted-star');
}, 60_000);

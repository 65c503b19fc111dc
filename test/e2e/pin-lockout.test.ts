// The keypad PIN lockout across calls on a real Asterisk, and the administrator's unlock.
import { expect, it } from 'vitest';
import { useAriWatch } from '../support/ari-watch.js';
import { meeting, mediaOf, roster, userWithPin } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();
const ari = useAriWatch();

it('locks a 4-digit PIN after 10 wrong tries spread over several calls, refuses the right PIN then, and opens again after an admin unlock', async () => {
  expect((await parley().api('PATCH', '/api/v1/policies', { pin: { minLength: 4 } })).status).toBe(200);
  const cy = await userWithPin(parley(), 'Cy', '4713', '8041');
  const m = await meeting(parley(), { passcode: '135790' });
  const wrongTries = `${m.conferenceId}#*4713#1111#4713#2222#4713#3333#`;

  // Four callers, three wrong PINs each: 12 failures, the lock comes at the 10th.
  const guessers = [0, 1, 2, 3].map((i) => placeCall({ callerId: `+1206555050${i}`, keys: [{ afterMs: 1000, keys: wrongTries }], holdMs: 25_000 }));
  await Promise.all(guessers.map((g) => g.done));
  const user = (await parley().api('GET', `/api/v1/users/${cy.id}`)).body;
  expect(user.pinLockedUntil).not.toBeNull();
  const heard = [0, 1, 2, 3].flatMap((i) => mediaOf(ari.playedTo(`+1206555050${i}`)));
  expect(heard).toContain('sound:parley/pin-locked');

  // The right PIN is refused while locked: the caller hears why and never enters.
  await placeCall({ callerId: '+12065550510', keys: [{ afterMs: 1000, keys: `${m.conferenceId}#*4713#8041#` }], holdMs: 20_000 }).done;
  expect(mediaOf(ari.playedTo('+12065550510')).at(-1)).toBe('sound:parley/pin-locked');
  expect((await roster(parley(), m.id)).filter((p) => p.state === 'connected')).toEqual([]);

  // An administrator unlocks it; the right PIN works at once.
  expect((await parley().api('POST', `/api/v1/users/${cy.id}/pin/unlock`)).status).toBe(200);
  const caller = placeCall({ callerId: '+12065550511', keys: [{ afterMs: 1000, keys: `${m.conferenceId}#*4713#8041#` }], holdMs: 8000 });
  await eventually(async () => expect(await roster(parley(), m.id)).toContainEqual(expect.objectContaining({ state: 'connected', displayName: 'Cy' })), 25_000);
  await caller.done;
}, 120_000);

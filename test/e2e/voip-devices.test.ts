// VoIP participants (issue 15): a directory user's registered SIP phone joins a conference by dialling
// its conference ID at parley's SIP domain (sip:4711042@host). Asterisk authenticated the device by its
// digest, so the user joins as themselves: no conference ID, passcode or PIN to key, the meeting's access
// type and invitation still decide. Real parts: SIPp registers with the user's credentials and calls.
import { describe, expect, it } from 'vitest';
import { useAriWatch } from '../support/ari-watch.js';
import { meeting, mediaOf, roster } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import type { Parley } from '../support/parley-process.js';
import { eventually } from '../support/eventually.js';
import { registerDevice } from '../support/sipp-phones.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();
const ari = useAriWatch();

interface DeviceUser {
  readonly id: string;
  readonly email: string;
  readonly username: string;
  readonly password: string;
}

/** A directory user with SIP device credentials; Asterisk knows the device from then on. */
async function userWithDevice(p: Parley, name: string): Promise<DeviceUser> {
  const email = `${name.toLowerCase()}@example.com`;
  const created = await p.api('POST', '/api/v1/users', { displayName: name, email, sipUri: `sip:${email}`, region: 'US' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const device = await p.api('PUT', `/api/v1/users/${created.body.id}/sip-device`, {});
  expect(device.status, JSON.stringify(device.body)).toBeLessThan(300);
  await ari.watchDevice(device.body.username);
  return { id: created.body.id, email, username: device.body.username, password: device.body.password };
}

/** What the attendant asks a phone caller; a device that dialled a conference hears none of it. */
const QUESTIONS = ['welcome', 'enter-conference-id', 'enter-passcode', 'sign-in-required', 'sign-in-or-continue-star', 'enter-extension', 'enter-pin'].map(
  (name) => `sound:parley/${name}`,
);

describe('a user’s registered SIP device dials the conference URI', () => {
  it('joins a closed-authenticated meeting it is invited to, as its user, via voip, without any prompt; a device of someone not invited is refused and told why', async () => {
    const ivy = await userWithDevice(parley(), 'Ivy');
    const uma = await userWithDevice(parley(), 'Uma');
    const m = await meeting(parley(), { accessType: 'closed', invitees: [ivy.email] });
    const phone = await registerDevice({ username: ivy.username, password: ivy.password, contact: '+1000480' });
    try {
      const invitee = placeCall({ device: ivy, number: m.conferenceId, holdMs: 8000 });
      const outsider = placeCall({ device: uma, number: m.conferenceId, holdMs: 20_000 });

      await eventually(async () => {
        expect((await roster(parley(), m.id)).filter((p) => p.state === 'connected')).toMatchObject([{ displayName: 'Ivy', via: 'voip', role: 'participant' }]);
      }, 20_000);
      const refused = await outsider.done;
      expect(refused.hungUpByBridge, refused.log).toBe(true);
      expect(mediaOf(ari.playedTo(uma.username)).at(-1)).toBe('sound:parley/not-invited');
      expect((await invitee.done).exitCode).toBe(0);

      for (const played of [mediaOf(ari.playedTo(ivy.username)), mediaOf(ari.playedTo(uma.username))]) {
        for (const question of QUESTIONS) expect(played).not.toContain(question);
      }
      // The caller's BYE is written a moment after SIPp has exited.
      await eventually(async () => {
        const history = await parley().api('GET', `/api/v1/conferences/${m.id}/history`);
        expect(history.body.participants).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ displayName: 'Ivy', via: 'voip', authMethod: 'sip', endReason: 'hangup' }),
            expect.objectContaining({ displayName: 'Uma', via: 'voip', authMethod: 'sip', endReason: 'not-invited' }),
          ]),
        );
      }, 10_000);
    } finally {
      await phone.stop();
    }
  });

  it('the organiser’s device joins as leader, and a device that dials the access number is greeted and asked for the ID but never for a PIN', async () => {
    const olga = await userWithDevice(parley(), 'Olga');
    const m = await meeting(parley(), { accessType: 'open', leaders: [olga.email] });
    const leader = placeCall({ device: olga, number: m.conferenceId, holdMs: 6000 });
    await eventually(async () => {
      expect((await roster(parley(), m.id)).filter((p) => p.state === 'connected')).toMatchObject([{ displayName: 'Olga', via: 'voip', role: 'leader' }]);
    }, 20_000);
    await leader.done;

    const viaAccessNumber = placeCall({ device: olga, keys: [{ afterMs: 1000, keys: `${m.conferenceId}#` }], holdMs: 8000 });
    await eventually(async () => {
      expect((await roster(parley(), m.id)).filter((p) => p.state === 'connected')).toMatchObject([{ displayName: 'Olga', via: 'voip', role: 'leader' }]);
    }, 20_000);
    await viaAccessNumber.done;
    const played = mediaOf(ari.playedTo(olga.username));
    // Greeted and asked for the ID (keys typed during the greeting cut it short, as for any caller).
    expect(played).toContain('sound:parley/welcome');
    for (const question of ['sign-in-required', 'enter-extension', 'enter-pin', 'sign-in-or-continue-star']) expect(played).not.toContain(`sound:parley/${question}`);
  });
});

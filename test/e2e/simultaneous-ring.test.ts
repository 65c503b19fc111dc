// Calls to a directory user's number on the real Asterisk: SIPp phones register with the user's SIP
// credentials (Asterisk's registrar, provisioned by parley through ARI), and a SIPp user-agent server
// stands in for the PSTN. A phone's contact (or number) says what it does: …480 rings until cancelled,
// …201 rings 3 s then answers, …200 answers at once (test/support/sipp-phones.ts).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { registerDevice, startPhones, type Device, type Phones } from '../support/sipp-phones.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();
let phones: Phones;
const devices: Device[] = [];
// Registrations outlive a test run in Asterisk's astdb: fresh usernames keep earlier runs' phones out.
const run = Date.now().toString(36);

async function user(name: string, work: string): Promise<string> {
  const created = await parley().api('POST', '/api/v1/users', { displayName: name, email: `${name}-${run}@example.com`, sipUri: `sip:${name}-${run}@example.com`, region: 'US', phones: { work } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return (created.body as { id: string }).id;
}

async function phoneOf(userId: string, contact: string): Promise<Device> {
  const issued = await parley().api('PUT', `/api/v1/users/${userId}/sip-device`);
  expect(issued.status, JSON.stringify(issued.body)).toBe(200);
  const { username, password } = issued.body as { username: string; password: string };
  const device = await registerDevice({ username, password, contact });
  devices.push(device);
  return device;
}

const forwarding = async (userId: string, settings: object) => expect((await parley().api('PUT', `/api/v1/users/${userId}/call-forwarding`, settings)).status).toBe(200);

beforeAll(async () => {
  phones = await startPhones();
}, 30_000);
afterAll(async () => {
  await Promise.all(devices.map((device) => device.stop()));
  await phones?.stop();
});

describe('calls to a user', () => {
  it('rings two registered phones and a mobile at once; the second phone answers and the other two are cancelled as answered elsewhere', async () => {
    const ann = await user('ann', '+15035551234');
    const deskPhone = await phoneOf(ann, '+1000480');
    const softphone = await phoneOf(ann, '+2000201');
    await forwarding(ann, { mode: 'simultaneous-ring', alsoRing: { kind: 'phone', number: '+17185550480' }, noAnswer: { afterSeconds: 20 } });

    // 71 s, talking all along (Asterisk hangs up a leg silent for 60 s; the softphone echoes what it
    // hears), to outlast parley's restart below on a busy machine (it has taken over 35 s).
    const caller = placeCall({ number: '15035551234', speech: 10, holdMs: 1_000 });
    let callerEnded = false;
    void caller.done.then(() => (callerEnded = true));
    await eventually(() => expect(softphone.events().slice(0, 2)).toEqual(['ringing', 'answered']), 15_000);
    await eventually(() => {
      expect(deskPhone.events()).toEqual(['ringing', 'cancelled']);
      expect(phones.events('+17185550480')).toEqual(['ringing', 'cancelled']);
    });
    // SIP's "call completed elsewhere": the phones that lost the race show no missed call.
    expect(deskPhone.cancelReasons()).toEqual(['200']);

    // parley restarts mid-call: the two keep talking, and the caller hanging up still ends the softphone's side.
    await parley().kill('SIGKILL');
    await parley().start();
    expect(callerEnded, 'parley was up again before the caller hung up').toBe(false);
    expect(softphone.events()).not.toContain('bye');
    const result = await caller.done;
    expect(result.exitCode, result.log).toBe(0);
    await eventually(() => expect(softphone.events()).toContain('bye'));
  }, 150_000);

  it('sends an unanswered call where the user chose after their no-answer time', async () => {
    const bo = await user('bo', '+15035552345');
    const deskPhone = await phoneOf(bo, '+3000480');
    await forwarding(bo, { mode: 'off', noAnswer: { afterSeconds: 5, then: { kind: 'phone', number: '+12125550200' } } });

    const started = Date.now();
    const caller = placeCall({ number: '15035552345', holdMs: 5000 });
    await eventually(() => expect(phones.events('+12125550200').slice(0, 2)).toEqual(['ringing', 'answered']), 20_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    expect(deskPhone.events()).toEqual(['ringing', 'cancelled']);
    expect((await caller.done).exitCode).toBe(0);
  }, 60_000);

  it('lets only the Team ring through Do Not Disturb; everyone else goes straight where unanswered calls go', async () => {
    const ann = await user('ann2', '+15035553456');
    const cy = await user('cy', '+15035554567');
    const deskPhone = await phoneOf(cy, '+4000480');
    await forwarding(cy, { mode: 'off', teamMembers: [ann], noAnswer: { afterSeconds: 5, then: { kind: 'phone', number: '+13125550200' } } });
    expect((await parley().api('PUT', `/api/v1/users/${cy}/presence`, { state: 'do-not-disturb' })).status).toBe(200);

    // A stranger: Cy's phone stays silent, and the call is forwarded at once.
    const stranger = placeCall({ number: '15035554567', holdMs: 3000 });
    await eventually(() => expect(phones.events('+13125550200').slice(0, 2)).toEqual(['ringing', 'answered']), 10_000);
    expect(deskPhone.events()).toEqual([]);
    expect((await stranger.done).exitCode).toBe(0);

    // Ann is in Cy's Team (known by the number she calls from): Cy's phone rings.
    const teammate = placeCall({ number: '15035554567', callerId: '+15035553456', holdMs: 3000 });
    await eventually(() => expect(deskPhone.events()).toEqual(['ringing', 'cancelled']), 15_000);
    await teammate.done;
  }, 60_000);

  it('takes a message when nobody answers and the user chose voicemail; the user lists, plays and deletes it', async () => {
    const di = await user('di', '+15035555678');
    await forwarding(di, { mode: 'off', noAnswer: { afterSeconds: 5, then: { kind: 'voicemail' } } });
    // No phone registered: straight to voicemail. The caller waits out the greeting, speaks, and hangs up.
    const caller = placeCall({ number: '15035555678', callerId: '+14255550142', keys: [{ afterMs: 11_000, keys: '' }], speech: 1, holdMs: 500 });
    expect((await caller.done).exitCode).toBe(0);

    const listed = await eventually(async () => {
      const response = await parley().api('GET', `/api/v1/users/${di}/voicemails`);
      expect(response.body).toHaveLength(1);
      return response.body as Array<{ id: string; callerNumber: string; seconds: number }>;
    }, 10_000);
    expect(listed[0]).toMatchObject({ callerNumber: '+14255550142' });
    expect(listed[0]!.seconds).toBeGreaterThanOrEqual(5);
    const audio = await fetch(`${parley().url}/api/v1/users/${di}/voicemails/${listed[0]!.id}/audio`, { headers: { authorization: `Bearer ${parley().token}` } });
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    const wav = Buffer.from(await audio.arrayBuffer());
    expect(wav.byteLength).toBeGreaterThan(44 + 5 * 16_000);
    const file = join(tmpdir(), `parley-voicemail-${Date.now()}.wav`);
    writeFileSync(file, wav);
    const stats = spawnSync('sox', [file, '-n', 'stats'], { encoding: 'utf8' }).stderr;
    expect(Number(/^RMS lev dB\s+(-?[\d.]+|-inf)/m.exec(stats)?.[1] ?? '-inf')).toBeGreaterThan(-50); // the caller's voice is in it

    expect((await parley().api('DELETE', `/api/v1/users/${di}/voicemails/${listed[0]!.id}`)).status).toBe(204);
    expect((await parley().api('GET', `/api/v1/users/${di}/voicemails`)).body).toEqual([]);
  }, 60_000);
});

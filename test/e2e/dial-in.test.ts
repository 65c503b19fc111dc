import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { useParley } from '../support/e2e.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();

async function newConference(body: object = { subject: 'Weekly sync', passcode: '4321' }) {
  const created = await parley().api('POST', '/api/v1/conferences', body);
  expect(created.status).toBe(201);
  return created.body as { id: string; conferenceId: string; passcode?: string };
}

const roster = async (id: string) => (await parley().api('GET', `/api/v1/conferences/${id}/participants`)).body as Array<{
  id: string;
  state: string;
  muted: boolean;
  displayName: string;
  via: string;
}>;

describe('dialling in on a real Asterisk with a SIP caller', () => {
  it('joins with the right conference ID and passcode, and is disconnected after hanging up', async () => {
    const conference = await newConference();
    const caller = placeCall({
      keys: [
        { afterMs: 1000, keys: `${conference.conferenceId}#` },
        { afterMs: 2500, keys: '4321#' },
      ],
      holdMs: 6000,
    });

    const [joined] = await eventually(async () => {
      const participants = await roster(conference.id);
      expect(participants).toMatchObject([{ state: 'connected', via: 'phone', muted: false }]);
      return participants;
    }, 20_000);
    expect(joined?.displayName).toBe('Test Caller');

    const result = await caller.done;
    expect(result.exitCode, result.log).toBe(0);
    expect(result.hungUpByBridge).toBe(false);
    await eventually(async () => expect(await roster(conference.id)).toMatchObject([{ state: 'disconnected' }]));
    expect((await parley().api('GET', `/api/v1/conferences/${conference.id}`)).body).toMatchObject({ status: 'active' });
  });

  it('releases a caller who enters a wrong conference ID three times, leaving no participant', async () => {
    const conference = await newConference();
    const caller = placeCall({
      keys: [
        { afterMs: 1000, keys: '999#' },
        { afterMs: 3000, keys: '998#' },
        { afterMs: 3000, keys: '997#' },
      ],
      holdMs: 20_000,
    });

    const result = await caller.done;
    expect(result.exitCode, result.log).toBe(0);
    expect(result.hungUpByBridge).toBe(true);
    expect(await roster(conference.id)).toEqual([]);
  });

  it('refuses a new caller while the conference is locked, and admits them after unlocking', async () => {
    const conference = await newConference({ subject: 'Board', passcode: true });
    expect((await parley().api('PATCH', `/api/v1/conferences/${conference.id}`, { locked: true })).body).toMatchObject({
      locked: true,
    });
    // Welcome, the ID, sign in or continue (3 s of silence), then the refusal: held long enough on a busy machine.
    const refused = await placeCall({ keys: [{ afterMs: 1000, keys: `${conference.conferenceId}#` }], holdMs: 40_000 }).done;
    expect(refused.hungUpByBridge).toBe(true);
    // The refusal is written as the call ends, a moment after SIPp sees the BYE.
    await eventually(async () => expect((await roster(conference.id)).map((p) => p.state)).toEqual(['disconnected']));

    await parley().api('PATCH', `/api/v1/conferences/${conference.id}`, { locked: false });
    const admitted = placeCall({
      keys: [{ afterMs: 1000, keys: `${conference.conferenceId}#${conference.passcode}#` }],
      holdMs: 4000,
    });
    await eventually(async () => expect((await roster(conference.id)).map((p) => p.state)).toEqual(['disconnected', 'connected']), 15_000);
    expect((await admitted.done).hungUpByBridge).toBe(false);
  }, 90_000);

  it('ejects a participant through the API: the caller is released and shown disconnected', async () => {
    const conference = await newConference({ subject: 'Eject', passcode: '5555' });
    const caller = placeCall({
      keys: [{ afterMs: 1000, keys: `${conference.conferenceId}#5555#` }],
      holdMs: 30_000,
    });
    const [participant] = await eventually(async () => {
      const participants = await roster(conference.id);
      expect(participants).toMatchObject([{ state: 'connected' }]);
      return participants;
    }, 15_000);

    const ejected = await parley().api('DELETE', `/api/v1/conferences/${conference.id}/participants/${participant!.id}`);
    expect(ejected.status).toBe(204);
    expect((await caller.done).hungUpByBridge).toBe(true);
    // The BYE goes out before the roster row is written: wait for the row, not for a lucky ordering.
    await eventually(async () => expect(await roster(conference.id)).toMatchObject([{ state: 'disconnected' }]), 5000);
  });

  for (const dtmf of ['info', 'rfc4733'] as const) {
    it(`collects repeated digits sent as ${dtmf === 'info' ? 'SIP INFO' : 'RFC 4733 events'}`, async () => {
      const conference = await conferenceWithRepeatedDigits();
      const caller = placeCall({
        dtmf,
        keys: [
          { afterMs: 1000, keys: `${conference.conferenceId}#` },
          { afterMs: 2500, keys: '100100#' },
        ],
        // Admission on a machine running eight test files at once may take seconds: stay until it has.
        holdMs: 8000,
      });
      await eventually(async () => expect(await roster(conference.id)).toMatchObject([{ state: 'connected' }]), 20_000);
      expect((await caller.done).exitCode).toBe(0);
    });
  }
});

/** A conference whose generated ID repeats a digit back to back ("...11..."), with passcode 100100. */
async function conferenceWithRepeatedDigits() {
  for (let i = 0; i < 50; i++) {
    const conference = await newConference({ subject: 'Repeated digits', passcode: '100100' });
    if (/(\d)\1/.test(conference.conferenceId)) return conference;
  }
  throw new Error('no conference ID with a repeated digit in 50 tries');
}

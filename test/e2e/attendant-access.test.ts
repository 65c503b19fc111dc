// Who may enter, on a real Asterisk with SIP callers: the three access types, lock and size limit.
import { beforeAll, describe, expect, it } from 'vitest';
import { useAriWatch } from '../support/ari-watch.js';
import { meeting, mediaOf, roster, userWithPin } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();
const ari = useAriWatch();
let ann: { id: string; email: string };
let bo: { id: string; email: string };
beforeAll(async () => {
  ann = await userWithPin(parley(), 'Ann', '4711', '80417');
  bo = await userWithPin(parley(), 'Bo', '4712', '80418');
});

const signIn = (conferenceId: string, extension: string, pin: string) => `${conferenceId}#*${extension}#${pin}#`;

interface History {
  participants: Array<{ displayName: string; endReason: string | null }>;
  refused: Array<{ caller: string; reason: string }>;
}
const history = async (meetingId: string) => (await parley().api('GET', `/api/v1/conferences/${meetingId}/history`)).body as History;
/** The caller's number as the roster and call records show it. */
const masked = (number: string) => `+1 ${number.slice(2, 5)} •••• ${number.slice(-4)}`;

describe('meeting access types', () => {
  it('open authenticated: a caller without a PIN is told and released; a signed-in user joins', async () => {
    const m = await meeting(parley(), { accessType: 'open' });
    const guest = placeCall({ callerId: '+12065550101', keys: [{ afterMs: 1000, keys: `${m.conferenceId}#` }, { afterMs: 3000, keys: '0000#1111#0000#1111#0000#1111#' }], holdMs: 25_000 });
    const member = placeCall({ callerId: '+12065550102', keys: [{ afterMs: 1000, keys: signIn(m.conferenceId, '4712', '80418') }], holdMs: 8000 });

    await eventually(async () => expect((await roster(parley(), m.id)).filter((p) => p.state === 'connected')).toMatchObject([{ displayName: 'Bo' }]), 25_000);
    const refused = await guest.done;
    expect(refused.hungUpByBridge, refused.log).toBe(true);
    expect(mediaOf(ari.playedTo('+12065550101'))).toContain('sound:parley/sign-in-required');
    expect(mediaOf(ari.playedTo('+12065550101')).at(-1)).toBe('sound:parley/too-many-tries');
    await member.done;
    // Never on the roster (no PIN proved), but in the call records with its own reason.
    const records = await history(m.id);
    expect(records.refused).toEqual([expect.objectContaining({ caller: masked('+12065550101'), reason: 'sign-in-failed' })]);
    expect(records.participants).toEqual([expect.objectContaining({ displayName: 'Bo' })]);
  });

  it('closed authenticated: a signed-in user not on the invitation is refused; an invitee joins', async () => {
    const m = await meeting(parley(), { accessType: 'closed', invitees: [ann.email] });
    const outsider = placeCall({ callerId: '+12065550103', keys: [{ afterMs: 1000, keys: signIn(m.conferenceId, '4712', '80418') }], holdMs: 20_000 });
    const invitee = placeCall({ callerId: '+12065550104', keys: [{ afterMs: 1000, keys: signIn(m.conferenceId, '4711', '80417') }], holdMs: 8000 });

    await eventually(async () => expect((await roster(parley(), m.id)).filter((p) => p.state === 'connected')).toMatchObject([{ displayName: 'Ann' }]), 25_000);
    expect((await outsider.done).hungUpByBridge).toBe(true);
    expect(mediaOf(ari.playedTo('+12065550103')).at(-1)).toBe('sound:parley/not-invited');
    await invitee.done;
    await eventually(async () => expect((await roster(parley(), m.id)).find((p) => p.displayName === 'Bo')).toMatchObject({ state: 'disconnected', endReason: 'not-invited' }), 10_000);
    expect(bo.id).toBeTruthy();
  });

  it('anonymous allowed: guests with the passcode join, told apart without caller-ID names; a wrong passcode is refused', async () => {
    const m = await meeting(parley(), { passcode: '246810' });
    const wrong = placeCall({ callerId: '+12065550105', keys: [{ afterMs: 1000, keys: `${m.conferenceId}#111111#222222#333333#` }], holdMs: 20_000 });
    const right = ['+12065550106', '+12065550116'].map((callerId) =>
      placeCall({ callerId, callerName: '', keys: [{ afterMs: 1000, keys: `${m.conferenceId}#246810#` }], holdMs: 8000 }),
    );
    const joined = await eventually(async () => {
      const connected = (await roster(parley(), m.id)).filter((p) => p.state === 'connected');
      expect(connected).toHaveLength(2);
      return connected;
    }, 20_000);
    // Two callers from one area, no names: each is shown by their own masked number, the number not again beside it.
    expect(joined.map((p) => [p.displayName, p.number]).sort()).toEqual([
      [masked('+12065550106'), null],
      [masked('+12065550116'), null],
    ]);
    expect((await wrong.done).hungUpByBridge).toBe(true);
    expect(mediaOf(ari.playedTo('+12065550105'))).toContain('sound:parley/invalid-passcode');
    await Promise.all(right.map((caller) => caller.done));
    // Three wrong passcodes are a refusal, not an abandoned call: in the call records as wrong-passcode,
    // and no roster row (guessing adds no participants).
    const records = await history(m.id);
    expect(records.refused).toEqual([expect.objectContaining({ caller: masked('+12065550105'), reason: 'wrong-passcode' })]);
    expect(records.participants).toHaveLength(2);
    expect(await roster(parley(), m.id)).toHaveLength(2);
  });
});

describe('refusals at the door', () => {
  it('locked: a guest is told and released, a signed-in leader still gets in', async () => {
    const m = await meeting(parley(), { leaders: [ann.email] });
    expect((await parley().api('PATCH', `/api/v1/conferences/${m.id}`, { locked: true })).status).toBe(200);
    const guest = placeCall({ callerId: '+12065550107', keys: [{ afterMs: 1000, keys: `${m.conferenceId}##` }], holdMs: 15_000 });
    const leader = placeCall({ callerId: '+12065550108', keys: [{ afterMs: 1000, keys: signIn(m.conferenceId, '4711', '80417') }], holdMs: 8000 });
    await eventually(async () => expect((await roster(parley(), m.id)).filter((p) => p.state === 'connected')).toMatchObject([{ role: 'leader' }]), 20_000);
    expect((await guest.done).hungUpByBridge).toBe(true);
    expect(mediaOf(ari.playedTo('+12065550107')).at(-1)).toBe('sound:parley/locked');
    await leader.done;
    await eventually(async () => expect((await roster(parley(), m.id)).filter((p) => p.role !== 'leader')).toMatchObject([{ state: 'disconnected', endReason: 'locked' }]), 10_000);
  });

  it('full: the caller beyond the meeting limit is told and released', async () => {
    const m = await meeting(parley(), { maxParticipants: 2 });
    const keys = [{ afterMs: 1000, keys: `${m.conferenceId}##` }];
    const first = placeCall({ callerId: '+12065550109', keys, holdMs: 20_000 });
    const second = placeCall({ callerId: '+12065550110', keys, holdMs: 20_000 });
    await eventually(async () => expect((await roster(parley(), m.id)).filter((p) => p.state === 'connected')).toHaveLength(2), 20_000);
    const third = await placeCall({ callerId: '+12065550111', keys, holdMs: 15_000 }).done;
    expect(third.hungUpByBridge).toBe(true);
    expect(mediaOf(ari.playedTo('+12065550111')).at(-1)).toBe('sound:parley/full');
    await eventually(async () => expect((await history(m.id)).participants.filter((p) => p.endReason === 'full')).toHaveLength(1), 10_000);
    first.kill();
    second.kill();
  }, 60_000);
});

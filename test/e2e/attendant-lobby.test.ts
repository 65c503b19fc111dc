// The lobby on a real Asterisk: guests wait in a holding bridge with music until a leader arrives or admits them.
import { beforeAll, describe, expect, it } from 'vitest';
import { ari as ariRequest } from '../support/ari.js';
import { useAriWatch } from '../support/ari-watch.js';
import { meeting, mediaOf, roster, userWithPin } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();
const ari = useAriWatch();
let ann: { id: string; email: string };
beforeAll(async () => {
  ann = await userWithPin(parley(), 'Ann', '4711', '80417');
});

const lobbyBridge = async (meetingId: string) =>
  (await ariRequest<Array<{ id: string; bridge_type: string; channels: string[] }>>('GET', '/bridges')).find((b) => b.id === `parley-lobby-${meetingId}`);

describe('the lobby', () => {
  it('join-before-leader off: a guest waits with music, told why, and joins when the leader signs in', async () => {
    const m = await meeting(parley(), { joinBeforeLeader: false, leaders: [ann.email] });
    const guest = placeCall({ callerId: '+12065550201', keys: [{ afterMs: 1000, keys: `${m.conferenceId}##` }], holdMs: 40_000 });
    // Keys, then the lobby prompt (6.6 s) before the caller is in the lobby.
    await eventually(async () => expect(await roster(parley(), m.id)).toMatchObject([{ state: 'lobby' }]), 30_000);
    await eventually(async () => expect((await lobbyBridge(m.id))?.channels).toHaveLength(1));
    expect((await lobbyBridge(m.id))?.bridge_type).toBe('holding');
    expect(mediaOf(ari.playedTo('+12065550201'))).toContain('sound:parley/lobby-wait-leader');

    const leader = placeCall({ callerId: '+12065550202', keys: [{ afterMs: 1000, keys: `${m.conferenceId}#*4711#80417#` }], holdMs: 15_000 });
    await eventually(async () => expect((await roster(parley(), m.id)).map((p) => p.state)).toEqual(['connected', 'connected']), 25_000);
    await eventually(() => expect(mediaOf(ari.playedTo('+12065550201'))).toContain('sound:parley/lobby-admitted'));
    await eventually(async () => expect(await lobbyBridge(m.id)).toBeUndefined());
    guest.kill();
    await leader.done;
  }, 60_000);

  it('lobby bypass off: guests wait until a leader admits them, one through the API and all with *8', async () => {
    const m = await meeting(parley(), { lobbyBypass: false, leaders: [ann.email] });
    const leader = placeCall({
      callerId: '+12065550203',
      keys: [
        { afterMs: 1000, keys: `${m.conferenceId}#*4711#80417#` },
        { afterMs: 30_000, keys: '*8' },
      ],
      holdMs: 15_000,
    });
    await eventually(async () => expect(await roster(parley(), m.id)).toMatchObject([{ state: 'connected', role: 'leader' }]), 20_000);
    const first = placeCall({ callerId: '+12065550204', keys: [{ afterMs: 1000, keys: `${m.conferenceId}##` }], holdMs: 45_000 });
    const second = placeCall({ callerId: '+12065550205', keys: [{ afterMs: 1000, keys: `${m.conferenceId}##` }], holdMs: 45_000 });
    await eventually(async () => expect((await roster(parley(), m.id)).filter((p) => p.state === 'lobby')).toHaveLength(2), 20_000);
    expect(mediaOf(ari.playedTo('+12065550204'))).toContain('sound:parley/lobby-wait-admit');

    const [one] = (await roster(parley(), m.id)).filter((p) => p.state === 'lobby');
    const admitted = await parley().api('POST', `/api/v1/conferences/${m.id}/lobby/admit`, { participantId: one!.id });
    expect(admitted.body).toEqual({ admitted: 1 });
    await eventually(async () => expect((await roster(parley(), m.id)).filter((p) => p.state === 'connected')).toHaveLength(2));

    // The leader's *8 (sent 30 s after joining) lets the other one in.
    await eventually(async () => expect((await roster(parley(), m.id)).filter((p) => p.state === 'connected')).toHaveLength(3), 30_000);
    await eventually(() => expect(mediaOf(ari.playedTo('+12065550203'))).toContain('sound:parley/lobby-admitted-all'));
    first.kill();
    second.kill();
    leader.kill();
  }, 90_000);

  it('a leader turns a waiting guest away: told so, released, recorded as lobby-denied; a second deny finds nobody', async () => {
    const m = await meeting(parley(), { lobbyBypass: false, leaders: [ann.email] });
    const guest = placeCall({ callerId: '+12065550206', keys: [{ afterMs: 1000, keys: `${m.conferenceId}##` }], holdMs: 60_000 });
    const [waiting] = await eventually(async () => {
      const now = (await roster(parley(), m.id)).filter((p) => p.state === 'lobby');
      expect(now).toHaveLength(1);
      return now;
    }, 20_000);
    // Only a leader may; the API token is the deployment's administrator (a leader of every meeting).
    const denied = await parley().api('POST', `/api/v1/conferences/${m.id}/lobby/deny`, { participantId: waiting!.id });
    expect(denied.status, JSON.stringify(denied.body)).toBe(204);
    const released = await guest.done;
    expect(released.hungUpByBridge, released.log.slice(-1500)).toBe(true);
    expect(mediaOf(ari.playedTo('+12065550206')).at(-1)).toBe('sound:parley/ejected');
    await eventually(async () => expect(await roster(parley(), m.id)).toMatchObject([{ id: waiting!.id, state: 'disconnected', endReason: 'lobby-denied' }]));
    const again = await parley().api('POST', `/api/v1/conferences/${m.id}/lobby/deny`, { participantId: waiting!.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('participant-not-waiting');
  }, 60_000);
});

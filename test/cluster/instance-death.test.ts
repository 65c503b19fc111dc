import { afterAll, describe, expect, it } from 'vitest';
import { eventually, sleep } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';
import { api, newConference, restartInstances, NODES, owners, parleyPid, placement, roster } from './cluster-support.js';

afterAll(async () => restartInstances());

describe('a parley instance dies', () => {
  it('kill -9 of the instance owning the conference node: no call drops, the other instance owns both nodes and re-adopts the calls', async () => {
    const before = await owners();
    expect(before['node-a']?.owner).toBe('parley-a');
    expect(before['node-b']?.owner).toBe('parley-b');
    const conference = await newConference('a', { subject: 'Survive', passcode: '9753' });
    const keys = [{ afterMs: 1000, keys: `${conference.conferenceId}#9753#` }];
    const hold = { holdMs: 45_000 };
    const first = placeCall({ keys, ...hold, callerId: '+12065550930' }, { count: 1, perSecond: 1, target: NODES.b.sip });
    await eventually(async () => expect(await roster(conference.id)).toMatchObject([{ state: 'connected' }]), 20_000);
    expect(await placement(conference.id)).toBe('node-b');
    const others = [
      placeCall({ keys, ...hold, callerId: '+12065550931' }, { count: 1, perSecond: 1, target: NODES.b.sip }),
      placeCall({ keys, ...hold, callerId: '+12065550932' }, { count: 2, perSecond: 2, target: NODES.a.sip }),
    ];
    await eventually(async () => expect((await roster(conference.id)).filter((p) => p.state === 'connected')).toHaveLength(4), 25_000);

    const killedAt = Date.now();
    process.kill(parleyPid('b'), 'SIGKILL');
    const tookOver = await eventually(async () => {
      const now = await owners();
      expect(now['node-b']?.owner).toBe('parley-a');
      return Date.now() - killedAt;
    }, 30_000, 200);
    // The calls are adopted again: a mute through the surviving instance reaches a caller on node b.
    const members = await roster(conference.id, 'a');
    expect(members.map((p) => p.state)).toEqual(['connected', 'connected', 'connected', 'connected']);
    const path = `/api/v1/conferences/${conference.id}/participants/${members[0]!.id}`;
    const muted = await eventually(async () => {
      const answer = await api('a', 'PATCH', path, { muted: true });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return Date.now() - killedAt;
    }, 20_000, 200);
    expect((await owners())['node-b']?.token).toBeGreaterThan(before['node-b']!.token);
    console.log(`parley-b killed: node b owned by parley-a after ${tookOver} ms, its calls driven again after ${muted} ms`);

    await sleep(2000);
    for (const caller of [first, ...others]) {
      const result = await caller.done;
      expect(result.exitCode, result.log.slice(-2000)).toBe(0);
      expect(result.hungUpByBridge, 'no call dropped').toBe(false);
    }
    await eventually(async () => expect((await roster(conference.id)).map((p) => p.state)).toEqual(['disconnected', 'disconnected', 'disconnected', 'disconnected']), 20_000);
  }, 150_000);
});

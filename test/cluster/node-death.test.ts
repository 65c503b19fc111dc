import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';
import { asteriskPid, INGRESS, newConference, NODES, owners, placement, restartInstances, roster } from './cluster-support.js';

afterAll(async () => restartInstances());

describe('a media node dies', () => {
  it('kill -9 of the Asterisk holding a conference: its callers are shown disconnected, new callers go to the other node and the conference is placed there', async () => {
    const conference = await newConference('a', { subject: 'Node down', passcode: '1470' });
    const keys = [{ afterMs: 1000, keys: `${conference.conferenceId}#1470#` }];
    const onB = placeCall({ keys, holdMs: 60_000, callerId: '+12065550940' }, { count: 1, perSecond: 1, target: NODES.b.sip, timeoutSeconds: 90 });
    await eventually(async () => expect(await roster(conference.id)).toMatchObject([{ state: 'connected' }]), 20_000);
    expect(await placement(conference.id)).toBe('node-b');
    const relayed = placeCall({ keys, holdMs: 60_000, callerId: '+12065550941' }, { count: 1, perSecond: 1, target: NODES.a.sip, timeoutSeconds: 90 });
    await eventually(async () => expect((await roster(conference.id)).map((p) => p.state)).toEqual(['connected', 'connected']), 25_000);

    const killedAt = Date.now();
    process.kill(asteriskPid('b'), 'SIGKILL');
    const lost = await eventually(async () => {
      expect((await roster(conference.id)).map((p) => p.state)).toEqual(['disconnected', 'disconnected']);
      return Date.now() - killedAt;
    }, 30_000, 200);
    expect((await owners())['node-b']?.reachable).toBe(false);
    // The caller on node a was relayed to node b: the call on node a is ended, not left in silence.
    const relayedResult = await relayed.done;
    expect(relayedResult.hungUpByBridge).toBe(true);
    onB.kill();

    // Kamailio's probes have taken node b out: a new caller lands on node a, and the conference moves there.
    const newcomer = placeCall({ keys, holdMs: 5_000, callerId: '+12065550942' }, { count: 1, perSecond: 1, target: INGRESS });
    const rejoined = await eventually(async () => {
      expect((await roster(conference.id)).map((p) => p.state)).toEqual(['disconnected', 'disconnected', 'connected']);
      return Date.now() - killedAt;
    }, 40_000, 200);
    expect(await placement(conference.id)).toBe('node-a');
    const result = await newcomer.done;
    expect(result.exitCode, result.log.slice(-2000)).toBe(0);
    console.log(`node b killed: its callers disconnected on the roster after ${lost} ms; a new caller in the conference, re-placed on node a, after ${rejoined} ms`);
  }, 150_000);
});

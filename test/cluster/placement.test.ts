import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';
import { db, INGRESS, newConference, NODES, untilConnected, type NodeKey } from './cluster-support.js';

const auth = () => `Basic ${Buffer.from(`${process.env.ARI_USERNAME}:${process.env.ARI_PASSWORD}`).toString('base64')}`;
async function ariOn<T>(on: NodeKey, path: string): Promise<T> {
  const response = await fetch(`http://${NODES[on].sip.replace(':5060', ':8088')}/ari${path}`, { headers: { authorization: auth() } });
  return (await response.json()) as T;
}
/** Callers' channels from the gateway (Kamailio) on a node: not the relay legs between nodes. */
async function gatewayCalls(on: NodeKey): Promise<number> {
  return (await ariOn<Array<{ name: string }>>(on, '/channels')).filter((c) => c.name.startsWith('PJSIP/gateway-')).length;
}
async function conferenceBridges(on: NodeKey, conferenceId: string) {
  return (await ariOn<Array<{ id: string; channels: string[] }>>(on, '/bridges')).filter((b) => b.id === `parley-${conferenceId}`);
}

describe('placing conferences on media nodes', () => {
  it('spreads 20 callers to the access number over both nodes through Kamailio, and all of them join', async () => {
    const conference = await newConference('a', { subject: 'Spread', passcode: '1357' });
    const keys = [{ afterMs: 1000, keys: `${conference.conferenceId}#1357#` }];
    const callers = placeCall({ keys, holdMs: 20_000, callerId: '+12065550910' }, { count: 20, perSecond: 10, target: INGRESS });
    await untilConnected(conference.id, 20, 40_000, [callers]);
    const [onA, onB] = [await gatewayCalls('a'), await gatewayCalls('b')];
    expect(onA + onB).toBe(20);
    // Least loaded first: neither node takes them all.
    expect(onA).toBeGreaterThanOrEqual(5);
    expect(onB).toBeGreaterThanOrEqual(5);
    const result = await callers.done;
    expect(result.exitCode, result.log.slice(-2000)).toBe(0);
    console.log(`20 callers through Kamailio: ${onA} on node a, ${onB} on node b`);
  }, 90_000);

  it('30 first callers of one conference arriving at once on both nodes end in one placement and one bridge', async () => {
    const conference = await newConference('b', { subject: 'Storm', passcode: '8642' });
    const keys = [{ afterMs: 800, keys: `${conference.conferenceId}#8642#` }];
    const storms = (['a', 'b'] as const).map((on, i) =>
      placeCall({ keys, holdMs: 15_000, callerId: `+1206555092${i}` }, { count: 15, perSecond: 30, target: NODES[on].sip }),
    );
    await untilConnected(conference.id, 30, 45_000, storms);
    const placements = (await db().query('select node from conference_placements where conference_id = $1', [conference.id])).rows;
    expect(placements).toHaveLength(1);
    const home = placements[0].node === 'node-a' ? 'a' : 'b';
    const other = home === 'a' ? 'b' : 'a';
    // The roster says connected as the caller is put in the bridge: the bridge has them all a moment later.
    await eventually(async () => {
      const bridges = await conferenceBridges(home, conference.id);
      expect(bridges).toHaveLength(1);
      expect(bridges[0]!.channels).toHaveLength(30);
    }, 5_000);
    expect(await conferenceBridges(other, conference.id)).toEqual([]);
    for (const storm of storms) {
      const result = await storm.done;
      expect(result.exitCode, result.log.slice(-2000)).toBe(0);
    }
  }, 90_000);
});

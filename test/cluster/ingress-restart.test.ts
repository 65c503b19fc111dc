import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';
import { api, clusterUp, INGRESS, newConference, roster } from './cluster-support.js';

const RUN = process.env.PARLEY_CLUSTER_DIR ?? '/var/cache/parley/cluster';

describe('the SIP ingress restarts', () => {
  it('calls in progress through a Kamailio that was killed and started again keep their BYEs, from the caller and to the caller', async () => {
    const conference = await newConference('a', { subject: 'Ingress restart', passcode: '3579' });
    const keys = [{ afterMs: 1000, keys: `${conference.conferenceId}#3579#` }];
    // One hangs up by itself after 25 s; the other stays until a leader ejects them.
    const leaving = placeCall({ keys, holdMs: 25_000, callerId: '+12065550930' }, { count: 1, perSecond: 1, target: INGRESS });
    const [leaver] = await eventually(async () => {
      const now = await roster(conference.id);
      expect(now.filter((p) => p.state === 'connected')).toHaveLength(1);
      return now;
    }, 25_000);
    const staying = placeCall({ keys, holdMs: 120_000, callerId: '+12065550931' }, { count: 1, perSecond: 1, target: INGRESS });
    const stayer = await eventually(async () => {
      const now = (await roster(conference.id)).filter((p) => p.state === 'connected' && p.id !== leaver!.id);
      expect(now).toHaveLength(1);
      return now[0]!;
    }, 25_000);

    // Kamailio dies, every process of it (no goodbye to anyone), and comes back: it kept no state about these calls.
    const main = Number(readFileSync(`${RUN}/kamailio.pid`, 'utf8'));
    execFileSync('pkill', ['-9', '-f', `kamailio -f ${RUN}/kamailio.cfg`]);
    await eventually(() => expect(readFileSync('/proc/net/udp', 'utf8')).not.toMatch(/ 0100007F:13C4 /), 5_000);
    clusterUp();
    expect(Number(readFileSync(`${RUN}/kamailio.pid`, 'utf8'))).not.toBe(main);

    // The caller's BYE reaches their node through the new Kamailio: gone from the roster as a hang-up,
    // at once, not when the node's RTP timeout notices the silence.
    const left = await leaving.done;
    expect(left.exitCode, left.log.slice(-2000)).toBe(0);
    await eventually(async () => expect((await roster(conference.id)).find((p) => p.id === leaver!.id)).toMatchObject({ state: 'disconnected' }), 3_000);

    // The node's BYE to the other caller goes out through it too.
    const ejected = await api('b', 'DELETE', `/api/v1/conferences/${conference.id}/participants/${stayer.id}`);
    expect(ejected.status, JSON.stringify(ejected.body)).toBeLessThan(300);
    const released = await staying.done;
    expect(released.hungUpByBridge, released.log.slice(-2000)).toBe(true);
    expect(released.exitCode).toBe(0);

    const history = await api('a', 'GET', `/api/v1/conferences/${conference.id}/history`);
    expect(history.body.participants).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: leaver!.id, endReason: 'hangup' }), expect.objectContaining({ id: stayer.id, endReason: 'ejected' })]),
    );
  }, 120_000);
});

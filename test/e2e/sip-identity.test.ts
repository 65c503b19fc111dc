// Who Asterisk takes a call from: the gateway only by its source address (GATEWAY_MATCH, 127.0.0.1/32
// in the test environment), users' devices only with their credentials, nobody else at all. A refused
// INVITE must not create a channel, so nothing reaches parley's Stasis app.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useParley } from '../support/e2e.js';
import { probeInvite } from '../support/sipp.js';

const parley = useParley();

/** Channels Asterisk has created since it started: a refused INVITE leaves it unchanged. */
function callsProcessed(): number {
  const out = execFileSync('bash', ['scripts/asterisk.sh', 'cli', 'core show channels count'], { encoding: 'utf8' });
  const found = /(\d+) calls? processed/.exec(out);
  if (!found) throw new Error(`unexpected CLI answer: ${out}`);
  return Number(found[1]);
}

describe('the gateway and devices are told apart from strangers', () => {
  it('refuses an INVITE from outside GATEWAY_MATCH that claims to be the gateway, before any channel exists', async () => {
    const before = callsProcessed();
    const stranger = await probeInvite({ localIp: '127.0.0.9', fromUser: 'gateway' });
    expect(stranger.status, stranger.log).toBeGreaterThanOrEqual(400);
    expect(callsProcessed()).toBe(before);

    // Nor with a carrier-like number in From, from the same outside address.
    const numbered = await probeInvite({ localIp: '127.0.0.9', fromUser: '+14255550123' });
    expect(numbered.status, numbered.log).toBeGreaterThanOrEqual(400);
    expect(callsProcessed()).toBe(before);
  });

  it('answers the same INVITE from the gateway\'s own address (the attendant)', async () => {
    const gateway = await probeInvite({ localIp: '127.0.0.1', fromUser: 'gateway' });
    expect(gateway.status, gateway.log).toBe(200);
  });

  it("challenges a device's username without its credentials, from outside and from the gateway's own address", async () => {
    const created = await parley().api('POST', '/api/v1/users', { displayName: 'Dee Vice', email: 'dee@example.com', sipUri: 'sip:dee@example.com', region: 'US' });
    expect(created.status).toBe(201);
    const device = await parley().api('PUT', `/api/v1/users/${created.body.id}/sip-device`, {});
    expect(device.status, JSON.stringify(device.body)).toBeLessThan(300);
    const username = device.body.username as string;
    const before = callsProcessed();
    for (const localIp of ['127.0.0.9', '127.0.0.1']) {
      const probe = await probeInvite({ localIp, fromUser: username });
      expect(probe.status, `${localIp}: ${probe.log}`).toBe(401);
    }
    expect(callsProcessed()).toBe(before);
  });
});

import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { registerDevice, type Device } from '../support/sipp-phones.js';
import { placeCall, probeInvite } from '../support/sipp.js';
import { api, asteriskCli, INGRESS, newConference, roster } from './cluster-support.js';

interface PhoneUser {
  readonly work: string;
  readonly username: string;
  readonly password: string;
}

/** Which node holds the device's registration (the CLI's contacts of each node). */
function registeredOn(username: string): string[] {
  return (['a', 'b'] as const).filter((on) => asteriskCli(on, 'pjsip show contacts').includes(`${username}/`));
}

describe("users' SIP phones in a cluster", () => {
  it('register through Kamailio; calls to their users ring them on the node they registered on; their own calls are taken; a stranger is refused', async () => {
    const run = Date.now().toString(36);
    // Numbers no earlier run on this database gave anyone (a number shared by two users reaches neither).
    const firstNumber = 2_000_000 + Math.floor(Math.random() * 7_000_000);
    // Credentials issued through either instance: every node knows every device.
    const users: PhoneUser[] = [];
    for (let i = 0; i < 8; i++) {
      const on = i % 2 === 0 ? 'a' : 'b';
      const work = `+1206${firstNumber + i}`;
      const name = `phone${i}-${run}`;
      const created = await api(on, 'POST', '/api/v1/users', { displayName: `Phone ${i}`, email: `${name}@example.com`, sipUri: `sip:${name}@example.com`, region: 'US', phones: { work } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const issued = await api(on, 'PUT', `/api/v1/users/${created.body.id}/sip-device`);
      expect(issued.status, JSON.stringify(issued.body)).toBeLessThan(300);
      // Phones are told the ingress, not a node.
      expect(issued.body.registrar).toBe(`sip:${INGRESS}`);
      users.push({ work, username: issued.body.username, password: issued.body.password });
    }

    const devices: Device[] = [];
    try {
      // Eight phones register at once through Kamailio (the …200 contact answers and presses 1).
      devices.push(...(await Promise.all(users.map((user) => registerDevice({ username: user.username, password: user.password, contact: '+1000200' })))));
      const homes = users.map((user) => registeredOn(user.username));
      for (const home of homes) expect(home).toHaveLength(1);
      console.log(`phones registered on node a: ${homes.filter((home) => home[0] === 'a').length}, on node b: ${homes.filter((home) => home[0] === 'b').length}`);

      // Eight calls from the gateway to the users' numbers at once: each rings its phone, which answers.
      const calls = users.map((user) => placeCall({ number: user.work.slice(1), holdMs: 2000 }, { count: 1, perSecond: 1, target: INGRESS }));
      await eventually(() => {
        for (const device of devices) expect(device.events()).toContain('answered');
      }, 30_000);
      for (const call of calls) expect((await call.done).exitCode).toBe(0);

      // A phone calls a conference through Kamailio: challenged by its node, joined as its user.
      const conference = await newConference('a', { subject: 'Phones', passcode: '4321' });
      const joining = placeCall({ device: users[0]!, number: conference.conferenceId, holdMs: 6000 }, { count: 1, perSecond: 1, target: INGRESS });
      await eventually(async () => expect(await roster(conference.id)).toMatchObject([{ state: 'connected', via: 'voip', displayName: 'Phone 0' }]), 20_000);
      expect((await joining.done).exitCode).toBe(0);
    } finally {
      await Promise.all(devices.map((device) => device.stop()));
    }

    // From outside the gateway's and the nodes' addresses, only a device's name gets past Kamailio, and
    // then its node asks for its password: nothing there passes for the gateway.
    const stranger = await probeInvite({ localIp: '127.0.0.9', fromUser: '12065550999', number: users[1]!.work.slice(1), target: INGRESS });
    expect(stranger.status, stranger.log).toBe(403);
    const posing = await probeInvite({ localIp: '127.0.0.9', fromUser: users[1]!.username, number: users[2]!.work.slice(1), target: INGRESS });
    expect(posing.status, posing.log).toBe(401);
  }, 120_000);
});

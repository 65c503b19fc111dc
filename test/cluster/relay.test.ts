import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordBridge } from '../support/ari.js';
import { eventually, sleep } from '../support/eventually.js';
import { tonePcap } from '../support/noise-pcap.js';
import { placeCall, probeInvite } from '../support/sipp.js';
import { activeChannels, api, newConference, NODES, placement, roster } from './cluster-support.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-cluster-'));
/** The conference's bridge on node b, recorded there (the nodes share one recordings directory). */
async function heardOnB(bridge: string, ms: number, band: readonly [number, number], skipMs = 0) {
  process.env.ARI_URL = 'http://127.0.0.3:8088';
  return recordBridge(bridge, ms, { band, skipMs });
}

describe('one conference, callers on both media nodes', () => {
  it('is one roster and one bridge: a tone from a caller on node a is heard in the bridge on node b, until muted by the API or by *6', async () => {
    const conference = await newConference('a', { subject: 'Relay', passcode: '2468' });
    const bridge = `parley-${conference.id}`;
    const keys = [{ afterMs: 1000, keys: `${conference.conferenceId}#` }, { afterMs: 500, keys: '2468#' }];
    // The first caller lands on node b: the conference lives there.
    const onB = placeCall({ keys, holdMs: 60_000, callerId: '+12065550901' }, { count: 1, perSecond: 1, target: NODES.b.sip });
    await eventually(async () => expect(await roster(conference.id)).toMatchObject([{ state: 'connected' }]), 20_000);
    expect(await placement(conference.id)).toBe('node-b');

    // A caller on node a, typing the passcode straight after the ID (before being put through), sends a 1 kHz tone.
    const toneMs = tonePcap(join(dir, 'tone-1k.pcap'), 30, 1000, -16);
    const talker = placeCall({ keys, audio: { pcap: join(dir, 'tone-1k.pcap'), ms: toneMs }, holdMs: 500, callerId: '+12065550902' }, { count: 1, perSecond: 1, target: NODES.a.sip });
    const members = await eventually(async () => {
      const now = await roster(conference.id);
      expect(now.map((p) => p.state)).toEqual(['connected', 'connected']);
      return now;
    }, 25_000);
    // The roster cannot tell the relayed caller from a local one.
    expect(members[1]).toMatchObject({ via: 'phone', displayName: 'Test Caller', muted: false });
    await sleep(1500);
    const open = await heardOnB(bridge, 3000, [900, 1100]);
    expect(open.rmsDb, 'the tone from node a in the mix on node b').toBeGreaterThan(-30);

    // Muted through the instance that does not own node b: the command is carried out by the one that does.
    const path = `/api/v1/conferences/${conference.id}/participants/${members[1]!.id}`;
    const muted = await api('a', 'PATCH', path, { muted: true });
    expect(muted.status, JSON.stringify(muted.body)).toBe(200);
    expect(muted.body).toMatchObject({ muted: true, mutedBy: 'leader' });
    const silent = await heardOnB(bridge, 2500, [900, 1100], 300);
    expect(silent.rmsDb).toBeLessThan(-60);
    expect((await api('a', 'PATCH', path, { muted: false })).body).toMatchObject({ muted: false });
    await sleep(2500);
    expect((await heardOnB(bridge, 2500, [900, 1100])).rmsDb, 'the tone again after the unmute').toBeGreaterThan(-30);

    // A second caller on node a mutes themselves with *6 before their 600 Hz tone starts: not heard on node b.
    tonePcap(join(dir, 'tone-600.pcap'), 12, 600, -16);
    const selfMuted = placeCall(
      { keys: [...keys, { afterMs: 6000, keys: '*6' }], audio: { pcap: join(dir, 'tone-600.pcap'), ms: 12_000 }, holdMs: 500, callerId: '+12065550903' },
      { count: 1, perSecond: 1, target: NODES.a.sip },
    );
    await eventually(async () => expect((await roster(conference.id))[2]).toMatchObject({ state: 'connected', muted: true, mutedBy: 'self' }), 30_000);
    await sleep(1500);
    const self = await heardOnB(bridge, 3000, [550, 650]);
    // Not -60 as for the API mute: the 1 kHz talker may still be on, and G.711's noise from it reaches this band.
    expect(self.rmsDb, 'a caller muted by *6 on the conference node').toBeLessThan(-50);

    for (const caller of [talker, selfMuted]) expect((await caller.done).exitCode).toBe(0);
    onB.kill();
    await eventually(async () => expect((await roster(conference.id)).filter((p) => p.state !== 'disconnected')).toEqual([]), 20_000);
  }, 120_000);
});

describe('relay legs', () => {
  it('only a node with a ticket parley issued puts a caller through: a forged relay leg from a node address, or one from the gateway, is refused', async () => {
    const conference = await newConference('a', { subject: 'Forged', passcode: '1111' });
    // From a node's own address (so Asterisk takes it as a relay leg) with a made-up ticket: parley hangs up.
    const forged = await probeInvite({ localIp: '127.0.0.2', fromUser: '12065550950', number: 'relay', target: NODES.b.sip, header: 'X-Parley-Ticket: made-up-ticket' });
    expect(forged.status, forged.log).toBe(403);
    // From the gateway's address, "relay" is just a number nobody has.
    const fromGateway = await probeInvite({ localIp: '127.0.0.1', fromUser: '12065550951', number: 'relay', target: NODES.b.sip, header: 'X-Parley-Ticket: made-up-ticket' });
    expect(fromGateway.status).toBe(404);
    await eventually(async () => {
      for (const on of ['a', 'b'] as const) expect(activeChannels(on)).toBe(0);
    }, 10_000);
    expect(await roster(conference.id)).toEqual([]);
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { NodeOwnership } from '../../../src/cluster/node-ownership.js';
import type { MediaNode, NodeLeaseStore } from '../../../src/ports/cluster.js';
import { quietLog } from '../harness.js';

/** Instance a, whose home is node a; node b is instance b's, and `reachable` says whether b reaches it. */
function ownershipOfA(nodeB: () => Pick<MediaNode, 'reachable'>) {
  const node = (name: string, owner: string, reachable: boolean): MediaNode => ({
    name, sipUri: `sip:${name}`, owner, ownerUrl: `http://${owner}`, fencingToken: 1, leaseUntil: new Date(Date.now() + 60_000), reachable, maxCalls: 400, homeAlive: true,
  });
  const store: NodeLeaseStore = {
    declare: async () => undefined,
    acquire: async () => undefined,
    renew: async () => true,
    wantHome: async () => undefined,
    release: async () => undefined,
    all: async () => [node('node-a', 'ib', true), node('node-b', 'ib', nodeB().reachable)],
  };
  const driver = { attach: () => undefined, detach: () => undefined, reachable: () => true, idle: () => true, abandon: () => undefined };
  const settings = { instance: 'ia', instanceUrl: 'http://ia', home: 'node-a', nodes: [], leaseMs: 4000, tickMs: 60_000, deadAfterMs: 4000 };
  return new NodeOwnership(store, driver, settings, quietLog());
}

describe('relayed calls waiting on the node their conference lives on', () => {
  it('leave nothing behind once they end on a node that lives on (1000 calls)', () => {
    const ownership = ownershipOfA(() => ({ reachable: true }));
    const calls = Array.from({ length: 1000 }, () => new AbortController());
    for (const call of calls) void ownership.lost('node-b', call.signal);
    expect(ownership.waitingOn('node-b')).toBe(1000);
    for (const call of calls) call.abort();
    expect(ownership.waitingOn('node-b')).toBe(0);
  });

  it('are told when the node is found dead, those still on the line', async () => {
    let reachable = true;
    const ownership = ownershipOfA(() => ({ reachable }));
    const [gone, on] = [new AbortController(), new AbortController()];
    void ownership.lost('node-b', gone.signal);
    const lost = ownership.lost('node-b', on.signal);
    gone.abort();
    reachable = false;
    await ownership.start();
    await ownership.stop();
    await expect(lost).resolves.toBeUndefined();
    expect(ownership.waitingOn('node-b')).toBe(0);
    // Found dead already: a wait starting now settles at once.
    await expect(ownership.lost('node-b', new AbortController().signal)).resolves.toBeUndefined();
  });
});

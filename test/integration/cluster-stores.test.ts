import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgNodeLeaseStore, pgPlacementStore, pgRelayLegStore } from '../../src/adapters/pg/cluster-stores.js';
import { createPool } from '../../src/adapters/pg/pool.js';
import { NodeOwnership, type NodeDriver } from '../../src/cluster/node-ownership.js';
import { createMigratedTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';

let db: TestDatabase;
let pool: pg.Pool;
const NODES = [
  { name: 'node-a', sipUri: 'sip:relay@10.0.0.2:5060', maxCalls: 3 },
  { name: 'node-b', sipUri: 'sip:relay@10.0.0.3:5060', maxCalls: 3 },
];

beforeAll(async () => {
  db = await createMigratedTestDatabase();
  pool = createPool(db.url);
  await pgNodeLeaseStore(pool).declare(NODES);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function conference(): Promise<string> {
  const id = randomBytes(16).toString('hex');
  await pool.query(`insert into conferences (id, conference_id, subject, access_type) values ($1, $2, 's', 'anonymous')`, [id, String(Math.floor(Math.random() * 1e9))]);
  return id;
}

/** Both nodes owned and reachable, as their instances would keep them. */
async function bothAlive(): Promise<void> {
  const leases = pgNodeLeaseStore(pool);
  for (const node of NODES) {
    await pool.query('update media_nodes set owner = null, lease_until = null where name = $1', [node.name]);
    const lease = await leases.acquire(node.name, `parley-${node.name}`, 'http://x', 60_000);
    await leases.renew(lease!, `parley-${node.name}`, 60_000, true);
  }
}

describe('node leases', () => {
  it('one owner at a time: a held lease is refused to others, taken over once it has run out, with a higher fencing token; the old owner cannot renew', async () => {
    const leases = pgNodeLeaseStore(pool);
    await pool.query(`update media_nodes set owner = null, lease_until = null where name = 'node-a'`);
    const first = await leases.acquire('node-a', 'one', 'http://one', 60_000);
    expect(first).toBeDefined();
    expect(await leases.acquire('node-a', 'two', 'http://two', 60_000)).toBeUndefined();
    expect(await leases.renew(first!, 'one', 60_000, true)).toBe(true);
    await pool.query(`update media_nodes set lease_until = now() - interval '1 second' where name = 'node-a'`);
    const second = await leases.acquire('node-a', 'two', 'http://two', 60_000);
    expect(second!.token).toBeGreaterThan(first!.token);
    expect(await leases.renew(first!, 'one', 60_000, true)).toBe(false);
    expect((await leases.all()).find((n) => n.name === 'node-a')).toMatchObject({ owner: 'two', ownerUrl: 'http://two' });
  });

  it('8 instances racing for a free node: exactly one gets it', async () => {
    const leases = pgNodeLeaseStore(pool);
    await pool.query(`update media_nodes set owner = null, lease_until = null where name = 'node-b'`);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => leases.acquire('node-b', `racer-${i}`, 'http://x', 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('conference placement', () => {
  it('30 first callers at once on both nodes agree on one node', async () => {
    await bothAlive();
    const id = await conference();
    const placements = pgPlacementStore(pool);
    const nodes = await Promise.all(Array.from({ length: 30 }, (_, i) => placements.place(id, i % 2 ? 'node-a' : 'node-b')));
    expect(new Set(nodes).size).toBe(1);
  });

  it("goes to the first caller's node when it has room, else to the least loaded; a dead node's conference moves for the next caller", async () => {
    await bothAlive();
    const placements = pgPlacementStore(pool);
    const first = await conference();
    expect(await placements.place(first, 'node-a')).toBe('node-a');
    // node-a full (3 calls): the next conference goes to node-b, whoever called first.
    for (let i = 0; i < 3; i++) {
      await pool.query(`insert into participants (id, conference_id, channel_id, display_name, caller_number, state) values (gen_random_uuid(), $1, $2, 'x', '1', 'connected')`, [first, `c-${randomBytes(4).toString('hex')}`]);
    }
    const second = await conference();
    expect(await placements.place(second, 'node-a')).toBe('node-b');
    await pool.query(`update media_nodes set reachable = false where name = 'node-a'`);
    expect(await placements.place(first, 'node-b')).toBe('node-b');
    expect(await placements.nodeOf(first)).toBe('node-b');
    await pool.query(`update media_nodes set reachable = false where name = 'node-b'`);
    expect(await placements.place(await conference(), 'node-a')).toBeUndefined();
  });
});

describe('relay tickets', () => {
  it('are redeemed once, only at the node they name, only while fresh', async () => {
    const legs = pgRelayLegStore(pool);
    const id = await conference();
    const leg = (ticket: string) => ({
      ticket,
      conferenceId: id,
      fromNode: 'node-a',
      toNode: 'node-b',
      callerChannel: `caller-${ticket}`,
      relayChannel: `relay-${ticket}`,
      caller: { number: '+12065550100', name: 'Caller', language: 'fr-CA', dialed: '14255550100' },
    });
    await legs.open(leg('t1'));
    expect(await legs.redeem('t1', 'node-a', 'arrived-1', 15_000)).toBeUndefined();
    const redeemed = await Promise.all(Array.from({ length: 8 }, (_, i) => legs.redeem('t1', 'node-b', `arrived-${i}`, 15_000)));
    expect(redeemed.filter(Boolean)).toHaveLength(1);
    expect(redeemed.find(Boolean)?.caller.language).toBe('fr-CA');
    const arrived = redeemed.findIndex(Boolean);
    expect((await legs.byChannel(`arrived-${arrived}`))?.ticket).toBe('t1');
    expect((await legs.byChannel('caller-t1'))?.ticket).toBe('t1');
    await legs.open(leg('t2'));
    await pool.query(`update relay_legs set created_at = now() - interval '1 minute' where ticket = 't2'`);
    expect(await legs.redeem('t2', 'node-b', 'late', 15_000)).toBeUndefined();
    expect((await legs.from(['node-a'])).map((l) => l.ticket).sort()).toEqual(['t1', 't2']);
    await legs.close('t1');
    expect(await legs.byChannel('caller-t1')).toBeUndefined();
  });
});

describe('node ownership', () => {
  const driver = (): NodeDriver & { attached: Set<string> } => {
    const attached = new Set<string>();
    return { attached, attach: (n) => attached.add(n), detach: (n) => attached.delete(n), reachable: () => true, idle: () => true, abandon: () => undefined };
  };
  const settings = (instance: string, home: string) => ({ instance, instanceUrl: `http://${instance}`, home, nodes: NODES, leaseMs: 2000, tickMs: 200, deadAfterMs: 1000 });
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as never;

  it('each instance owns its own node; when one stops renewing the other takes its node, and gives it back when it returns', async () => {
    await pool.query('update media_nodes set owner = null, lease_until = null, home_alive_until = null');
    const leases = pgNodeLeaseStore(pool);
    const [da, db2] = [driver(), driver()];
    const a = new NodeOwnership(leases, da, settings('ia', 'node-a'), quiet);
    let b = new NodeOwnership(leases, db2, settings('ib', 'node-b'), quiet);
    await a.start();
    await b.start();
    await eventually(() => expect([da.attached, db2.attached].map((s) => [...s])).toEqual([['node-a'], ['node-b']]), 5000);
    // b dies without a word (no release): its lease runs out and a takes node-b.
    (b as unknown as { stopped: boolean }).stopped = true;
    clearInterval((b as unknown as { timer: NodeJS.Timeout }).timer);
    await eventually(() => expect([...da.attached].sort()).toEqual(['node-a', 'node-b']), 8000);
    // b comes back: node-b goes home (it carries no call).
    const db3 = driver();
    b = new NodeOwnership(leases, db3, settings('ib', 'node-b'), quiet);
    await b.start();
    await eventually(() => expect([[...da.attached], [...db3.attached]]).toEqual([['node-a'], ['node-b']]), 8000);
    await a.stop();
    await b.stop();
  }, 30_000);
});

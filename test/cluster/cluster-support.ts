// The cluster the tests run against: brought up by scripts/test-cluster.sh (`npm run test:cluster`) with
// scripts/cluster.sh: Kamailio on 127.0.0.1:5060, media nodes a (127.0.0.2) and b (127.0.0.3), a parley
// instance for each (ports 3101 and 3102), one PostgreSQL database (DATABASE_URL).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, expect } from 'vitest';
import { eventually } from '../support/eventually.js';
import type { Caller } from '../support/sipp.js';

export const NODES = {
  a: { node: 'node-a', sip: '127.0.0.2:5060', api: 'http://127.0.0.1:3101', instance: 'parley-a' },
  b: { node: 'node-b', sip: '127.0.0.3:5060', api: 'http://127.0.0.1:3102', instance: 'parley-b' },
} as const;
export type NodeKey = keyof typeof NODES;
export const INGRESS = '127.0.0.1:5060';
const RUN = process.env.PARLEY_CLUSTER_DIR ?? '/var/cache/parley/cluster';
const ROOT = process.env.PARLEY_ASTERISK_ROOT ?? '/var/cache/parley/asterisk-root';

const token = () => {
  const value = process.env.API_TOKEN;
  if (!value) throw new Error('API_TOKEN must be set (npm run test:cluster sets it)');
  return value;
};

export async function api(on: NodeKey, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${NODES[on].api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export interface Member {
  id: string;
  state: string;
  muted: boolean;
  mutedBy?: string | null;
  displayName: string;
  callerNumber?: string;
  via: string;
  talking: boolean;
  endReason?: string | null;
}

export async function roster(conferenceId: string, on: NodeKey = 'a'): Promise<Member[]> {
  return (await api(on, 'GET', `/api/v1/conferences/${conferenceId}/participants`)).body as Member[];
}

/**
 * Waits until `count` of the conference's participants are connected. If they never are, the failure says
 * what the roster shows (states and end reasons) and what the callers' SIPp saw.
 */
export async function untilConnected(conferenceId: string, count: number, timeoutMs: number, callers: readonly Caller[]): Promise<void> {
  try {
    await eventually(async () => expect((await roster(conferenceId)).filter((p) => p.state === 'connected')).toHaveLength(count), timeoutMs);
  } catch (error) {
    const states: Record<string, number> = {};
    for (const p of await roster(conferenceId)) {
      const key = `${p.state}${p.endReason ? `/${p.endReason}` : ''}`;
      states[key] = (states[key] ?? 0) + 1;
    }
    for (const caller of callers) caller.kill();
    const seen = await Promise.all(callers.map((caller) => caller.done));
    const logs = seen.map((result, i) => `caller set ${i}, exit ${result.exitCode}:\n${result.log.slice(-1500)}`).join('\n---\n');
    throw new Error(`${count} callers never all connected; the roster: ${JSON.stringify(states)}\n${logs}`, { cause: error });
  }
}

export async function newConference(on: NodeKey = 'a', body: object = { subject: 'Cluster test', passcode: false }) {
  const created = await api(on, 'POST', '/api/v1/conferences', body);
  if (created.status !== 201) throw new Error(`conference not created: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body as { id: string; conferenceId: string; passcode?: string };
}

let pool: pg.Pool | undefined;
export function db(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  return pool;
}
afterAll(async () => {
  await pool?.end();
  pool = undefined;
});

export async function placement(conferenceId: string): Promise<string | undefined> {
  return (await db().query<{ node: string }>('select node from conference_placements where conference_id = $1', [conferenceId])).rows[0]?.node;
}

export async function owners(): Promise<Record<string, { owner: string | null; token: number; reachable: boolean }>> {
  const { rows } = await db().query<{ name: string; owner: string | null; fencing_token: string; reachable: boolean; live: boolean }>(
    'select name, owner, fencing_token, reachable, lease_until > now() as live from media_nodes',
  );
  return Object.fromEntries(rows.map((row) => [row.name, { owner: row.live ? row.owner : null, token: Number(row.fencing_token), reachable: row.reachable }]));
}

/** The Asterisk CLI of one node. */
export function asteriskCli(on: NodeKey, command: string): string {
  return execFileSync('chroot', [ROOT, '/usr/sbin/asterisk', '-C', `/etc/asterisk-node-${on}/asterisk.conf`, '-rx', command], { encoding: 'utf8' });
}

/** Channels up on a node (the CLI's count). */
export function activeChannels(on: NodeKey): number {
  const match = /(\d+) active channel/.exec(asteriskCli(on, 'core show channels count'));
  return Number(match?.[1] ?? 0);
}

export const parleyPid = (on: NodeKey) => Number(readFileSync(`${RUN}/parley-${on}.pid`, 'utf8'));
export const asteriskPid = (on: NodeKey) => Number(readFileSync(`${ROOT}/run/asterisk-node-${on}/asterisk.pid`, 'utf8'));

/** Starts again whatever of the cluster is not running (after a test killed part of it). */
export function clusterUp(): void {
  execFileSync('bash', ['scripts/cluster.sh', 'up'], { stdio: 'inherit', env: process.env });
}

/**
 * Both parley instances stopped cleanly (their leases given up) and started again in order, so that each
 * owns its own node again (a test that killed one left both nodes with the other).
 */
export async function restartInstances(): Promise<void> {
  for (const on of ['a', 'b'] as const) {
    let pid: number;
    try {
      pid = parleyPid(on);
      process.kill(pid, 'SIGTERM');
    } catch {
      continue;
    }
    for (let waited = 0; waited < 10_000; waited += 100) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  clusterUp();
  for (let waited = 0; waited < 20_000; waited += 200) {
    const now = await owners();
    if (now['node-a']?.owner === 'parley-a' && now['node-b']?.owner === 'parley-b' && now['node-a'].reachable && now['node-b'].reachable) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the instances did not get their own nodes back: ${JSON.stringify(await owners())}`);
}

// What a relayed caller costs (README, "Beyond one media server"): against the cluster `npm run cluster`
// runs on this machine, N callers join a conference on node b, first all calling node b (local), then
// all calling node a (each put through to node b by a relay leg). Printed: the CPU every process used
// per caller (Asterisk a and b, parley a and b) and the time from a caller's channel appearing to its
// roster join, for both; the difference is what relaying costs.
//
//   npm run cluster && npm run bench:relay -- [--callers 40] [--seconds 20]
// (with the cluster's DATABASE_URL, API_TOKEN, ARI_USERNAME and ARI_PASSWORD in the environment)
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { eventually, sleep } from '../test/support/eventually.js';
import { placeCall, SPEECH_MS } from '../test/support/sipp.js';
import { cpuSeconds } from './proc.js';
import { spread } from './stats.js';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const CALLERS = arg('callers', 40);
const SAMPLE_SECONDS = arg('seconds', 20);
const ROOT = '/var/cache/parley/asterisk-root';
const RUN = '/var/cache/parley/cluster';
const NODES = { a: '127.0.0.2', b: '127.0.0.3' } as const;
const token = process.env.API_TOKEN ?? '';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });

const pids = () => ({
  asteriskA: Number(readFileSync(`${ROOT}/run/asterisk-node-a/asterisk.pid`, 'utf8')),
  asteriskB: Number(readFileSync(`${ROOT}/run/asterisk-node-b/asterisk.pid`, 'utf8')),
  parleyA: Number(readFileSync(`${RUN}/parley-a.pid`, 'utf8')),
  parleyB: Number(readFileSync(`${RUN}/parley-b.pid`, 'utf8')),
});

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:3102${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return response.json() as Promise<any>;
}

async function ariChannels(node: 'a' | 'b'): Promise<Array<{ id: string; name: string; creationtime: string; caller: { number: string } }>> {
  const auth = Buffer.from(`${process.env.ARI_USERNAME}:${process.env.ARI_PASSWORD}`).toString('base64');
  return (await fetch(`http://${NODES[node]}:8088/ari/channels`, { headers: { authorization: `Basic ${auth}` } })).json() as never;
}

async function phase(name: string, landOn: 'a' | 'b', prefix: string) {
  const conference = await api('POST', '/api/v1/conferences', { subject: `Relay cost ${name}`, passcode: '2580' });
  const keys = [{ afterMs: 1000, keys: `${conference.conferenceId}#` }, { afterMs: 600, keys: '2580#' }];
  const holdMs = 10_000 + SAMPLE_SECONDS * 1000 + CALLERS * 200;
  // The conference lives on node b: its first caller calls there.
  const opener = placeCall({ keys, holdMs: holdMs + 20_000, callerId: '+12065550999' }, { count: 1, perSecond: 1, target: `${NODES.b}:5060` });
  await eventually(async () => expectConnected(conference.id, 1), 20_000, 250);
  const speech = Math.ceil((holdMs / SPEECH_MS) + 1);
  const callers = placeCall({ keys, speech, holdMs: 2000, callerId: `+1${prefix}[call_number]` }, { count: CALLERS, perSecond: 10, target: `${NODES[landOn]}:5060`, timeoutSeconds: 300 });
  await eventually(async () => expectConnected(conference.id, CALLERS + 1), 60_000, 250);
  const created = new Map<string, number>();
  for (const channel of await ariChannels(landOn)) if (channel.name.startsWith('PJSIP/gateway-')) created.set(channel.caller.number, Date.parse(channel.creationtime));
  const joined = (await pool.query<{ caller_number: string; joined_at: Date }>('select caller_number, joined_at from participants where conference_id = $1 and joined_at is not null', [conference.id])).rows;
  const joinMs = joined.flatMap((row) => {
    const at = created.get(row.caller_number) ?? created.get(row.caller_number.replace(/^\+/, ''));
    return at === undefined ? [] : [row.joined_at.getTime() - at];
  });
  await sleep(3000);
  const ids = pids();
  const before = Object.fromEntries(Object.entries(ids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  await sleep(SAMPLE_SECONDS * 1000);
  const cpu = Object.fromEntries(Object.entries(ids).map(([k, pid]) => [k, ((cpuSeconds(pid) - before[k]!) / SAMPLE_SECONDS) * 100]));
  callers.kill();
  opener.kill();
  await sleep(5000);
  return { name, cpu, join: spread(joinMs), measuredJoins: joinMs.length };
}

async function expectConnected(conferenceId: string, count: number): Promise<void> {
  const { rows } = await pool.query<{ n: string }>(`select count(*) as n from participants where conference_id = $1 and state = 'connected'`, [conferenceId]);
  if (Number(rows[0]!.n) < count) throw new Error(`${rows[0]!.n} of ${count} connected`);
}

const local = await phase('local', 'b', '20655510');
const relayed = await phase('relayed', 'a', '20655520');
await pool.end();
const total = (cpu: Record<string, number>) => Object.values(cpu).reduce((sum, value) => sum + value, 0);
const fmt = (n: number) => n.toFixed(1);
console.log(`relay cost, ${CALLERS} callers talking in one conference on node b, CPU over ${SAMPLE_SECONDS} s (% of one core):`);
for (const run of [local, relayed]) {
  console.log(`  ${run.name.padEnd(8)} asterisk a ${fmt(run.cpu.asteriskA!)}  asterisk b ${fmt(run.cpu.asteriskB!)}  parley a ${fmt(run.cpu.parleyA!)}  parley b ${fmt(run.cpu.parleyB!)}  total ${fmt(total(run.cpu))}`);
  console.log(`           channel created → on the roster: p50 ${run.join.p50} ms, p99 ${run.join.p99} ms (${run.measuredJoins} callers)`);
}
console.log(`  per relayed caller: +${((total(relayed.cpu) - total(local.cpu)) / CALLERS).toFixed(2)} % of a core; join +${(relayed.join.p50 ?? NaN) - (local.join.p50 ?? NaN)} ms (p50)`);

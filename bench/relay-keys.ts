// How much later a relayed caller's key reaches their conference's node (README, "Beyond one media
// server"): against the cluster `npm run cluster` runs on this machine, a conference lives on node a and
// N callers reach it through node b. Once in, each presses a key every second. Asterisk stamps every key
// it reports (ChannelDtmfReceived, when the key ends): on node b for the caller's own channel, on node a
// for the relay leg carrying it. The difference is what relaying adds before parley can act on the key.
//
//   npm run cluster && npm run bench:relay-keys -- [--callers 10] [--presses 10]
// (with the cluster's DATABASE_URL, API_TOKEN, ARI_USERNAME and ARI_PASSWORD in the environment)
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { eventually } from '../test/support/eventually.js';
import { placeCall } from '../test/support/sipp.js';
import { spread } from './stats.js';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const CALLERS = arg('callers', 10);
const PRESSES = arg('presses', 10);
const NODES = { a: '127.0.0.2', b: '127.0.0.3' } as const;
const KEY = '1';
const auth = `${process.env.ARI_USERNAME}:${process.env.ARI_PASSWORD}`;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });

/** Every key Asterisk reports on `node` for calls of `endpoint`: caller number → [(digit, when)]. */
async function watchKeys(node: 'a' | 'b', endpoint: string) {
  const app = `bench-keys-${randomBytes(3).toString('hex')}`;
  const socket = new WebSocket(`ws://${NODES[node]}:8088/ari/events?app=${app}&api_key=${encodeURIComponent(auth)}`);
  const keys = new Map<string, Array<{ digit: string; at: number }>>();
  socket.on('message', (data: Buffer) => {
    const event = JSON.parse(data.toString()) as { type: string; digit?: string; timestamp?: string; channel?: { caller?: { number: string } } };
    const caller = event.channel?.caller?.number.replace(/^\+/, '');
    if (event.type !== 'ChannelDtmfReceived' || !caller || !event.timestamp) return;
    keys.set(caller, [...(keys.get(caller) ?? []), { digit: event.digit ?? '', at: Date.parse(event.timestamp.replace(/(\d\d)(\d\d)$/, '$1:$2')) }]);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const basic = `Basic ${Buffer.from(auth).toString('base64')}`;
  const subscribed = await fetch(`http://${NODES[node]}:8088/ari/applications/${app}/subscription?eventSource=${encodeURIComponent(`endpoint:${endpoint}`)}`, { method: 'POST', headers: { authorization: basic } });
  if (!subscribed.ok) throw new Error(`cannot watch ${endpoint} on node ${node}: ${subscribed.status}`);
  return { keys, close: () => socket.close() };
}

async function connected(conferenceId: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`select count(*) as n from participants where conference_id = $1 and state = 'connected'`, [conferenceId]);
  return Number(rows[0]!.n);
}

const created = await fetch('http://127.0.0.1:3101/api/v1/conferences', {
  method: 'POST',
  headers: { authorization: `Bearer ${process.env.API_TOKEN}`, 'content-type': 'application/json' },
  body: JSON.stringify({ subject: 'Relayed keys', passcode: '2580' }),
});
const conference = (await created.json()) as { id: string; conferenceId: string };
const onA = await watchKeys('a', 'PJSIP/relay');
const onB = await watchKeys('b', 'PJSIP/gateway');
const join = [{ afterMs: 1000, keys: `${conference.conferenceId}#` }, { afterMs: 600, keys: '2580#' }];
// The conference's first caller calls node a, so it lives there; the others call node b.
const opener = placeCall({ keys: join, holdMs: 60_000 + PRESSES * 1000, callerId: '+12065550998' }, { count: 1, perSecond: 1, target: `${NODES.a}:5060` });
await eventually(async () => {
  if ((await connected(conference.id)) < 1) throw new Error('the opener is not in yet');
}, 20_000, 250);
const presses = Array.from({ length: PRESSES }, () => ({ afterMs: 1000, keys: KEY }));
const callers = placeCall({ keys: [...join, { afterMs: 6000, keys: KEY }, ...presses.slice(1)], holdMs: 3000, callerId: '+1206556[call_number]' }, { count: CALLERS, perSecond: 5, target: `${NODES.b}:5060`, timeoutSeconds: 120 });
const result = await callers.done;
opener.kill();
onA.close();
onB.close();
await pool.end();

const added: number[] = [];
for (const [caller, pressed] of onB.keys) {
  // The presses in the conference are each side's last ones (the conference ID and passcode may hold the
  // key too, and only node b hears the ID); paired in order, a caller whose presses did not all arrive is
  // left out (and counted below).
  const sent = pressed.filter((k) => k.digit === KEY).slice(-PRESSES);
  const arrived = (onA.keys.get(caller) ?? []).filter((k) => k.digit === KEY).slice(-PRESSES);
  if (arrived.length !== PRESSES || sent.length !== PRESSES) continue;
  sent.forEach((key, i) => added.push(arrived[i]!.at - key.at));
}
const measured = spread(added);
console.log(`relayed keys, ${CALLERS} callers on node b in a conference on node a, ${PRESSES} presses each (SIPp exit ${result.exitCode}):`);
console.log(`  key reported on node a after node b: p50 ${measured.p50} ms, p99 ${measured.p99} ms, max ${measured.max} ms (${added.length} of ${CALLERS * PRESSES} keys paired)`);

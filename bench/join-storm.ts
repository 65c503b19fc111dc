// Join storm: N SIPp callers dial in at R calls/s, key in the conference ID and stay. Prints
// failures, how many were in the bridge at once, last-DTMF-to-bridge latency (from Asterisk's own
// event timestamps), API mute latency, and CPU seconds of parley and Asterisk.
//   npm run bench -- [callers=300] [perSecond=30] [speech clips per caller=3]     (needs Asterisk up: npm run asterisk -- up)
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { createTestDatabase } from '../test/support/database.js';
import { eventually, sleep } from '../test/support/eventually.js';
import { parleyProcess } from '../test/support/parley-process.js';
import { placeCall } from '../test/support/sipp.js';

const count = Number(process.argv[2] ?? 300);
const perSecond = Number(process.argv[3] ?? 30);
const speech = Number(process.argv[4] ?? 3);
const ari = process.env.ARI_URL ?? 'http://127.0.0.1:8088';
const auth = `${process.env.ARI_USERNAME}:${process.env.ARI_PASSWORD}`;

const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
};
const asteriskPid = Number(
  readFileSync(`${process.env.PARLEY_ASTERISK_ROOT ?? '/var/cache/parley/asterisk-root'}/run/asterisk/asterisk.pid`, 'utf8'),
);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

const db = await createTestDatabase();
// Guests are not asked for their name here: that step is paced by the caller, not by parley.
const parley = await parleyProcess(db.url, { NAME_RECORDING_SECONDS: '0' });
await parley.start();
const { body: conference } = await parley.api('POST', '/api/v1/conferences', { subject: 'Join storm', passcode: null, maxParticipants: 1000 });

// A second ARI app subscribed to the gateway endpoint sees every caller's channel with Asterisk's
// timestamps (not subscribeAll: Asterisk 22.10 deadlocked in res_stasis_device_state when such an app went away).
const lastHash = new Map<string, number>();
const latencies: number[] = [];
const events = new WebSocket(`${ari.replace(/^http/, 'ws')}/ari/events?app=bench&api_key=${auth}`);
events.on('message', (data) => {
  const event = JSON.parse(String(data));
  const at = Date.parse(event.timestamp);
  if (event.type === 'ChannelDtmfReceived' && event.digit === '#') lastHash.set(event.channel.id, at);
  if (event.type === 'ChannelEnteredBridge' && lastHash.has(event.channel?.id)) {
    latencies.push(at - lastHash.get(event.channel.id)!);
    lastHash.delete(event.channel.id);
  }
});
await new Promise((resolve) => events.once('open', resolve));
const watch = async (source: string) => {
  const subscribed = await fetch(`${ari}/ari/applications/bench/subscription?eventSource=${encodeURIComponent(source)}`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
  });
  if (!subscribed.ok) throw new Error(`could not watch ${source}: ${subscribed.status} ${await subscribed.text()}`);
};
await watch('endpoint:PJSIP/gateway');

const parleyPid = parley.pid();
const before = { parley: cpuSeconds(parleyPid), asterisk: cpuSeconds(asteriskPid) };
const rampMs = (count / perSecond) * 1000;
const started = Date.now();
const storm = placeCall(
  // ID, then # for "continue as a guest" (the meeting has no passcode).
  { keys: [{ afterMs: 500, keys: `${conference.conferenceId}##` }], speech, holdMs: rampMs + 5_000 },
  { count, perSecond },
);

// ChannelEnteredBridge is published on the bridge: watch it as soon as the first caller opened it.
let bridgeWatched = false;
let peak = 0;
const roster = async () =>
  ((await parley.api('GET', `/api/v1/conferences/${conference.id}/participants`)).body as Array<{ id: string; state: string }>).filter(
    (p) => p.state === 'connected',
  );
while (Date.now() - started < rampMs + 8_000) {
  peak = Math.max(peak, (await roster()).length);
  if (!bridgeWatched && peak > 0) bridgeWatched = await watch(`bridge:parley-${conference.id}`).then(() => true, () => false);
  await sleep(bridgeWatched ? 500 : 20);
}

const muteTimes: number[] = [];
for (const participant of (await roster()).slice(0, 50)) {
  const t0 = performance.now();
  const response = await parley.api('PATCH', `/api/v1/conferences/${conference.id}/participants/${participant.id}`, { muted: true });
  if (response.status === 200) muteTimes.push(performance.now() - t0);
}

const result = await storm.done;
const after = { parley: cpuSeconds(parleyPid), asterisk: cpuSeconds(asteriskPid) };
await eventually(async () => {
  if ((await roster()).length > 0) throw new Error('callers still connected');
}, 30_000);
const failed = /Failed call\s*\|\s*\d+\s*\|\s*(\d+)/.exec(result.log)?.[1];

const parleyCpu = after.parley - before.parley;
const asteriskCpu = after.asterisk - before.asterisk;
console.log(`callers ${count} at ${perSecond}/s: SIPp exit ${result.exitCode}, failed calls ${failed ?? (result.exitCode === 0 ? 0 : '?')}`);
if (result.exitCode !== 0) console.log(`SIPp said (last lines):\n${result.log.split('\n').filter((line) => line.trim()).slice(-15).join('\n')}`);
console.log(`peak connected in the bridge: ${peak}`);
console.log(
  `last DTMF -> in bridge (Asterisk timestamps, ${latencies.length} calls): p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${Math.max(...latencies)} ms`,
);
console.log(`API mute (${muteTimes.length} calls): p50 ${percentile(muteTimes, 50).toFixed(1)} ms, p99 ${percentile(muteTimes, 99).toFixed(1)} ms`);
console.log(
  `CPU seconds: parley ${parleyCpu.toFixed(2)}, Asterisk ${asteriskCpu.toFixed(2)} (parley = ${((100 * parleyCpu) / asteriskCpu).toFixed(1)}% of Asterisk)`,
);
events.close();
await parley.kill();
await db.drop();

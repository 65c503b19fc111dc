// parley's full attendant: the built parley (node dist/main.js) on a fresh database, one meeting without
// a passcode that callers join as guests. Beside the storm it is muted through its API, and its memory
// and event loop are watched.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestDatabase } from '../test/support/database.js';
import { sleep } from '../test/support/eventually.js';
import { parleyProcess, type Parley } from '../test/support/parley-process.js';
import { ACCESS_NUMBER } from '../test/support/sipp.js';
import { SetupError } from './asterisk.js';
import { loopDelayReader } from './loop-delay.js';
import { rssKb } from './proc.js';
import type { AppFigures, Side } from './storm.js';

const PROBE = pathToFileURL(join(import.meta.dirname, 'loop-probe.mjs')).href;

export interface ParleyOptions {
  /** How many connected callers to mute through the API during each storm. */
  readonly mutes: number;
}

export async function parleySide(options: ParleyOptions): Promise<Side> {
  const db = await createTestDatabase();
  const probeFile = join(tmpdir(), `parley-bench-loop-${process.pid}-${Date.now()}.json`);
  process.env.PARLEY_NODE_FLAGS = `${process.env.PARLEY_NODE_FLAGS ?? ''} --import=${PROBE}`.trim();
  // Guests are not asked for their name: that step is paced by the caller, not by parley.
  // Logging as `npm start` does (the tests' parleys log at debug); BENCH_LOG_LEVEL=debug traces each
  // call's attendant steps and wrong entries' lengths, with BENCH_PARLEY_LOG to keep the log.
  const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
  const parley = await parleyProcess(db.url, { NAME_RECORDING_SECONDS: '0', PARLEY_BENCH_LOOP_FILE: probeFile, LOG_LEVEL: logLevel });
  try {
    await parley.start();
  } catch (error) {
    await db.drop();
    throw new SetupError(`parley did not start: ${String(error).slice(0, 2000)}`);
  }
  const created = await parley.api('POST', '/api/v1/conferences', { subject: 'Join storm', passcode: null, maxParticipants: 1000 });
  if (created.status !== 201) throw new SetupError(`parley refused the bench's meeting: ${created.status} ${JSON.stringify(created.body)}`);
  const conference = created.body as { id: string; conferenceId: string };
  const connected = async () =>
    ((await parley.api('GET', `/api/v1/conferences/${conference.id}/participants`)).body as Array<{ id: string; state: string }>).filter(
      (p) => p.state === 'connected',
    );
  const setMuted = (participantId: string, muted: boolean) =>
    parley.api('PATCH', `/api/v1/conferences/${conference.id}/participants/${participantId}`, { muted });
  const warmedUp = new Set<string>();
  const before: AriCounts = { requests: {}, events: {}, buckets: {} };
  const ariRequests: Record<string, number> = {};
  const ariEvents: Record<string, number> = {};
  const ariLatency: Record<string, { p50Ms: number; p99Ms: number }> = {};
  return {
    name: 'parley',
    number: ACCESS_NUMBER,
    conferenceId: conference.conferenceId,
    appPid: parley.pid(),
    database: new URL(db.url).pathname.slice(1),
    async ready() {
      // The warm-up caller is muted and unmuted once, so the storm's mutes are not the process's first.
      // The storm leaves it alone: its "unmuted" prompt may still be playing, and a mute waits for it.
      for (const participant of await connected()) {
        warmedUp.add(participant.id);
        for (const muted of [true, false]) await setMuted(participant.id, muted);
      }
      Object.assign(before, await ariCounts(parley));
    },
    beside: async (done) => ({
      ...(await beside(parley, probeFile, options, connected, (participantId) => setMuted(participantId, true), warmedUp, done)),
      ariRequests,
      ariEvents,
      ariLatency,
    }),
    async settle() {
      // Only the warm-up caller is left connected once parley has written every leave.
      for (let waited = 0; waited < 30_000 && (await connected()).length > 1; waited += 200) await sleep(200);
      const after = await ariCounts(parley);
      const since = (now: Record<string, number>, then: Record<string, number>, into: Record<string, number>) => {
        for (const [name, count] of Object.entries(now)) if (count > (then[name] ?? 0)) into[name] = count - (then[name] ?? 0);
      };
      since(after.requests, before.requests, ariRequests);
      since(after.events, before.events, ariEvents);
      Object.assign(ariLatency, latencies(after.buckets, before.buckets));
    },
    async close() {
      await parley.kill();
      // BENCH_PARLEY_LOG=DIR keeps each bench parley's log, to see why a caller failed.
      if (process.env.BENCH_PARLEY_LOG) writeFileSync(join(process.env.BENCH_PARLEY_LOG, `parley-${Date.now()}.log`), parley.output());
      await db.drop();
      rmSync(probeFile, { force: true });
    },
  };
}

interface AriCounts {
  requests: Record<string, number>;
  events: Record<string, number>;
  /** Cumulative histogram counts by operation, then by upper bound in seconds ('+Inf' last). */
  buckets: Record<string, Record<string, number>>;
}

/**
 * p50 and p99 of each operation's ARI requests between two readings of the histogram, as the upper
 * bound of the bucket they fall in (so "≤ 25 ms"); Infinity beyond the last bound.
 */
function latencies(now: AriCounts['buckets'], then: AriCounts['buckets']): Record<string, { p50Ms: number; p99Ms: number }> {
  const result: Record<string, { p50Ms: number; p99Ms: number }> = {};
  for (const [operation, bounds] of Object.entries(now)) {
    const rows = Object.entries(bounds)
      .map(([le, count]) => ({ le: le === '+Inf' ? Infinity : Number(le), count: count - (then[operation]?.[le] ?? 0) }))
      .sort((a, b) => a.le - b.le);
    const total = rows.at(-1)?.count ?? 0;
    if (total === 0) continue;
    const at = (share: number) => (rows.find((row) => row.count >= share * total)?.le ?? Infinity) * 1000;
    result[operation] = { p50Ms: at(0.5), p99Ms: at(0.99) };
  }
  return result;
}

/** ARI requests by operation and events by type so far, from parley's GET /metrics. */
async function ariCounts(parley: Parley): Promise<AriCounts> {
  const counts: AriCounts = { requests: {}, events: {}, buckets: {} };
  const response = await fetch(`${parley.url}/metrics`, { headers: { authorization: `Bearer ${parley.token}` } });
  if (!response.ok) return counts;
  const text = await response.text();
  for (const [, name, count] of text.matchAll(/^parley_ari_request_duration_seconds_count\{operation="([^"]+)"\}\s+(\S+)/gm)) counts.requests[name!] = Number(count);
  for (const [, labels, count] of text.matchAll(/^parley_ari_request_duration_seconds_bucket\{([^}]*)\}\s+(\S+)/gm)) {
    const label = (key: string) => new RegExp(`${key}="([^"]*)"`).exec(labels!)?.[1];
    const operation = label('operation');
    const le = label('le');
    if (operation && le) (counts.buckets[operation] ??= {})[le] = Number(count);
  }
  for (const [, name, count] of text.matchAll(/^parley_ari_events_total\{type="([^"]+)"\}\s+(\S+)/gm)) counts.events[name!] = Number(count);
  return counts;
}

/** API mutes spread over the storm (a few each second, callers in the bridge), RSS every half second. */
async function beside(
  parley: Parley,
  probeFile: string,
  options: ParleyOptions,
  connected: () => Promise<Array<{ id: string }>>,
  mute: (participantId: string) => Promise<{ status: number }>,
  warmedUp: ReadonlySet<string>,
  done: Promise<unknown>,
): Promise<Omit<AppFigures, 'ariRequests' | 'ariEvents' | 'ariLatency'>> {
  const loop = loopDelayReader(parley, probeFile);
  await loop.start();
  const pid = parley.pid();
  const rssBeforeKb = rssKb(pid);
  let rssPeakKb = rssBeforeKb;
  const sampler = setInterval(() => (rssPeakKb = Math.max(rssPeakKb, rssKb(pid))), 500);
  let finished = false;
  void done.finally(() => (finished = true));
  const muteMs: number[] = [];
  const muted = new Set<string>(warmedUp);
  while (!finished) {
    const wanted = options.mutes - muteMs.length;
    for (const participant of wanted > 0 ? (await connected()).filter((p) => !muted.has(p.id)).slice(0, Math.min(5, wanted)) : []) {
      if (finished) break;
      muted.add(participant.id);
      const t0 = performance.now();
      const response = await mute(participant.id);
      if (response.status === 200) muteMs.push(performance.now() - t0);
      await sleep(200);
    }
    await Promise.race([sleep(1000), done]);
  }
  clearInterval(sampler);
  rssPeakKb = Math.max(rssPeakKb, rssKb(pid));
  return { muteMs, rssBeforeKb, rssPeakKb, loopDelay: await loop.stop() };
}

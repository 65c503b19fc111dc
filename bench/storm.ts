// One join storm against one side: N SIPp callers at R calls/s dial the side's access number, key in
// `ID##` half a second after the answer (the conference ID, then # to go on as a guest), optionally
// speak, and stay until every caller has joined. A warm-up caller opens the conference first, so every
// storm caller joins a live bridge on both sides and is measured. CPU is counted from the storm's first
// call until Asterisk has let go of its last one and the side has settled.
import { placeCall, SPEECH_MS } from '../test/support/sipp.js';
import { sleep } from '../test/support/eventually.js';
import { ari, asteriskPid, gatewayChannels, SetupError } from './asterisk.js';
import { watchJoins } from './join-watch.js';
import type { LoopDelay } from './loop-delay.js';
import { databaseCpu } from './pg-cpu.js';
import { cpuSeconds } from './proc.js';
import { spread, type Spread } from './stats.js';

export interface Load {
  readonly callers: number;
  readonly perSecond: number;
  /** 7 s clips of recorded speech each caller streams after its keys (0: no audio at all). */
  readonly speechClips: number;
}

/** What only an application beside Asterisk has: parley's API, memory and event loop. */
export interface AppFigures {
  readonly muteMs: number[];
  readonly rssBeforeKb: number;
  readonly rssPeakKb: number;
  readonly loopDelay: LoopDelay;
  /** ARI requests parley made from the warm-up until it settled, by operation (its GET /metrics); filled in at settle. */
  readonly ariRequests: Record<string, number>;
  /** ARI events parley received over the same span, by type; filled in at settle. */
  readonly ariEvents: Record<string, number>;
  /** ARI request latency by operation over the same span (bucket upper bounds, ms); filled in at settle. */
  readonly ariLatency: Record<string, { p50Ms: number; p99Ms: number }>;
}

export interface Side {
  readonly name: 'native' | 'parley';
  /** What the callers dial. */
  readonly number: string;
  /** What they key in before `##`. */
  readonly conferenceId: string;
  /** The application's process, if there is one besides Asterisk. */
  readonly appPid?: number;
  /** The application's PostgreSQL database: its backends' CPU is counted beside the app's. */
  readonly database?: string;
  /** Once the warm-up caller is in: warms what the storm measures (the first API call of a kind is slow). */
  ready?(): Promise<void>;
  /** Runs beside the storm until `done` settles. */
  beside?(done: Promise<unknown>): Promise<AppFigures>;
  /** After the callers are gone: until the application has finished with them. */
  settle?(): Promise<void>;
  close(): Promise<void>;
}

export interface StormResult {
  readonly side: Side['name'];
  readonly load: Load;
  readonly joined: number;
  /** SIPp's failed calls (no answer, an unexpected message, a timeout); null if it printed none. */
  readonly failed: number | null;
  readonly sippExitCode: number;
  readonly sippErrors: string[];
  readonly peakInBridge: number;
  readonly joinLatency: Spread;
  readonly joinLatenciesMs: number[];
  readonly cpuSeconds: {
    readonly asterisk: number;
    readonly app: number | null;
    /** The app's PostgreSQL backends, and the server's shared processes (WAL writer, checkpointer…) meanwhile. */
    readonly database?: { readonly backends: number; readonly shared: number } | null;
  };
  readonly wallSeconds: number;
  /** The measured span on the monotonic clock in µs, the clock of a `--cpu-prof` profile's timestamps. */
  readonly monotonicUs: { readonly start: number; readonly end: number };
  readonly app: AppFigures | null;
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

const KEYS_AFTER_MS = 500;
/** Callers stay this long after the ramp, so every caller is in the bridge with every other for a while. */
const HOLD_AFTER_RAMP_MS = 5000;

export async function runStorm(side: Side, load: Load): Promise<StormResult> {
  await untilQuiet();
  const watch = await watchJoins();
  const keys = [{ afterMs: KEYS_AFTER_MS, keys: `${side.conferenceId}##` }];
  const warmUp = placeCall({ number: side.number, keys, holdMs: 900_000 }, { count: 1, perSecond: 1, timeoutSeconds: 1200 });
  try {
    await watch.waitForJoins(1, 30_000, `${side.name}: the warm-up caller`).catch((error: Error) => {
      throw new SetupError(
        `${error.message}: ${side.name === 'native' ? `is the native reference (${side.number}) in Asterisk's dialplan, ConfBridge loaded?` : 'did parley answer?'}`,
      );
    });
    await side.ready?.();
    await sleep(1500); // the lone caller's prompt and music start before the storm does
    const asterisk = asteriskPid();
    const before = { asterisk: cpuSeconds(asterisk), app: side.appPid ? cpuSeconds(side.appPid) : 0 };
    const database = side.database ? databaseCpu(side.database) : undefined;
    const started = performance.now();
    const startUs = monotonicUs();
    watch.startStorm();
    const rampMs = Math.round((load.callers / load.perSecond) * 1000); // SIPp takes whole milliseconds
    const lifeMs = rampMs + load.speechClips * SPEECH_MS + HOLD_AFTER_RAMP_MS;
    const storm = placeCall(
      // Each caller its own number, as in life: one shared number is one caller to parley's keypad guard,
      // which refuses it after a few wrong IDs (a key Asterisk doubles under load makes one).
      { number: side.number, keys, speech: load.speechClips, holdMs: rampMs + HOLD_AFTER_RAMP_MS, callerId: '+1425556[call_number]' },
      { count: load.callers, perSecond: load.perSecond, stats: true, timeoutSeconds: Math.ceil(lifeMs / 1000) + 120 },
    );
    const beside = side.beside?.(storm.done);
    const sipp = await storm.done;
    const app = (await beside) ?? null;
    await until(() => watch.stormChannelsUp() === 0, 30_000);
    await side.settle?.();
    const after = { asterisk: cpuSeconds(asterisk), app: side.appPid ? cpuSeconds(side.appPid) : 0 };
    const endUs = monotonicUs();
    const databaseSeconds = database?.stop() ?? null;
    const { joined, latenciesMs, peakInBridge } = watch.summary();
    return {
      side: side.name,
      load,
      joined,
      failed: sipp.calls?.failed ?? null,
      sippExitCode: sipp.exitCode,
      sippErrors: sipp.exitCode === 0 ? [] : sipp.log.split('\n').filter((line) => line.trim()).slice(-10),
      peakInBridge,
      joinLatency: spread(latenciesMs),
      joinLatenciesMs: latenciesMs,
      cpuSeconds: { asterisk: after.asterisk - before.asterisk, app: side.appPid ? after.app - before.app : null, database: databaseSeconds },
      wallSeconds: (performance.now() - started) / 1000,
      monotonicUs: { start: startUs, end: endUs },
      app,
    };
  } finally {
    for (const channel of watch.channelsUp()) await ari('DELETE', `/channels/${channel}`).catch(() => undefined);
    warmUp.kill();
    await watch.close();
  }
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  for (const deadline = Date.now() + ms; !condition() && Date.now() < deadline; ) await sleep(100);
}

/** A storm starts on an Asterisk with no gateway calls up (what an earlier run left is given a minute to end). */
async function untilQuiet(): Promise<void> {
  for (let waited = 0; ; waited += 500) {
    const up = await gatewayChannels();
    if (up === 0) return;
    if (waited >= 60_000) throw new SetupError(`${up} calls are still up on the SIP gateway: is a test or another bench running? (run benches under the lock)`);
    await sleep(500);
  }
}

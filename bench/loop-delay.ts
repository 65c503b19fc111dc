// parley's event-loop delay during a storm. Read from GET /metrics when parley serves it (prom-client's
// nodejs_eventloop_lag_p99_seconds, reset at each scrape), otherwise from bench/loop-probe.mjs, which the
// bench preloads into parley for that purpose. Only `fromMetrics` needs to change if the metric is renamed.
import { existsSync, readFileSync } from 'node:fs';
import { sleep } from '../test/support/eventually.js';

export interface LoopDelay {
  readonly p99Ms: number | null;
  readonly source: 'metrics' | 'probe' | 'none';
}

export interface LoopDelayReader {
  /** Starts a fresh window (a scrape, or a signal to the probe). */
  start(): Promise<void>;
  /** The window's p99 since start(). */
  stop(): Promise<LoopDelay>;
}

async function fromMetrics(url: string, token: string): Promise<number | undefined> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
  if (!response?.ok) return undefined;
  const line = /^(?:\w+_)?nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})?\s+(\S+)/m.exec(await response.text());
  return line ? Number(line[1]) * 1000 : undefined;
}

export function loopDelayReader(parley: { url: string; token: string; pid(): number }, probeFile: string): LoopDelayReader {
  let source: LoopDelay['source'] = 'none';
  const signalProbe = async (): Promise<number | undefined> => {
    const before = existsSync(probeFile) ? readFileSync(probeFile, 'utf8') : '';
    process.kill(parley.pid(), 'SIGUSR2');
    for (let waited = 0; waited < 3000; waited += 50) {
      await sleep(50);
      const now = existsSync(probeFile) ? readFileSync(probeFile, 'utf8') : '';
      if (now && now !== before) return (JSON.parse(now) as { p99Ms: number }).p99Ms;
    }
    return undefined;
  };
  return {
    async start() {
      if ((await fromMetrics(parley.url, parley.token)) !== undefined) source = 'metrics';
      else source = (await signalProbe()) !== undefined ? 'probe' : 'none';
    },
    async stop() {
      const p99Ms = source === 'metrics' ? await fromMetrics(parley.url, parley.token) : source === 'probe' ? await signalProbe() : undefined;
      return { p99Ms: p99Ms ?? null, source: p99Ms === undefined ? 'none' : source };
    },
  };
}

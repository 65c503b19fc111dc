// Preloaded into the parley the bench starts (node --import), for as long as parley has no GET /metrics:
// the event loop's delay as Node measures it (monitorEventLoopDelay, what prom-client reports too).
// Each SIGUSR2 writes the p99 and max since the previous one to PARLEY_BENCH_LOOP_FILE and starts over.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import process from 'node:process';

const file = process.env.PARLEY_BENCH_LOOP_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  process.on('SIGUSR2', () => {
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    writeFileSync(file, JSON.stringify({ p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max), samples: histogram.count, at: Date.now() }));
    histogram.reset();
  });
}

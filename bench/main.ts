// `npm run bench`: the same SIPp join storm against the same Asterisk, first the native reference
// (dialplan + ConfBridge), then parley's full attendant, without audio and with speech from every caller;
// optionally the speech capacity of each. Prints one side-by-side table and the targets, and writes the
// JSON and the chart into bench/results/. Needs Asterisk up (this checkout's asterisk-config/) and
// PostgreSQL; run it under the Asterisk lock: flock -o /tmp/parley-asterisk.lock npm run bench -- ...
import { parseArgs } from 'node:util';
import { capacity, type CapacityOptions } from './capacity.js';
import { chartSvg } from './chart.js';
import { preflight, SetupError } from './asterisk.js';
import { nativeSide } from './native.js';
import { parleySide } from './parley-side.js';
import { sideBySide, targets, targetsTable, type Capacity, type ShapeName, type ShapePair } from './report.js';
import { runInfo, updateReadme, writeResult } from './results.js';
import { runStorm, type Load, type Side } from './storm.js';

const USAGE = `npm run bench -- [options]
  --callers N          callers per storm (300)
  --rate R             calls per second (30)
  --speech-clips K     7 s speech clips each caller streams in the speech shape (3)
  --shapes LIST        no-audio,speech (both); none: only the capacity search
  --mutes N            parley callers muted through the API during each storm (50)
  --capacity           also search each side's speech capacity (a few minutes)
  --capacity-callers N callers per capacity step (60)
  --capacity-clips K   speech clips per caller in a capacity step (1)
  --capacity-from R    first rate tried (30)   --capacity-step S (10)   --capacity-max R (150)
  --readme             put the chart and tables into README.md's Benchmarks section`;

const { values } = parseArgs({
  options: {
    callers: { type: 'string', default: '300' },
    rate: { type: 'string', default: '30' },
    'speech-clips': { type: 'string', default: '3' },
    shapes: { type: 'string', default: 'no-audio,speech' },
    mutes: { type: 'string', default: '50' },
    capacity: { type: 'boolean', default: false },
    'capacity-callers': { type: 'string', default: '60' },
    'capacity-clips': { type: 'string', default: '1' },
    'capacity-from': { type: 'string', default: '30' },
    'capacity-step': { type: 'string', default: '10' },
    'capacity-max': { type: 'string', default: '150' },
    readme: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const positive = (name: string, value: string, zero = false): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (zero ? 0 : 1)) throw new SetupError(`--${name} must be a whole number${zero ? '' : ' above 0'}, got '${value}'\n${USAGE}`);
  return n;
};

async function main(): Promise<void> {
  const load: Load = { callers: positive('callers', values.callers), perSecond: positive('rate', values.rate), speechClips: positive('speech-clips', values['speech-clips']) };
  const shapes = values.shapes === 'none' ? [] : (values.shapes.split(',').map((s) => s.trim()) as ShapeName[]);
  if (shapes.some((s) => s !== 'no-audio' && s !== 'speech')) throw new SetupError(`--shapes takes no-audio and/or speech, or none\n${USAGE}`);
  const mutes = positive('mutes', values.mutes, true);
  const search: CapacityOptions = {
    callers: positive('capacity-callers', values['capacity-callers']),
    speechClips: positive('capacity-clips', values['capacity-clips']),
    from: positive('capacity-from', values['capacity-from']),
    step: positive('capacity-step', values['capacity-step']),
    max: positive('capacity-max', values['capacity-max']),
  };
  const { asteriskVersion } = await preflight();
  const info = runInfo();
  console.log(`${load.callers} callers at ${load.perSecond}/s, ID## ${0.5} s after the answer; Asterisk ${asteriskVersion}; ${info.machine.cpuModel} × ${info.machine.cores}`);

  const pairs: ShapePair[] = [];
  for (const shape of shapes) {
    const shapeLoad = { ...load, speechClips: shape === 'speech' ? load.speechClips : 0 };
    const native = await measure(nativeSide(), shapeLoad);
    const parley = await measure(await parleySide({ mutes }), shapeLoad);
    pairs.push({ shape, native, parley });
  }
  let found: Capacity | null = null;
  if (values.capacity) {
    console.log(`speech capacity: ${search.callers} callers from ${search.from}/s in steps of ${search.step}`);
    found = { callers: search.callers, speechClips: search.speechClips, native: await withSide(nativeSide(), (s) => capacity(s, search, console.log)), parley: await withSide(await parleySide({ mutes: 0 }), (s) => capacity(s, search, console.log)) };
  }

  const table = sideBySide(pairs, found);
  const goals = targets(load, pairs, found);
  const scale = load.callers === 300 && load.perSecond === 30 ? '' : ` The targets are set for 300 callers at 30/s; this run had ${load.callers} at ${load.perSecond}/s.`;
  const summary = `${info.date.slice(0, 10)}, ${info.commit.slice(0, 7)}${info.dirty ? ' (uncommitted changes)' : ''}, ${info.machine.cpuModel} × ${info.machine.cores}: ${load.callers} callers at ${load.perSecond}/s, speech ${load.speechClips} × 7 s clips each.${scale}\n\n${table}\n\n${targetsTable(goals)}`;
  console.log(`\n${summary}\n`);
  const svg = chartSvg(pairs, `${load.callers} callers at ${load.perSecond}/s, native ConfBridge beside parley (${info.date.slice(0, 10)}, ${info.commit.slice(0, 7)})`);
  const json = writeResult('bench', info, { asterisk: asteriskVersion, load, mutes, shapes: pairs, capacity: found, targets: goals }, svg);
  console.log(`written: ${json} and its .svg`);
  if (values.readme) updateReadme(json, summary);
}

async function withSide<T>(side: Side, run: (side: Side) => Promise<T>): Promise<T> {
  try {
    return await run(side);
  } finally {
    await side.close();
  }
}

async function measure(side: Side, load: Load) {
  return withSide(side, async (s) => {
    process.stdout.write(`${s.name}, ${load.speechClips > 0 ? `speech (${load.speechClips} clips)` : 'no audio'}: `);
    const result = await runStorm(s, load);
    console.log(`${result.joined} of ${load.callers} joined, ${result.failed ?? '?'} failed, ${result.wallSeconds.toFixed(0)} s`);
    for (const [what, counts] of [['requests', result.app?.ariRequests], ['events', result.app?.ariEvents]] as const) {
      const sorted = Object.entries(counts ?? {}).sort((a, b) => b[1] - a[1]);
      if (sorted.length === 0 || result.joined === 0) continue;
      const total = sorted.reduce((sum, [, n]) => sum + n, 0);
      console.log(`  ARI ${what} per joined caller: ${(total / result.joined).toFixed(1)} (${sorted.map(([name, n]) => `${name} ${(n / result.joined).toFixed(2)}`).join(', ')})`);
    }
    const latency = Object.entries(result.app?.ariLatency ?? {}).sort((a, b) => b[1].p99Ms - a[1].p99Ms);
    if (latency.length > 0) {
      const ms = (value: number) => (Number.isFinite(value) ? `${value}` : '>10000');
      console.log(`  ARI request p50/p99 ms (bucket bounds): ${latency.map(([name, l]) => `${name} ${ms(l.p50Ms)}/${ms(l.p99Ms)}`).join(', ')}`);
    }
    if (result.sippErrors.length > 0) console.log(`  SIPp exit ${result.sippExitCode}:\n  ${result.sippErrors.join('\n  ')}`);
    return result;
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof SetupError ? `bench setup error: ${error.message}` : error);
    process.exit(error instanceof SetupError ? 2 : 1);
  },
);

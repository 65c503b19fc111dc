// The side-by-side table and the targets, from the storms' raw results.
import { percentile, round } from './stats.js';
import type { Load, StormResult } from './storm.js';

export type ShapeName = 'no-audio' | 'speech';
export const SHAPE_TITLES: Record<ShapeName, string> = { 'no-audio': 'no audio', speech: 'speech' };

export interface ShapePair {
  readonly shape: ShapeName;
  readonly native: StormResult;
  readonly parley: StormResult;
}

export interface CapacityStep {
  readonly perSecond: number;
  readonly joined: number;
  readonly failed: number | null;
  readonly ok: boolean;
}

export interface Capacity {
  readonly callers: number;
  readonly speechClips: number;
  /** Highest rate (calls/s) tried at which every caller joined with no SIP failure; null: not even the first. */
  readonly native: { readonly perSecond: number | null; readonly steps: CapacityStep[] };
  readonly parley: { readonly perSecond: number | null; readonly steps: CapacityStep[] };
}

type CapacitySide = Capacity['native'];
/** Every rate tried passed: the capacity is at least the last one (raise --capacity-max to find it). */
const atCeiling = (side: CapacitySide): boolean => side.steps.length > 0 && side.steps.at(-1)!.ok;
const capacityCell = (side: CapacitySide): string =>
  side.perSecond === null ? `< ${side.steps[0]?.perSecond ?? '?'}/s` : `${atCeiling(side) ? '≥ ' : ''}${side.perSecond}/s`;
const bothAtCeiling = (capacity: Capacity): boolean => atCeiling(capacity.native) && atCeiling(capacity.parley);
/**
 * parley's capacity over native's, when the search decided it (not when both passed every rate tried).
 * parley failing the first rate tried puts its capacity below that rate: the ratio is below that
 * rate's over native's, which decides the target only when that bound is already under 95 %.
 */
function capacityRatio(capacity: Capacity): number | null {
  if (bothAtCeiling(capacity)) return null;
  const { parley, native } = capacity;
  const first = parley.steps[0]?.perSecond;
  if (parley.perSecond === null && native.perSecond !== null && first !== undefined) {
    const bound = first / native.perSecond;
    return bound < 0.95 ? bound : null;
  }
  return ratio(parley.perSecond, native.perSecond);
}

/** The figures of one column, derived the same way for both sides. */
export interface Column {
  readonly joined: number;
  readonly failed: number | null;
  readonly asteriskCpuS: number;
  readonly appCpuS: number | null;
  /** PostgreSQL: the app's backends, and the server's shared processes meanwhile. */
  readonly databaseCpuS: number | null;
  readonly databaseSharedCpuS: number | null;
  readonly cpuPerJoinedMs: number | null;
  readonly appShareOfAsterisk: number | null;
  readonly joinP50Ms: number | null;
  readonly joinP99Ms: number | null;
  readonly joinMaxMs: number | null;
  readonly muteP50Ms: number | null;
  readonly muteP99Ms: number | null;
  readonly rssPerCallerKb: number | null;
  readonly loopDelayP99Ms: number | null;
  readonly loopDelaySource: string | null;
}

export function column(result: StormResult): Column {
  const app = result.app;
  const total = result.cpuSeconds.asterisk + (result.cpuSeconds.app ?? 0);
  return {
    joined: result.joined,
    failed: result.failed,
    asteriskCpuS: round(result.cpuSeconds.asterisk, 2),
    appCpuS: result.cpuSeconds.app === null ? null : round(result.cpuSeconds.app, 2),
    databaseCpuS: result.cpuSeconds.database ? round(result.cpuSeconds.database.backends, 2) : null,
    databaseSharedCpuS: result.cpuSeconds.database ? round(result.cpuSeconds.database.shared, 2) : null,
    cpuPerJoinedMs: result.joined > 0 ? round((1000 * total) / result.joined, 2) : null,
    appShareOfAsterisk: result.cpuSeconds.app === null ? null : round(result.cpuSeconds.app / result.cpuSeconds.asterisk, 4),
    joinP50Ms: result.joinLatency.p50,
    joinP99Ms: result.joinLatency.p99,
    joinMaxMs: result.joinLatency.max,
    muteP50Ms: app && app.muteMs.length > 0 ? round(percentile(app.muteMs, 50)!) : null,
    muteP99Ms: app && app.muteMs.length > 0 ? round(percentile(app.muteMs, 99)!) : null,
    rssPerCallerKb: app && result.peakInBridge > 0 ? round((app.rssPeakKb - app.rssBeforeKb) / result.peakInBridge) : null,
    loopDelayP99Ms: app?.loopDelay.p99Ms ?? null,
    loopDelaySource: app ? app.loopDelay.source : null,
  };
}

const num = (value: number | null, digits = 1, unit = ''): string => (value === null ? '—' : `${value.toFixed(digits)}${unit}`);
const ratio = (parley: number | null, native: number | null): number | null =>
  parley === null || native === null || native === 0 ? null : round(parley / native, 2);
const times = (value: number | null): string => (value === null ? '' : `**${value.toFixed(2)}×**`);

/** One markdown table: per load shape, native, parley, and parley ÷ native where both have the figure. */
export function sideBySide(pairs: readonly ShapePair[], capacity: Capacity | null): string {
  const cols = pairs.map((pair) => ({ shape: pair.shape, native: column(pair.native), parley: column(pair.parley) }));
  const header = ['', ...cols.flatMap((c) => [`native, ${SHAPE_TITLES[c.shape]}`, `parley, ${SHAPE_TITLES[c.shape]}`, 'parley ÷ native'])];
  const row = (label: string, cell: (c: Column) => string, ratioOf?: (c: Column) => number | null) =>
    [label, ...cols.flatMap((c) => [cell(c.native), cell(c.parley), ratioOf ? times(ratio(ratioOf(c.parley), ratioOf(c.native))) : ''])];
  const rows = [
    row('callers joined / failed (SIPp)', (c) => `${c.joined} / ${c.failed ?? '?'}`),
    row('CPU-s Asterisk + app', (c) => `${num(c.asteriskCpuS, 2)} + ${num(c.appCpuS, 2)}`),
    row('total CPU per joined caller', (c) => num(c.cpuPerJoinedMs, 1, ' ms'), (c) => c.cpuPerJoinedMs),
    row('app CPU, share of Asterisk’s', (c) => (c.appShareOfAsterisk === null ? '—' : `${(100 * c.appShareOfAsterisk).toFixed(1)} %`)),
    row('PostgreSQL CPU-s: app’s backends (+ shared)', (c) => (c.databaseCpuS === null ? '—' : `${num(c.databaseCpuS, 2)} (+ ${num(c.databaseSharedCpuS, 2)})`)),
    row(
      'last key → in bridge p50 / p99 / max',
      (c) => (c.joinP50Ms === null ? '—' : `${c.joinP50Ms} / ${c.joinP99Ms} / ${c.joinMaxMs} ms`),
      (c) => c.joinP99Ms,
    ),
    row('API mute → applied p50 / p99', (c) => (c.muteP50Ms === null ? '—' : `${c.muteP50Ms} / ${c.muteP99Ms} ms`)),
    row('app RSS per connected caller', (c) => num(c.rssPerCallerKb, 0, ' KB')),
    row('event-loop delay p99', (c) => (c.loopDelayP99Ms === null ? '—' : `${c.loopDelayP99Ms.toFixed(1)} ms (${c.loopDelaySource})`)),
  ];
  if (capacity) {
    const cells = [capacityCell(capacity.native), capacityCell(capacity.parley), times(capacityRatio(capacity))];
    const label = `speech capacity (${capacity.callers} callers, calls/s)`;
    if (cols.length === 0) return markdown([['', 'native', 'parley', 'parley ÷ native'], [label, ...cells]]);
    // Under the speech columns, or the first ones when there was no speech storm.
    const at = Math.max(0, cols.findIndex((c) => c.shape === 'speech'));
    rows.push([label, ...cols.flatMap((_c, i) => (i === at ? cells : ['', '', '']))]);
  }
  return markdown([header, ...rows]);
}

export interface Target {
  readonly target: string;
  readonly value: string;
  /** null: not measured in this run, or not decided by it (the value says which). */
  readonly met: boolean | null;
}

export function targets(load: Load, pairs: readonly ShapePair[], capacity: Capacity | null): Target[] {
  const list: Target[] = [];
  const pair = (shape: ShapeName) => pairs.find((p) => p.shape === shape);
  for (const { shape, native, parley } of pairs) {
    const n = column(native);
    const p = column(parley);
    const cpu = ratio(p.cpuPerJoinedMs, n.cpuPerJoinedMs);
    list.push({ target: `total CPU per joined caller ≤ 1.10× native (${SHAPE_TITLES[shape]})`, value: cpu === null ? '—' : `${cpu.toFixed(2)}×`, met: cpu === null ? null : cpu <= 1.1 });
    const share = p.appShareOfAsterisk;
    list.push({ target: `parley CPU ≤ 5 % of Asterisk’s (${SHAPE_TITLES[shape]})`, value: share === null ? '—' : `${(100 * share).toFixed(1)} %`, met: share === null ? null : share <= 0.05 });
  }
  const quiet = pair('no-audio');
  const q = quiet ? column(quiet.parley) : undefined;
  const qn = quiet ? column(quiet.native) : undefined;
  list.push({
    target: 'last key → in bridge p99 ≤ 150 ms (no audio)',
    value: q?.joinP99Ms == null ? '—' : `${q.joinP99Ms} ms (native ${qn?.joinP99Ms ?? '—'} ms)`,
    met: q?.joinP99Ms == null ? null : q.joinP99Ms <= 150,
  });
  list.push({ target: 'API mute p99 ≤ 20 ms (no audio)', value: q?.muteP99Ms == null ? '—' : `${q.muteP99Ms} ms`, met: q?.muteP99Ms == null ? null : q.muteP99Ms <= 20 });
  list.push({
    target: '0 failed calls, every caller joined (no audio)',
    value: quiet ? `${quiet.parley.joined} of ${load.callers} joined, ${quiet.parley.failed ?? '?'} failed` : '—',
    met: quiet ? quiet.parley.failed === 0 && quiet.parley.joined === load.callers : null,
  });
  const found = capacity ? capacityRatio(capacity) : null;
  const undecided = !capacity || found !== null ? '' : bothAtCeiling(capacity) ? ' (both passed every rate tried: raise --capacity-max)' : ' (not decided: lower --capacity-from)';
  list.push({
    target: 'speech capacity ≥ 95 % of native',
    value: capacity ? `${capacityCell(capacity.parley)} vs ${capacityCell(capacity.native)}${undecided}` : 'not measured (--capacity)',
    met: found === null ? null : found >= 0.95,
  });
  const rss = pairs.map((p) => column(p.parley).rssPerCallerKb).filter((v): v is number => v !== null);
  list.push({ target: 'app RSS ≤ 200 KB per connected caller', value: rss.length ? `${Math.max(...rss)} KB` : '—', met: rss.length ? Math.max(...rss) <= 200 : null });
  return list;
}

export function targetsTable(list: readonly Target[]): string {
  return markdown([['target', 'measured', 'met'], ...list.map((t) => [t.target, t.value, t.met === null ? '—' : t.met ? 'met' : '**not met**'])]);
}

function markdown(rows: readonly (readonly string[])[]): string {
  const [head, ...body] = rows;
  return [`| ${head!.join(' | ')} |`, `|${head!.map(() => ' --- ').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

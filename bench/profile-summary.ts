// Summarises a V8 CPU profile (`node --cpu-prof`, e.g. parley under the bench with
// PARLEY_NODE_FLAGS="--cpu-prof --cpu-prof-dir=DIR"): where the main thread's time went, by function
// and by package, optionally only within a bench storm's window.
//
//   npx tsx bench/profile-summary.ts FILE.cpuprofile [--bench RESULT.json [--shape no-audio]] [--top 30]
//
// With --bench, only the samples taken during that run's parley storm count (its `monotonicUs`, the
// clock of the profile's timestamps). "self" is time in the function itself; "attributed" charges
// Node's own internals (streams, http parser, timers, promises' microtask glue) to the nearest caller
// that belongs to a package or to parley, so "ws" includes the socket reads it caused.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    bench: { type: 'string' },
    shape: { type: 'string', default: 'no-audio' },
    top: { type: 'string', default: '30' },
    /** Also print the call chains (callee first) that led to functions whose name matches. */
    'callers-of': { type: 'string' },
    depth: { type: 'string', default: '8' },
  },
});
if (positionals.length !== 1) {
  console.error('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--bench RESULT.json [--shape no-audio]] [--top 30]');
  process.exit(2);
}

/** The package a script belongs to: the last node_modules folder in its path, parley's own folder, or Node. */
function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? url);
  }
  const own = /\/(?:dist|src)\/(.+?)(?:\.[jt]s)?$/.exec(url);
  if (own) return `parley:${own[1]}`;
  return url.replace(/^file:\/\//, '');
}

/** Packages that are not the application's choice: their time is charged to whoever called them. */
const isAmbient = (pkg: string) => pkg === 'node' || pkg === '(native)';

/** Parley's own code grouped by layer (parley:adapters/ari, parley:services, parley:main, …). */
function layer(pkg: string): string {
  if (!pkg.startsWith('parley:')) return pkg;
  const parts = pkg.slice('parley:'.length).split('/');
  if (parts.length === 1) return pkg;
  return `parley:${parts[0] === 'adapters' ? `adapters/${parts[1]}` : parts[0]}`;
}

function window(): { start: number; end: number } | undefined {
  if (!values.bench) return undefined;
  const result = JSON.parse(readFileSync(values.bench, 'utf8')) as {
    shapes: Array<{ shape: string; parley: { monotonicUs?: { start: number; end: number } } }>;
  };
  const found = result.shapes.find((s) => s.shape === values.shape)?.parley.monotonicUs;
  if (!found) throw new Error(`${values.bench} has no parley storm window for shape ${values.shape}`);
  return found;
}

function summarise(profile: Profile, span: { start: number; end: number } | undefined, top: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const pkgOf = (id: number) => {
    const frame = byId.get(id)!.callFrame;
    return packageOf(frame.url, frame.functionName);
  };
  const attributedCache = new Map<number, string>();
  const attributed = (id: number): string => {
    const cached = attributedCache.get(id);
    if (cached) return cached;
    let at: number | undefined = id;
    let pkg = pkgOf(id);
    while (at !== undefined && isAmbient(pkgOf(at))) at = parent.get(at);
    if (at !== undefined) pkg = pkgOf(at);
    attributedCache.set(id, layer(pkg));
    return layer(pkg);
  };

  const selfUs = new Map<number, number>();
  let time = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one (the last: until the profile ends).
    const next = i + 1 < profile.samples.length ? time + (profile.timeDeltas[i + 1] ?? 0) : profile.endTime;
    const from = Math.max(time, span?.start ?? -Infinity);
    const to = Math.min(next, span?.end ?? Infinity);
    if (to <= from) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (to - from));
    total += to - from;
  }

  const idle = [...selfUs].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((sum, [, us]) => sum + us, 0);
  const busy = total - idle;
  const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const wall = span ? (span.end - span.start) / 1e6 : (profile.endTime - profile.startTime) / 1e6;
  console.log(`window ${wall.toFixed(1)} s${span ? ' (the bench storm)' : ' (whole profile)'}; main thread busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s`);

  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  const selfByPkg = new Map<string, number>();
  const attributedByPkg = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    add(selfByPkg, layer(pkgOf(id)), us);
    add(attributedByPkg, attributed(id), us);
    const where = frame.url ? `${frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/(dist|src)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    add(byFunction, `${frame.functionName || '(anonymous)'} ${where}`, us);
  }

  const table = (title: string, map: Map<string, number>, rows: number) => {
    console.log(`\n${title}`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${ms(us)} ms ${pct(us)}  ${key}`);
  };
  table('by package, self time (ms, share of busy time)', selfByPkg, 40);
  table('by package, Node internals charged to their caller', attributedByPkg, 40);
  table(`top ${top} functions by self time`, byFunction, top);

  if (values['callers-of']) {
    const match = new RegExp(values['callers-of']);
    const chains = new Map<string, number>();
    for (const [id, us] of selfUs) {
      if (!match.test(byId.get(id)!.callFrame.functionName)) continue;
      const names: string[] = [];
      for (let at: number | undefined = id; at !== undefined && names.length < Number(values.depth); at = parent.get(at)) {
        const frame = byId.get(at)!.callFrame;
        names.push(`${frame.functionName || '(anonymous)'}[${layer(pkgOf(at))}]`);
      }
      add(chains, names.join(' < '), us);
    }
    table(`call chains into /${values['callers-of']}/ (callee first)`, chains, top);
  }
}

const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile;
summarise(profile, window(), Number(values.top));

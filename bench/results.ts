// Where a run's figures go: bench/results/<kind>-<date>-<commit>.json (and the chart beside it), and,
// when asked, the README's Benchmarks section between its bench:latest markers.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, type Machine } from './proc.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const RESULTS_DIR = join(root, 'bench', 'results');

export interface RunInfo {
  readonly commit: string;
  /** Uncommitted changes in the checkout when the run began. */
  readonly dirty: boolean;
  readonly date: string;
  readonly machine: Machine;
  readonly node: string;
}

export function runInfo(): RunInfo {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  return {
    commit: git('rev-parse', 'HEAD'),
    dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    date: new Date().toISOString(),
    machine: machine(),
    node: process.version,
  };
}

/** Writes `<kind>-<date>-<commit>.json` (and `.svg` when given); returns the JSON's path. */
export function writeResult(kind: string, info: RunInfo, data: object, svg?: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stem = `${kind}-${info.date.slice(0, 19).replace(/:/g, '')}-${info.commit.slice(0, 7)}`;
  const json = join(RESULTS_DIR, `${stem}.json`);
  writeFileSync(json, `${JSON.stringify({ ...info, ...data }, null, 2)}\n`);
  if (svg) writeFileSync(join(RESULTS_DIR, `${stem}.svg`), svg);
  return json;
}

const START = '<!-- bench:latest -->';
const END = '<!-- /bench:latest -->';

/** Puts the chart and the tables of this run into the README, replacing the previous run's. */
export function updateReadme(jsonPath: string, summary: string): void {
  const readme = join(root, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} section to update`);
  const svg = relative(root, jsonPath).replace(/\.json$/, '.svg');
  const block = `${START}\n![native ConfBridge beside parley: join latency and CPU per caller](${svg})\n\n${summary}\n${END}`;
  writeFileSync(readme, text.slice(0, from) + block + text.slice(to + END.length));
}

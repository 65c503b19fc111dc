// Children of a test run die with it. Every process a test starts (parley, SIPp, Chromium) is spawned
// through setpriv --pdeathsig KILL, so the kernel kills it when the test worker that started it dies
// (Ctrl-C, a CI time-out, a crash). Each also carries PARLEY_TEST_RUN=<the runner's pid>: a process that
// still escaped (SIPp daemons, Chromium helpers) is swept away when the next run starts (global-setup.ts).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const RUN_MARKER = 'PARLEY_TEST_RUN';

export function spawnTied(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const env = { ...(options.env ?? process.env), [RUN_MARKER]: process.env[RUN_MARKER] ?? String(process.ppid) };
  return spawn('setpriv', ['--pdeathsig', 'KILL', '--', command, ...args], { ...options, env });
}

/** Kills what earlier runs left behind: marked processes whose runner is gone. Returns their pids. */
export function sweepLeftovers(): number[] {
  const killed: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let runner: number;
    try {
      const marker = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').find((v) => v.startsWith(`${RUN_MARKER}=`));
      if (!marker) continue;
      runner = Number(marker.slice(RUN_MARKER.length + 1));
    } catch {
      continue; // gone, or not ours to read
    }
    if (runner && alive(runner)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // already gone
    }
  }
  return killed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

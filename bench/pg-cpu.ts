// PostgreSQL's CPU is parley's cost too: the server backends serving parley's database (their
// /proc/<pid>/cmdline reads "postgres: <cluster>: <user> <database> <address> <state>"), sampled
// often enough that a backend the pool closes during the storm still counts (a forked backend starts
// at zero), and the server's shared processes (WAL writer, checkpointer, background writer,
// autovacuum), which work for every database on the server and are reported apart.
import { readdirSync, readFileSync } from 'node:fs';
import { cpuSeconds } from './proc.js';

const SAMPLE_MS = 250;
const SHARED = /^postgres: .*(walwriter|checkpointer|background writer|autovacuum|wal writer)/;

export interface DatabaseCpu {
  /** CPU seconds of the database's backends and of the server's shared processes since `start`. */
  stop(): { readonly backends: number; readonly shared: number };
}

function cmdline(pid: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return undefined;
  }
}

/** Samples until stopped; `database` is the name in the backends' titles. */
export function databaseCpu(database: string): DatabaseCpu {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  const kind = new Map<string, 'backend' | 'shared' | 'other'>();
  const mine = (title: string) => title.startsWith('postgres: ') && title.split(' ').includes(database);
  const sample = (initial: boolean) => {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let which = kind.get(pid);
      if (!which) {
        const title = cmdline(pid);
        if (!title) continue;
        which = mine(title) ? 'backend' : SHARED.test(title) ? 'shared' : 'other';
        kind.set(pid, which);
      }
      if (which === 'other') continue;
      let cpu: number;
      try {
        cpu = cpuSeconds(Number(pid));
      } catch {
        continue; // gone between the listing and the read
      }
      if (!first.has(pid)) first.set(pid, initial ? cpu : 0);
      last.set(pid, cpu);
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      sample(false);
      const total = { backends: 0, shared: 0 };
      for (const [pid, cpu] of last) total[kind.get(pid) === 'backend' ? 'backends' : 'shared'] += cpu - (first.get(pid) ?? 0);
      total.backends = Math.round(total.backends * 100) / 100;
      total.shared = Math.round(total.shared * 100) / 100;
      return total;
    },
  };
}

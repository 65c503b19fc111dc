// What the bench reads about a process from /proc: CPU time, resident memory, open descriptors.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime + stime
}

/** Resident set size in KB (VmRSS). */
export function rssKb(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!line) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(line[1]);
}

/** Open file descriptors (sockets, files, pipes, timers): the process's handles. */
export function openDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly loadAverage: readonly number[];
}

export function machine(): Machine {
  const list = cpus();
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  return { cpuModel: list[0]?.model.trim() ?? 'unknown', cores: list.length, loadAverage: load };
}

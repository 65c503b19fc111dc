import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/asterisk.sh', import.meta.url));
const root = process.env.PARLEY_ASTERISK_ROOT ?? '/var/cache/parley/asterisk-root';
const asterisk = (command: string) => execFileSync('bash', [script, command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const asteriskPid = () => Number(readFileSync(join(root, 'run/asterisk/asterisk.pid'), 'utf8').trim());
const openFiles = (pid: number) =>
  readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      return '';
    }
  });

it('starts Asterisk holding none of the caller’s open files (a lock held by the caller is released with it)', () => {
  const lock = `/tmp/parley-asterisk-fd-test-${process.pid}.lock`;
  asterisk('down');
  // The caller holds a lock on fd 9 while it starts Asterisk, as a test run under flock (without -o) does.
  execFileSync('bash', ['-c', `exec 9>>${lock}; flock 9; bash ${script} up`], { stdio: 'ignore' });
  expect(openFiles(asteriskPid())).not.toContain(lock);
  // Nobody holds the lock any more.
  execFileSync('flock', ['-n', lock, 'true']);
}, 60_000);

it('leaves a running Asterisk running when `up` runs again, and restarts it only when told to', () => {
  asterisk('up');
  const before = asteriskPid();
  const output = execFileSync('bash', ['-c', `bash ${script} up 2>&1`], { encoding: 'utf8' });
  expect(asteriskPid()).toBe(before);
  expect(output).toContain('already running');
  asterisk('restart');
  expect(asteriskPid()).not.toBe(before);
}, 60_000);

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

it('applies changed configuration to a running Asterisk in place: new ARI credentials answer, same process', async () => {
  asterisk('up');
  const before = asteriskPid();
  const ping = (password: string) =>
    fetch(`${process.env.ARI_URL ?? 'http://127.0.0.1:8088'}/ari/asterisk/ping`, {
      headers: { authorization: `Basic ${Buffer.from(`${process.env.ARI_USERNAME}:${password}`).toString('base64')}` },
    }).then((r) => r.status);
  try {
    const output = execFileSync('bash', ['-c', `bash ${script} up 2>&1`], { encoding: 'utf8', env: { ...process.env, ARI_PASSWORD: 'changed-for-a-test' } });
    expect(output).toContain('reloading the changed configuration in place: ari.conf');
    expect(await ping('changed-for-a-test')).toBe(200);
    expect(asteriskPid()).toBe(before);
  } finally {
    asterisk('up');
  }
  expect(await ping(process.env.ARI_PASSWORD ?? '')).toBe(200);
  expect(asteriskPid()).toBe(before);
}, 60_000);

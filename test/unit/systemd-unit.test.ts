import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const unit = fileURLToPath(new URL('../../deploy/parley.service', import.meta.url));
const settings = () =>
  Object.fromEntries(
    readFileSync(unit, 'utf8')
      .split('\n')
      .filter((line) => /^\w+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

describe('deploy/parley.service', () => {
  it('runs the README’s run command, restarts parley after a crash, and leaves Asterisk (and its calls) running', () => {
    expect(settings()).toMatchObject({ ExecStart: expect.stringContaining('scripts/start.sh'), Restart: 'always', KillMode: 'process' });
  });

  it.runIf(spawnSync('systemd-analyze', ['--version']).status === 0)('is a unit systemd accepts', () => {
    const verify = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    expect(verify.stderr.split('\n').filter((line) => line.includes('parley.service'))).toEqual([]);
    expect(verify.status).toBe(0);
  });
});

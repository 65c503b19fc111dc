import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';

const ADMIN = 'cli-admin-token-0123456789';
const root = fileURLToPath(new URL('../..', import.meta.url));

let api: TestApi;
let url: string;

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN);
  url = await api.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await api?.close();
});

/** Runs the CLI without blocking this process, which serves the API it talks to. */
const users = (...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/adapters/cli/users-cli.ts', ...args],
      { cwd: root, env: { ...process.env, PARLEY_URL: url, API_TOKEN: ADMIN } },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

it('creates a user, imports a file whole or not at all, and lists the directory', async () => {
  const created = await users('create', '--name', 'Ann Lee', '--email', 'ann@example.com', '--sip', 'sip:ann@example.com', '--region', 'US', '--work', '(425) 555-0123');
  expect(created.status, created.stderr).toBe(0);
  expect(created.stdout).toMatch(/created ann@example.com .* personal conference ID [1-9]\d{6}/);

  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'displayName,email,sipUri,region\nBo,bo@example.com,sip:bo@example.com,US\nCy,ann@example.com,sip:cy@example.com,US\n');
  const refused = await users('import', bad);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('row 2, email: ann@example.com belongs to another user (email-taken)');

  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify([{ displayName: 'Bo', email: 'bo@example.com', sipUri: 'sip:bo@example.com', region: 'US' }]));
  expect((await users('import', good)).stdout).toContain('imported 1 users');

  const listed = await users('list');
  expect(listed.stdout).toContain('ann@example.com');
  expect(listed.stdout).toContain('bo@example.com');
  expect((await users('frobnicate')).status).toBe(2);
}, 30_000);

it('unlocks a PIN locked at the keypad', async () => {
  const created = await users('create', '--name', 'Cy Ode', '--email', 'cy@example.com', '--sip', 'sip:cy@example.com', '--region', 'US');
  const id = /\(([0-9a-f-]{36})\)/.exec(created.stdout)![1]!;
  await api.pool.query(`update users set pin_locked_out = true, pin_locked_until = now() + interval '1 hour', pin_global_failures = 100 where id = $1`, [id]);

  const unlocked = await users('unlock-pin', id);
  expect(unlocked.status, unlocked.stderr).toBe(0);
  expect(unlocked.stdout).toContain(`unlocked the PIN of cy@example.com (${id})`);
  const { rows } = await api.pool.query('select pin_locked_out, pin_locked_until, pin_global_failures from users where id = $1', [id]);
  expect(rows[0]).toEqual({ pin_locked_out: false, pin_locked_until: null, pin_global_failures: 0 });

  const unknown = await users('unlock-pin', '7d3f1a2b-4c5d-4e6f-8a9b-0c1d2e3f4a5b');
  expect(unknown.status).toBe(1);
  expect(unknown.stderr).toContain('no user');
  expect((await users('unlock-pin')).status).toBe(2);
}, 30_000);

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

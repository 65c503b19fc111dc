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

/** Runs the built CLI (what `npm run users` runs) without blocking this process, which serves the API it talks to. */
const users = (...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['dist/adapters/cli/users-cli.js', ...args],
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

it('lists, adds, re-languages and removes access numbers', async () => {
  const listed = await users('access-numbers');
  expect(listed.status, listed.stderr).toBe(0);
  expect(listed.stdout).toContain('14255550100  US  +1 (425) 555-0100  en-US');

  const added = await users('add-access-number', '14255550199', '+1 (425) 555-0199', 'US', 'en-US', 'es-MX', 'fr-CA');
  expect(added.status, added.stderr).toBe(0);
  expect(added.stdout).toContain('added 14255550199 (+1 (425) 555-0199, US): en-US + es-MX, fr-CA');
  expect((await users('add-access-number', '14255550199', 'again', 'US', 'en-US')).stderr).toContain('error: 14255550199 exists');

  const relanguaged = await users('set-languages', '14255550199', 'es-MX', 'en-US');
  expect(relanguaged.status, relanguaged.stderr).toBe(0);
  expect(relanguaged.stdout).toContain('14255550199 now answers in es-MX + en-US');
  expect((await users('set-languages', '14255550199', 'fr-FR')).stdout).toContain('now answers in fr-FR');
  const { rows } = await api.pool.query('select languages from access_numbers where number = $1', ['14255550199']);
  expect(rows[0].languages).toEqual(['fr-FR']);
  expect((await users('access-numbers')).stdout).toContain('14255550199  US  +1 (425) 555-0199  fr-FR');

  const removed = await users('remove-access-number', '14255550199');
  expect(removed.status, removed.stderr).toBe(0);
  expect(removed.stdout).toContain('removed 14255550199');
  const gone = await users('remove-access-number', '14255550199');
  expect(gone.status).toBe(1);
  expect(gone.stderr).toContain('error: no access number 14255550199');
}, 30_000);

it('says what is wrong with an access-number command', async () => {
  const badLocale = await users('set-languages', '14255550100', 'en-US', 'xx-XX');
  expect(badLocale.status).toBe(1);
  expect(badLocale.stderr).toContain('error: unknown language xx-XX; use one of en-US, en-GB');
  const badAdd = await users('add-access-number', '14255550198', 'x', 'US', 'english');
  expect(badAdd.status).toBe(1);
  expect(badAdd.stderr).toContain('unknown language english');
  expect((await users('set-languages', '14255550100', 'en-US', 'en-GB', 'fr-FR', 'de-DE', 'it-IT', 'ja-JP')).stderr).toContain('at most 4 secondary languages');
  expect((await users('add-access-number', '14255550198', 'x', 'ZZ', 'en-US')).stderr).toContain('error: no region ZZ');
  expect((await users('set-languages', '19999999999', 'en-US')).stderr).toContain('error: no access number 19999999999');

  const short = await users('add-access-number', '14255550198', 'x', 'US');
  expect(short.status).toBe(2);
  expect(short.stderr).toContain('usage: users add-access-number NUMBER DISPLAY REGION PRIMARY [SECONDARY...]');
  expect((await users('set-languages', '14255550100')).status).toBe(2);
  expect((await users('remove-access-number')).status).toBe(2);
  const { rows } = await api.pool.query('select languages from access_numbers where number = $1', ['14255550100']);
  expect(rows[0].languages).toEqual(['en-US']);
}, 30_000);

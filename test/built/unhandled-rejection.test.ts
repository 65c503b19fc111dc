// The built parley (node dist/main.js) survives a promise rejection nobody handles: it logs it and goes on
// answering. The rejection comes from a preloaded module on SIGUSR2, the cheapest real one there is.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';
import { parleyProcess, type Parley } from '../support/parley-process.js';

let db: TestDatabase;
let parley: Parley;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'parley-rejection-'));
  const preload = join(dir, 'reject-on-sigusr2.mjs');
  await writeFile(preload, "process.on('SIGUSR2', () => { Promise.reject(new Error('test: a background step failed')); });\n");
  const flags = process.env.PARLEY_NODE_FLAGS;
  process.env.PARLEY_NODE_FLAGS = `--import ${preload}`;
  try {
    parley = await parleyProcess(db.url, { ARI_URL: 'http://127.0.0.1:1', ARI_USERNAME: 'parley', ARI_PASSWORD: 'not-used-asterisk-is-down', LOG_LEVEL: 'info' });
    await parley.start({ asterisk: 'down' });
  } finally {
    if (flags === undefined) delete process.env.PARLEY_NODE_FLAGS;
    else process.env.PARLEY_NODE_FLAGS = flags;
  }
}, 60_000);

afterAll(async () => {
  await parley?.kill();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('an unhandled promise rejection', () => {
  it('is logged, and the process keeps answering', async () => {
    process.kill(parley.pid(), 'SIGUSR2');
    await eventually(async () => expect(parley.output()).toContain('unhandled promise rejection; parley keeps running'), 10_000);
    expect(parley.output()).toContain('test: a background step failed');
    // Still alive and serving a second later (Node's default would have exited at once).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const health = await fetch(`${parley.url}/health`);
    expect(health.status).toBe(200);
    expect((await parley.api('GET', '/api/v1/users')).status).toBe(200);
  });
});

import { afterAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { sleep } from '../support/eventually.js';
import { parleyProcess, type Parley } from '../support/parley-process.js';

let db: TestDatabase | undefined;
let parley: Parley | undefined;

afterAll(async () => {
  await parley?.kill();
  await db?.drop();
});

it('keeps running and reports Asterisk down when ARI rejects its credentials', async () => {
  db = await createTestDatabase();
  parley = await parleyProcess(db.url, { ARI_PASSWORD: 'not-the-password' });
  await parley.start({ asterisk: 'down' });
  await sleep(3000); // several connection attempts
  expect(await fetch(`${parley.url}/health`).then((r) => r.json())).toEqual({ status: 'ok', asterisk: 'down', database: 'up' });
  expect(parley.output()).toContain('ARI rejected the credentials');
  expect((await parley.api('POST', '/api/v1/conferences', { subject: 'Still scheduling' })).status).toBe(201);
});

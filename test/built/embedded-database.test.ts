// The database `npm start` uses when DATABASE_URL is unset, exercised the way users meet it: the built
// parley serving many clients at once, and transactions side by side on the embedded server itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgConferenceStore } from '../../src/adapters/pg/conference-store.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/adapters/pg/embedded.js';
import { LATEST_SCHEMA, migrate } from '../../src/adapters/pg/migrate.js';
import { createPool } from '../../src/adapters/pg/pool.js';
import { parleyProcess, type Parley } from '../support/parley-process.js';

const CLIENTS = 8;
const REQUESTS = 2_000;
// One cluster for the file (an initdb is a second of CPU): parley creates it, the server tests then find it running.
const dataDir = mkdtempSync(join(tmpdir(), 'parley-embedded-'));

afterAll(async () => {
  await stopServerIn(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('the embedded default behind the built parley (no DATABASE_URL)', () => {
  let parley: Parley;

  beforeAll(async () => {
    // No DATABASE_URL: parley starts its own PostgreSQL under DATA_DIR, as `npm start` does. No Asterisk needed.
    parley = await parleyProcess('', { DATA_DIR: dataDir, ARI_URL: 'http://127.0.0.1:1', ARI_USERNAME: 'parley', ARI_PASSWORD: 'not-used-asterisk-is-down', LOG_LEVEL: 'warn' });
    await parley.start({ asterisk: 'down' });
  }, 120_000);

  afterAll(async () => {
    await parley?.kill();
  }, 60_000);

  it(`answers ${REQUESTS} requests from ${CLIENTS} parallel clients with each token's own user: no mix-up, no 5xx, no 401 for a valid token`, async () => {
    const users: Array<{ id: string; email: string; token: string }> = [];
    for (const name of ['ann', 'bo', 'cy', 'di']) {
      const email = `${name}@example.com`;
      const created = await parley.api('POST', '/api/v1/users', { displayName: name, email, sipUri: `sip:${email}`, region: 'US', password: `${name} correct horse battery` });
      expect(created.status).toBe(201);
      const session = await fetch(`${parley.url}/api/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: `${name} correct horse battery` }),
      });
      expect(session.status).toBe(201);
      users.push({ id: created.body.id, email, token: ((await session.json()) as { token: string }).token });
    }
    const tally = { mixedUp: 0, serverErrors: 0, refusedValid: 0, acceptedBogus: 0, other: 0 };
    let next = 0;
    // Plain HTTP/1.1 clients on kept-alive connections (fetch costs the test more CPU than parley's answer).
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const me = (token: string) =>
      new Promise<{ status: number; body: { id?: string; email?: string } }>((resolve, reject) => {
        get(`${parley.url}/api/v1/me`, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { id?: string; email?: string } }));
        }).on('error', reject);
      });
    const client = async (n: number) => {
      while (next < REQUESTS) {
        const i = next++;
        // Every 10th request carries a token nobody holds: it must be refused, never served as someone.
        const user = i % 10 === 9 ? undefined : users[(i + n) % users.length]!;
        const { status, body } = await me(user?.token ?? `bogus-${i}-0123456789abcdef`);
        if (status >= 500) tally.serverErrors++;
        else if (!user) {
          if (status !== 401) tally.acceptedBogus++;
        } else if (status === 401) tally.refusedValid++;
        else if (status !== 200) tally.other++;
        else if (body.id !== user.id || body.email !== user.email) tally.mixedUp++;
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    agent.destroy();
    expect(tally).toEqual({ mixedUp: 0, serverErrors: 0, refusedValid: 0, acceptedBogus: 0, other: 0 });
  }, 180_000);
});

describe('the embedded PostgreSQL server', () => {
  let db: EmbeddedDatabase;

  it('keeps concurrent transactions apart: none sees another one\'s uncommitted rows', async () => {
    db = await startEmbeddedDatabase(dataDir);
    const pool = createPool(db.url);
    try {
      await pool.query('create table scratch (tag int not null)');
      const everyoneWrote = barrier(CLIENTS);
      const everyoneLooked = barrier(CLIENTS);
      const results = await Promise.all(
        Array.from({ length: CLIENTS }, async (_, tag) => {
          const client = await pool.connect();
          try {
            await client.query('begin');
            await client.query('insert into scratch (tag) values ($1), ($1)', [tag]);
            // Every transaction has written and none has ended: each must see only its own rows.
            await everyoneWrote();
            const seen = await client.query<{ tag: number; n: string }>('select tag, count(*) as n from scratch group by tag');
            await everyoneLooked();
            await client.query(tag % 2 === 0 ? 'commit' : 'rollback');
            return seen.rows.map((row) => `${row.tag}:${row.n}`);
          } finally {
            client.release();
          }
        }),
      );
      expect(results).toEqual(Array.from({ length: CLIENTS }, (_, tag) => [`${tag}:2`]));
      const committed = await pool.query<{ tag: number }>('select distinct tag from scratch order by tag');
      expect(committed.rows.map((row) => row.tag)).toEqual([0, 2, 4, 6]);
    } finally {
      await pool.end();
    }
  }, 120_000);

  it('keeps the data across restarts, and a second start finds the running server', async () => {
    let pool = createPool(db.url);
    expect(await migrate(pool)).toBe(LATEST_SCHEMA);
    const id = 'ab'.repeat(16);
    const meeting = { conferenceId: '8000000', subject: 'Meeting 0', accessType: 'anonymous' as const, passcode: null, startsAt: null, endsAt: null, organizerId: null };
    expect(await pgConferenceStore(pool).insert({ id, ...meeting })).toBeTruthy();
    await pool.end();

    // A parley killed without stopping its database: the next start reuses the running server.
    const again = await startEmbeddedDatabase(dataDir);
    expect(again.url).toBe(db.url);

    await db.stop();
    db = await startEmbeddedDatabase(dataDir);
    pool = createPool(db.url);
    try {
      expect(await migrate(pool)).toBe(LATEST_SCHEMA);
      expect(await pgConferenceStore(pool).get(id)).toMatchObject({ conferenceId: '8000000', subject: 'Meeting 0' });
    } finally {
      await pool.end();
    }
  }, 120_000);
});

function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    if (++arrived === parties) open();
    return opened;
  };
}

/** parley leaves its embedded server running when killed (calls survive a restart); the test stops it. */
async function stopServerIn(dataDir: string): Promise<void> {
  const db = await startEmbeddedDatabase(dataDir).catch(() => undefined);
  await db?.stop();
}

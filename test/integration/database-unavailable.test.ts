import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/adapters/pg/migrate.js';
import { createPool, isConnectionFailure, type WatchedPool } from '../../src/adapters/pg/pool.js';
import { watchDatabase } from '../../src/adapters/pg/database-watch.js';
import { StoreUnavailableError } from '../../src/domain/errors.js';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiApp, silentLog } from '../support/api-app.js';
import { createMigratedTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';
import { tcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const TOKEN = 'database-unavailable-token';
let db: TestDatabase;
let proxy: TcpProxy;
let pool: WatchedPool;
let app: HttpApp;

beforeAll(async () => {
  db = await createMigratedTestDatabase();
  const url = new URL(db.url);
  proxy = await tcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${proxy.port}`;
  pool = createPool(url.toString());
  await migrate(pool);
  app = await apiApp(pool, TOKEN);
});

afterAll(async () => {
  await app?.close();
  await pool?.end();
  await proxy?.close();
  await db?.drop();
});

const authorization = { authorization: `Bearer ${TOKEN}` };

describe('the database going away', () => {
  it('answers the API with 503 database-unavailable and Retry-After, and /health with 503 degraded; both recover', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/conferences', headers: authorization, payload: { subject: 'Outage' } });
    expect(created.statusCode).toBe(201);
    const path = `/api/v1/conferences/${created.json<{ id: string }>().id}`;

    await proxy.cut();
    const refused = await app.inject({ method: 'GET', url: path, headers: authorization });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toMatchObject({ error: { code: 'database-unavailable' } });
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toEqual({ status: 'degraded', asterisk: 'down', database: 'down' });

    await proxy.restore();
    await eventually(async () => expect((await app.inject({ method: 'GET', url: path, headers: authorization })).statusCode).toBe(200), 5_000);
    const healthy = await app.inject({ method: 'GET', url: '/health' });
    expect(healthy.statusCode).toBe(200);
    expect(healthy.json()).toMatchObject({ status: 'ok', database: 'up' });
  });

  it('fails a query as StoreUnavailableError, in transactions too, and tells the watch, which reports the return', async () => {
    let back = 0;
    const watch = watchDatabase(pool, silentLog);
    watch.onBack(async () => void back++);
    const client = await pool.connect();
    await proxy.cut();
    await expect(client.query('select 1')).rejects.toBeInstanceOf(StoreUnavailableError);
    client.release(true);
    await expect(pool.query('select 1')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(pool.connect()).rejects.toMatchObject({ code: 'database-unavailable' });
    await proxy.restore();
    await eventually(() => expect(back).toBe(1), 5_000);
    watch.stop();
  });

  it('gives up on a server that accepts and never answers within the connect timeout, rather than hanging', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const stuck = createPool(`postgres://postgres@127.0.0.1:${port}/postgres`);
    const started = Date.now();
    await expect(stuck.query('select 1')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(5_000);
    await stuck.end();
    sockets.forEach((socket) => socket.destroy());
    silent.close();
  });

  it('waits once more for a connection while the server answers others: a slow connect or a full pool is not an outage', async () => {
    // A proxy that holds the next connection it is told to for 3.5 s (longer than the connect timeout).
    const url = new URL(db.url);
    const server = { port: Number(url.port || 5432), host: url.hostname };
    let holdNext = false;
    const held: Socket[] = [];
    const slow: Server = createServer((socket) => {
      const wait = holdNext ? 3_500 : 0;
      holdNext = false;
      held.push(socket);
      setTimeout(() => {
        const upstream = connect(server.port, server.host);
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
        held.push(upstream);
      }, wait);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    url.host = `127.0.0.1:${(slow.address() as { port: number }).port}`;
    const busy = createPool(url.toString(), 2);
    const outages: string[] = [];
    busy.onFailure((reason) => outages.push(reason));
    const first = await busy.connect();
    let answering = true;
    const keepAnswering = (async () => {
      while (answering) {
        await first.query('select 1');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    try {
      // A new connection that takes too long to open, while the first one answers.
      holdNext = true;
      const started = Date.now();
      expect((await busy.query<{ n: number }>('select 42 as n')).rows[0]?.n).toBe(42);
      expect(Date.now() - started).toBeGreaterThan(3_000);
      // No connection free for longer than the timeout (both busy), while they answer: one more wait.
      const second = await busy.connect();
      setTimeout(() => second.release(), 4_000);
      expect((await busy.query<{ n: number }>('select 43 as n')).rows[0]?.n).toBe(43);
      expect(outages).toEqual([]);
    } finally {
      answering = false;
      await keepAnswering;
      first.release();
      await busy.end();
      held.forEach((socket) => socket.destroy());
      slow.close();
    }
  }, 20_000);

  it('takes statement timeouts and lost connections for unavailability, and a bad statement for a bug', async () => {
    // The pool's statement timeout (15 s) shortened on one of its connections: the same error, at once.
    const client = await pool.connect();
    await client.query('set statement_timeout = 300');
    await expect(client.query('select pg_sleep(20)')).rejects.toBeInstanceOf(StoreUnavailableError);
    client.release(true);
    const bug = await pool.query('select * from no_such_table').catch((error: unknown) => error);
    expect(bug).not.toBeInstanceOf(StoreUnavailableError);
    expect(isConnectionFailure(bug)).toBe(false);
  }, 30_000);
});

import pg from 'pg';
import { StoreUnavailableError } from '../../domain/errors.js';

export type Pool = pg.Pool;

/** Connections per process. */
export const POOL_SIZE = 10;
/** A server that does not answer (stopped, blackholed) fails a request in this time instead of hanging it. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** No statement of parley's runs this long; one that does is stuck behind a lock or a dying server. */
export const STATEMENT_TIMEOUT_MS = 15_000;

/** Node's network failures, pg's lost connections, and PostgreSQL's own "cannot serve you now". */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '57014', '53300']);
/** pg-pool's two ways of giving no connection within connectionTimeoutMillis: a new one too slow to open, or none free. */
const NO_CONNECTION_IN_TIME = /^(Connection terminated due to connection timeout|timeout exceeded when trying to connect)$/;
const LOST = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|not queryable|Connection terminated due to connection timeout/;

export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08'))) return true;
  return LOST.test(error.message);
}

/** Fired on every failure to reach the database (the watch below polls for its return). */
type FailureListener = (reason: string) => void;

function translate(error: unknown, failed: FailureListener): unknown {
  if (error instanceof StoreUnavailableError || !isConnectionFailure(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  failed(reason);
  return new StoreUnavailableError(reason);
}

const GUARDED = Symbol('guarded');

/**
 * pg.Pool whose failures to reach the server surface as StoreUnavailableError, from pool.query and
 * from clients checked out for transactions alike, so every caller can tell an outage from a bug.
 */
class GuardedPool extends pg.Pool {
  private readonly failureListeners = new Set<FailureListener>();

  onFailure(listener: FailureListener): void {
    this.failureListeners.add(listener);
  }

  private readonly failed: FailureListener = (reason) => this.failureListeners.forEach((listener) => listener(reason));

  /** When the server last answered this pool (a statement, or a new connection). */
  private answeredAt = 0;

  private readonly answered = <T>(value: T): T => {
    this.answeredAt = Date.now();
    return value;
  };

  /**
   * No connection within the connect timeout, while the server answered other requests meanwhile: it
   * is busy (a burst of callers opening connections on a loaded machine), not gone. One more wait
   * before calling it an outage, which turns callers away. Nothing was sent, so nothing runs twice.
   */
  private patiently<T>(run: () => Promise<T>): Promise<T> {
    const started = Date.now();
    return run()
      .then(this.answered, (error: unknown) => {
        if (error instanceof Error && NO_CONNECTION_IN_TIME.test(error.message) && this.answeredAt >= started) return run().then(this.answered);
        throw error;
      })
      .catch((error: unknown) => Promise.reject(translate(error, this.failed)));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloads (promise and callback) pass through unchanged
  override query(...args: any[]): any {
    // pg's callback form, which the pool itself does not use, and a submittable (a cursor, a stream): passed through.
    const submittable = typeof (args[0] as { submit?: unknown } | undefined)?.submit === 'function';
    if (typeof args.at(-1) === 'function' || submittable) return (super.query as (...a: unknown[]) => unknown)(...args);
    return this.patiently(() => (super.query as (...a: unknown[]) => Promise<unknown>)(...args));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(...args: any[]): any {
    // The callback form is how pool.query gets its connection (guarded above).
    if (typeof args.at(-1) === 'function') return (super.connect as (...a: unknown[]) => unknown)(...args);
    return this.patiently(() => (super.connect as () => Promise<pg.PoolClient>)()).then((client) => this.guard(client));
  }

  private guard(client: pg.PoolClient): pg.PoolClient {
    const marked = client as pg.PoolClient & { [GUARDED]?: true };
    if (marked[GUARDED]) return client;
    marked[GUARDED] = true;
    // A checked-out client whose server goes away between two statements emits 'error'; with no
    // listener that ends the process. The next statement on it fails (and is translated) instead.
    client.on('error', () => undefined);
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (client as { query: (...a: any[]) => any }).query = (...args: unknown[]) => {
      const result = query(...args);
      return result instanceof Promise ? result.then(this.answered, (error: unknown) => Promise.reject(translate(error, this.failed))) : result;
    };
    return client;
  }
}

export type WatchedPool = pg.Pool & { onFailure(listener: FailureListener): void };

/** `connections`: at most this many at once (POOL_SIZE unless told). */
export function createPool(connectionString: string, connections = POOL_SIZE): WatchedPool {
  const pool = new GuardedPool({
    connectionString,
    max: connections,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    // A connection whose server went silent (no RST) is noticed by the query's own deadline.
    query_timeout: STATEMENT_TIMEOUT_MS + 2_000,
  });
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

export async function isDatabaseUp(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query('select 1');
    return true;
  } catch {
    return false;
  }
}

// Counts what parley asks PostgreSQL: every statement sent through the pool or a client checked out of
// it (one round trip each, pg's extended protocol), by its first words, so a test can say what one
// caller costs the database and print the list.
import type pg from 'pg';

export interface QueryCount {
  /** Statements sent since the last reset. */
  readonly total: number;
  /** Statements by their normalised text (whitespace squeezed, cut at 110 characters). */
  readonly byText: ReadonlyMap<string, number>;
  reset(): void;
  /** The list, most frequent first, each divided by `per` (e.g. callers). */
  table(per: number): string;
}

const short = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 110);

function textOf(args: unknown[]): string | undefined {
  const first = args[0];
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && 'text' in first && typeof first.text === 'string') return first.text;
  return undefined;
}

/** Wraps the `query` of every client the pool hands out (pool.query goes through one too). */
export function countQueries(pool: pg.Pool): QueryCount {
  const byText = new Map<string, number>();
  let total = 0;
  const note = (args: unknown[]) => {
    const text = textOf(args);
    if (text === undefined) return;
    total++;
    const key = short(text);
    byText.set(key, (byText.get(key) ?? 0) + 1);
  };
  const counted = new WeakSet<object>();
  const wrap = (target: { query: (...a: unknown[]) => unknown }) => {
    const query = target.query.bind(target);
    target.query = (...args: unknown[]) => {
      note(args);
      return query(...args);
    };
  };
  const wrapped = (client: pg.PoolClient) => {
    if (!counted.has(client)) {
      counted.add(client);
      wrap(client as unknown as { query: (...a: unknown[]) => unknown });
    }
    return client;
  };
  // pool.query checks a client out with a callback and sends through it: counting the clients' query
  // counts both it and transactions, each statement once.
  const connect = pool.connect.bind(pool) as (...a: unknown[]) => unknown;
  (pool as { connect: (...a: unknown[]) => unknown }).connect = (...args: unknown[]) => {
    const callback = args[0];
    if (typeof callback === 'function') {
      return connect((error: unknown, client: pg.PoolClient | undefined, done: unknown) =>
        (callback as (...a: unknown[]) => unknown)(error, client && wrapped(client), done),
      );
    }
    return (connect() as Promise<pg.PoolClient>).then(wrapped);
  };
  return {
    get total() {
      return total;
    },
    byText,
    reset() {
      total = 0;
      byText.clear();
    },
    table(per) {
      return [...byText.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([text, n]) => `${(n / per).toFixed(2).padStart(6)}  ${text}`)
        .join('\n');
    },
  };
}

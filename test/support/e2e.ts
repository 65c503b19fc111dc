import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './database.js';
import { parleyProcess, type Parley } from './parley-process.js';

/**
 * For an end-to-end test file: a fresh database and the built parley running against it (and the
 * real Asterisk) for the whole file; stopped and dropped afterwards. Set SHOW_PARLEY_LOG=1 to see its log.
 * Callers are not asked to record their name unless `env` says so (it costs every guest a few seconds).
 */
export function useParley(env: Record<string, string> = { NAME_RECORDING_SECONDS: '0' }): () => Parley {
  let db: TestDatabase | undefined;
  let parley: Parley | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    parley = await parleyProcess(db.url, env);
    await parley.start();
  }, 90_000);
  afterAll(async () => {
    if (process.env.SHOW_PARLEY_LOG) console.log(parley?.output());
    await parley?.kill();
    await db?.drop();
  });
  return () => {
    if (!parley) throw new Error('parley is not running yet: use it inside a test');
    return parley;
  };
}

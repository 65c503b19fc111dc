import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { pgConferenceStore } from '../../src/adapters/pg/conference-store.js';
import { startEmbeddedDatabase } from '../../src/adapters/pg/embedded.js';
import { LATEST_SCHEMA, migrate } from '../../src/adapters/pg/migrate.js';
import { createPool } from '../../src/adapters/pg/pool.js';

it('serves the same pg code path from PGlite, and keeps the data across restarts', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-embedded-'));
  try {
    const first = await startEmbeddedDatabase(dataDir);
    let pool = createPool(first.url);
    expect(await migrate(pool)).toBe(LATEST_SCHEMA);
    const id = 'ab'.repeat(16);
    const inserts = Array.from({ length: 50 }, (_, i) =>
      pgConferenceStore(pool).insert({
        id: i === 0 ? id : (i + 10).toString(16).padStart(32, '0'),
        conferenceId: String(8_000_000 + i),
        subject: `Meeting ${i}`,
        accessType: 'anonymous',
        passcode: null,
        startsAt: null,
        endsAt: null,
        organizerId: null,
      }),
    );
    expect((await Promise.all(inserts)).every(Boolean)).toBe(true);
    await pool.end();
    await first.stop();

    const second = await startEmbeddedDatabase(dataDir);
    pool = createPool(second.url);
    expect(await migrate(pool)).toBe(LATEST_SCHEMA);
    expect(await pgConferenceStore(pool).get(id)).toMatchObject({ conferenceId: '8000000', subject: 'Meeting 0' });
    await pool.end();
    await second.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);

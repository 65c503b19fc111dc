import type pg from 'pg';
import type { JobLock } from '../../ports/jobs.js';

/** A session-level PostgreSQL advisory lock per job name, held on one connection while the job runs. */
export function pgJobLock(pool: pg.Pool): JobLock {
  return {
    async exclusive(job, run) {
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(hashtext($1)) as locked`, [`parley:job:${job}`]);
        if (!rows[0]?.locked) return 'busy';
        try {
          return await run();
        } finally {
          await client.query(`select pg_advisory_unlock(hashtext($1))`, [`parley:job:${job}`]);
        }
      } finally {
        client.release();
      }
    },
  };
}

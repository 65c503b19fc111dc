import type pg from 'pg';
import { dialOutLimitHit, type DialOutCounts } from '../../domain/dial-out-policy.js';
import type { DialOutLedger } from '../../ports/dial-out-ledger.js';

/** A leg with no recorded end (its parley died) stops counting as up after this long. */
const STALE_UP = '4 hours';
/** Ended legs are kept this long: the per-minute counts need a minute, the rest is for whoever looks. */
const KEEP_ENDED = '7 days';

/**
 * Counting and recording are one transaction under one advisory lock, so two instances admitting at
 * the same moment cannot both take the last place.
 */
export function pgDialOutLedger(pool: pg.Pool): DialOutLedger {
  return {
    async admit(leg, limits) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(`select pg_advisory_xact_lock(hashtext('parley:dial-out-ledger'))`);
        const { rows } = await client.query<{ user_minute: string; user_up: string; minute: string; up: string }>(
          `select count(*) filter (where user_id = $1 and placed_at > now() - interval '1 minute') as user_minute,
                  count(*) filter (where user_id = $1 and ended_at is null and placed_at > now() - interval '${STALE_UP}') as user_up,
                  count(*) filter (where placed_at > now() - interval '1 minute') as minute,
                  count(*) filter (where ended_at is null and placed_at > now() - interval '${STALE_UP}') as up
             from dial_out_legs
            where placed_at > now() - interval '${STALE_UP}'`,
          [leg.userId],
        );
        const row = rows[0]!;
        const counts: DialOutCounts = { userLastMinute: Number(row.user_minute), userUp: Number(row.user_up), lastMinute: Number(row.minute), up: Number(row.up) };
        const hit = dialOutLimitHit(limits, counts, leg.userId !== null);
        if (!hit) {
          await client.query('insert into dial_out_legs (id, user_id, number, purpose) values ($1, $2, $3, $4) on conflict (id) do nothing', [leg.id, leg.userId, leg.number, leg.purpose]);
        }
        await client.query(`delete from dial_out_legs where ended_at < now() - interval '${KEEP_ENDED}' or placed_at < now() - interval '${KEEP_ENDED}'`);
        await client.query('commit');
        return hit;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async ended(legId) {
      await pool.query('update dial_out_legs set ended_at = now() where id = $1 and ended_at is null', [legId]);
    },
    async refused(leg) {
      await pool.query('insert into dial_out_refusals (user_id, number, purpose, code, detail) values ($1, $2, $3, $4, $5)', [
        leg.userId,
        leg.number,
        leg.purpose,
        leg.code,
        leg.detail ?? null,
      ]);
    },
  };
}

import type pg from 'pg';
import { CLEAR_KEYPAD_GUESSES, type KeypadGuessState } from '../../domain/keypad-guessing.js';
import type { KeypadGuessStore } from '../../ports/keypad-guesses.js';

// afterWrongEntry and afterWrongEntryAnywhere (domain/keypad-guessing.ts) as one statement: each upsert
// reads its row as it is when the statement holds the row's lock, so concurrent wrong entries each count.
// $1 access number, $2 caller, $3 now, $4 window and $6 refusal in minutes, $5 the refusal threshold.
const REFUSED = 'coalesce(g.refused_until > $3::timestamptz, false)';
const FRESH = `(g.refused_until is not null or g.window_started_at <= $3::timestamptz - make_interval(mins => $4::int))`;
const NEXT = `(case when ${FRESH} then 1 else g.failures + 1 end)`;
const REFUSAL = '$3::timestamptz + make_interval(mins => $6::int)';
const RATE_FRESH = `r.window_started_at <= $3::timestamptz - interval '1 minute'`;
const RECORD_WRONG = `
  with caller as (
    insert into keypad_guesses as g (access_number, caller, failures, window_started_at, refused_until)
    values ($1, $2, 1, $3, case when 1 >= $5 then ${REFUSAL} end)
    on conflict (access_number, caller) do update set
      failures = case when ${REFUSED} then g.failures + 1 else ${NEXT} end,
      window_started_at = case when ${REFUSED} or not ${FRESH} then g.window_started_at else $3 end,
      refused_until = case when ${REFUSED} then g.refused_until when ${NEXT} >= $5 then ${REFUSAL} end
    returning failures, window_started_at, refused_until
  ), deployment as (
    insert into keypad_guess_rate as r (id, failures, window_started_at) values (true, 1, $3)
    on conflict (id) do update set
      failures = case when ${RATE_FRESH} then 1 else r.failures + 1 end,
      window_started_at = case when ${RATE_FRESH} then $3 else r.window_started_at end
    returning failures, window_started_at
  )
  select c.failures, c.window_started_at, c.refused_until, d.failures as rate_failures, d.window_started_at as rate_window_started_at
  from caller c, deployment d`;

interface Row {
  failures: number;
  window_started_at: Date;
  refused_until: Date | null;
}

const toState = (row: Row): KeypadGuessState => ({ failures: row.failures, windowStartedAt: row.window_started_at, refusedUntil: row.refused_until });

export function pgKeypadGuessStore(pool: pg.Pool): KeypadGuessStore & { prune(now: Date, windowMinutes: number): Promise<number> } {
  return {
    async state({ accessNumber, caller }) {
      const { rows } = await pool.query<Row>('select * from keypad_guesses where access_number = $1 and caller = $2', [accessNumber, caller]);
      return rows[0] ? toState(rows[0]) : CLEAR_KEYPAD_GUESSES;
    },
    async recordWrong({ accessNumber, caller }, rule, alarmPerMinute, now) {
      const { rows } = await pool.query<Row & { rate_failures: number; rate_window_started_at: Date }>(RECORD_WRONG, [
        accessNumber,
        caller,
        now,
        rule.windowMinutes,
        rule.refuseAfter,
        rule.refuseMinutes,
      ]);
      const row = rows[0]!;
      return {
        caller: toState(row),
        deployment: { failures: row.rate_failures, windowStartedAt: row.rate_window_started_at },
        alarm: row.rate_failures === alarmPerMinute,
      };
    },
    /** Forgets callers whose window and refusal are both over: their next wrong entry would start afresh anyway. */
    async prune(now, windowMinutes) {
      const result = await pool.query(
        `delete from keypad_guesses where window_started_at <= $1::timestamptz - make_interval(mins => $2::int) and (refused_until is null or refused_until <= $1)`,
        [now, windowMinutes],
      );
      return result.rowCount ?? 0;
    },
  };
}

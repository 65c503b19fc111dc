import type pg from 'pg';

/**
 * What GET /metrics reads from the database, in one statement per scrape. Each count runs on a partial
 * index (live participants: `participants_live_channel`; unsent deliveries: `webhook_deliveries_due`),
 * so it costs what is live or queued, not the tables' history.
 */
const COUNTS = `
  with live as (
    select conference_id from participants where state <> 'disconnected' and state in ('connected', 'on-hold')
  )
  select
    (select count(*)::int from live) as participants,
    (select count(distinct conference_id)::int from live) as conferences,
    (select count(*)::int from webhook_deliveries where state = 'pending') as webhook_queue`;

export function pgMetricsCounts(pool: pg.Pool): () => Promise<{ conferences: number; participants: number; webhookQueue: number }> {
  return async () => {
    const { rows } = await pool.query<{ conferences: number; participants: number; webhook_queue: number }>(COUNTS);
    const row = rows[0];
    return { conferences: row?.conferences ?? 0, participants: row?.participants ?? 0, webhookQueue: row?.webhook_queue ?? 0 };
  };
}

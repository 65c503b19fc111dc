import type pg from 'pg';
import type { DeliveryState, WebhookChanges, WebhookDelivery, WebhookStore, WebhookSubscription } from '../../ports/webhooks.js';

const FOREIGN_KEY_VIOLATION = '23503';
const FAN_OUT_LOCK = 'parley:webhooks:fan-out';
const CLAIM_LOCK = 'parley:webhooks:claim';

interface SubscriptionRow {
  id: string;
  url: string;
  secret: string;
  event_types: string[];
  conference_id: string | null;
  active: boolean;
  created_at: Date;
  created_by: string | null;
}

interface DeliveryRow {
  id: string;
  subscription_id: string;
  conference_id: string;
  seq: string;
  type: string;
  payload: Record<string, unknown>;
  event_at: Date;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

const toSubscription = (r: SubscriptionRow): WebhookSubscription => ({
  id: r.id,
  url: r.url,
  secret: r.secret,
  eventTypes: r.event_types,
  conferenceId: r.conference_id,
  active: r.active,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  subscriptionId: r.subscription_id,
  conferenceId: r.conference_id,
  seq: Number(r.seq),
  type: r.type,
  payload: r.payload,
  eventAt: r.event_at,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastStatus: r.last_status,
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});

const COLUMNS: Record<keyof WebhookChanges, string> = {
  url: 'url',
  secret: 'secret',
  eventTypes: 'event_types',
  conferenceId: 'conference_id',
  active: 'active',
};

/**
 * The next events of every conference with unsent ones, each conference's in seq order from its cursor:
 * ordered by the running maximum of `at` so a limit cuts each conference's run after a prefix, never
 * across a gap (`at` alone can go backwards within a conference, see migration 013).
 */
const EVENTS_AFTER_CURSORS = `
  select conference_id, seq, type, data, at from (
    select e.conference_id, e.seq, e.type, e.data, e.at, max(e.at) over (partition by e.conference_id order by e.seq) as sort_at
    from conferences c
    left join webhook_cursors w on w.conference_id = c.id
    cross join lateral (
      select * from conference_events e where e.conference_id = c.id and e.seq > coalesce(w.seq, 0) order by e.seq limit $1
    ) e
    where c.event_seq > coalesce(w.seq, 0)
  ) pending
  order by sort_at, conference_id, seq
  limit $1`;

/**
 * When nobody subscribes, every conference's cursor moves to its latest event; returns whether it did and
 * how many events that passed over. One statement, so "nobody subscribes" and "the latest event" are read
 * at one moment: a hook created before an event is never passed over.
 */
const SKIP_TO_LATEST_IF_UNSUBSCRIBED = `
  with idle as (
    select not exists (select 1 from webhook_subscriptions where active) as idle
  ), due as (
    select c.id, c.event_seq, c.event_seq - coalesce(w.seq, 0) as skipped
    from idle, conferences c left join webhook_cursors w on w.conference_id = c.id
    where idle.idle and c.event_seq > coalesce(w.seq, 0)
  ), moved as (
    insert into webhook_cursors (conference_id, seq) select id, event_seq from due
    on conflict (conference_id) do update set seq = greatest(webhook_cursors.seq, excluded.seq)
  )
  select (select idle from idle) as idle, coalesce(sum(skipped), 0)::integer as skipped from due`;

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function unknownConferenceOr<T>(work: () => Promise<T>): Promise<T | 'unknown-conference'> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) return 'unknown-conference';
    throw error;
  }
}

export function pgWebhookStore(pool: pg.Pool): WebhookStore {
  const subscription = async (sql: string, params: unknown[]) => {
    const row = (await pool.query<SubscriptionRow>(sql, params)).rows[0];
    return row && toSubscription(row);
  };
  const get = (id: string) => subscription('select * from webhook_subscriptions where id = $1', [id]);
  return {
    create: (s) =>
      unknownConferenceOr(async () =>
        (await subscription(
          `insert into webhook_subscriptions (url, secret, event_types, conference_id, active, created_by) values ($1, $2, $3, $4, $5, $6) returning *`,
          [s.url, s.secret, s.eventTypes, s.conferenceId, s.active, s.createdBy],
        ))!,
      ),
    list: async () => (await pool.query<SubscriptionRow>('select * from webhook_subscriptions order by created_at, id')).rows.map(toSubscription),
    get,
    update(id, changes) {
      const entries = Object.entries(changes).filter(([, value]) => value !== undefined) as [keyof WebhookChanges, unknown][];
      if (entries.length === 0) return get(id);
      const sets = entries.map(([key], i) => `${COLUMNS[key]} = $${i + 2}`).join(', ');
      return unknownConferenceOr(() => subscription(`update webhook_subscriptions set ${sets} where id = $1 returning *`, [id, ...entries.map(([, v]) => v)]));
    },
    remove: async (id) => ((await pool.query('delete from webhook_subscriptions where id = $1', [id])).rowCount ?? 0) > 0,

    fanOut: (limit, plan) =>
      inTransaction(pool, async (client) => {
        const lock = await client.query<{ locked: boolean }>('select pg_try_advisory_xact_lock(hashtext($1)) as locked', [FAN_OUT_LOCK]);
        if (!lock.rows[0]?.locked) return 'busy' as const;
        // Nobody subscribed: the cursors move past what is there without reading it (a join storm's
        // roster events are otherwise fetched and parsed here only to be dropped).
        const skip = (await client.query<{ idle: boolean; skipped: number }>(SKIP_TO_LATEST_IF_UNSUBSCRIBED)).rows[0];
        if (skip?.idle) return { events: skip.skipped, deliveries: 0 };
        const events = (await client.query<{ conference_id: string; seq: string; type: string; data: Record<string, unknown>; at: Date }>(EVENTS_AFTER_CURSORS, [limit])).rows.map(
          (r) => ({ conferenceId: r.conference_id, seq: Number(r.seq), type: r.type, data: r.data, at: r.at }),
        );
        if (events.length === 0) return { events: 0, deliveries: 0 };
        // Read after the events: a hook created before an event it should receive is in this list.
        const subscriptions = (await client.query<SubscriptionRow>('select * from webhook_subscriptions where active')).rows.map(toSubscription);
        const deliveries = plan(events, subscriptions);
        let created = 0;
        if (deliveries.length > 0) {
          const rows = deliveries.map((d) => ({
            subscription_id: d.subscriptionId,
            conference_id: d.conferenceId,
            seq: d.seq,
            type: d.type,
            payload: d.payload,
            event_at: d.eventAt,
            next_attempt_at: d.nextAttemptAt,
          }));
          const inserted = await client.query(
            `insert into webhook_deliveries (subscription_id, conference_id, seq, type, payload, event_at, next_attempt_at)
             select * from jsonb_to_recordset($1::jsonb)
               as x(subscription_id uuid, conference_id text, seq bigint, type text, payload jsonb, event_at timestamptz, next_attempt_at timestamptz)
             on conflict (subscription_id, conference_id, seq) do nothing`,
            [JSON.stringify(rows)],
          );
          created = inserted.rowCount ?? 0;
        }
        const cursors = new Map<string, number>();
        for (const e of events) cursors.set(e.conferenceId, Math.max(cursors.get(e.conferenceId) ?? 0, e.seq));
        await client.query(
          `insert into webhook_cursors (conference_id, seq) select * from jsonb_to_recordset($1::jsonb) as x(conference_id text, seq bigint)
           on conflict (conference_id) do update set seq = greatest(webhook_cursors.seq, excluded.seq)`,
          [JSON.stringify([...cursors].map(([conference_id, seq]) => ({ conference_id, seq })))],
        );
        return { events: events.length, deliveries: created };
      }),

    // Claims are serialised by a short advisory lock so "an earlier event is in flight" is always seen.
    claimDue: (now, limit, leaseUntil) =>
      inTransaction(pool, async (client) => {
        await client.query('select pg_advisory_xact_lock(hashtext($1))', [CLAIM_LOCK]);
        const { rows } = await client.query<DeliveryRow & { url: string; secret: string }>(
          `with due as (
             select d.id from webhook_deliveries d
             join webhook_subscriptions s on s.id = d.subscription_id and s.active
             where d.state = 'pending' and d.next_attempt_at <= $1 and (d.leased_until is null or d.leased_until <= $1)
               and not exists (
                 select 1 from webhook_deliveries e
                 where e.subscription_id = d.subscription_id and e.conference_id = d.conference_id and e.seq < d.seq
                   and e.state = 'pending' and e.leased_until > $1)
             order by d.next_attempt_at, d.conference_id, d.seq
             limit $2
             for update of d skip locked)
           update webhook_deliveries d set attempts = d.attempts + 1, leased_until = $3
           from due, webhook_subscriptions s
           where d.id = due.id and s.id = d.subscription_id
           returning d.*, s.url, s.secret`,
          [now, limit, leaseUntil],
        );
        return rows
          .map((r) => ({ delivery: toDelivery(r), url: r.url, secret: r.secret }))
          .sort((a, b) => a.delivery.nextAttemptAt.getTime() - b.delivery.nextAttemptAt.getTime() || a.delivery.seq - b.delivery.seq);
      }),

    async record(deliveryId, outcome) {
      if (outcome.state === 'delivered') {
        await pool.query(
          `update webhook_deliveries set state = 'delivered', leased_until = null, last_status = $2, last_error = null, delivered_at = $3 where id = $1`,
          [deliveryId, outcome.status, outcome.at],
        );
        return;
      }
      await pool.query(
        `update webhook_deliveries set state = $2, leased_until = null, last_status = $3, last_error = $4, next_attempt_at = coalesce($5, next_attempt_at) where id = $1`,
        [deliveryId, outcome.state, outcome.status, outcome.error, outcome.state === 'pending' ? outcome.nextAttemptAt : null],
      );
    },

    async deliveries(subscriptionId, state, page) {
      const { rows } = await pool.query<DeliveryRow>(
        `select * from webhook_deliveries where subscription_id = $1 and ($2::text is null or state = $2)
         order by created_at desc, conference_id, seq desc limit $3 offset $4`,
        [subscriptionId, state ?? null, page.limit, page.offset],
      );
      return rows.map(toDelivery);
    },

    async revive(subscriptionId, deliveryId, now) {
      const { rows } = await pool.query<DeliveryRow>(
        `update webhook_deliveries set state = 'pending', attempts = 0, next_attempt_at = $3, leased_until = null
         where id = $2 and subscription_id = $1 and state = 'dead' returning *`,
        [subscriptionId, deliveryId, now],
      );
      if (rows[0]) return toDelivery(rows[0]);
      const exists = await pool.query('select 1 from webhook_deliveries where id = $2 and subscription_id = $1', [subscriptionId, deliveryId]);
      return exists.rowCount ? 'not-dead' : 'not-found';
    },

    purgeDelivered: async (before) =>
      (await pool.query(`delete from webhook_deliveries where state = 'delivered' and delivered_at < $1`, [before])).rowCount ?? 0,
  };
}

import type pg from 'pg';
import type { SecurityAlarms } from '../../ports/keypad-guesses.js';

/** Webhook deliveries of deployment-wide events carry this (empty) conference ID; receivers get null. */
export const DEPLOYMENT_EVENTS = '';

/**
 * An alarm is an audit entry of no conference plus one webhook delivery to every active subscription
 * that covers all conferences and this event type, written together.
 */
export function pgSecurityAlarms(pool: pg.Pool): SecurityAlarms {
  return {
    async raise(alarm) {
      const data = { failuresPerMinute: alarm.failuresPerMinute, threshold: alarm.threshold, accessNumber: alarm.accessNumber, kind: alarm.kind };
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(`insert into audit_log (conference_id, actor_user_id, actor, action, detail, at) values (null, null, 'parley', 'keypad-guessing', $1, $2)`, [
          data,
          alarm.at,
        ]);
        await client.query(
          `insert into webhook_deliveries (subscription_id, conference_id, seq, type, payload, event_at, next_attempt_at)
           select s.id, $1, nextval('deployment_event_seq'), 'keypad-guessing', $2, $3, $3
           from webhook_subscriptions s
           where s.active and s.conference_id is null and (s.event_types = '{}' or 'keypad-guessing' = any (s.event_types))`,
          [DEPLOYMENT_EVENTS, data, alarm.at],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

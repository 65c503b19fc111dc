import { createHmac } from 'node:crypto';
import type { AttemptOutcome, NewDelivery, StoredConferenceEvent, WebhookDelivery, WebhookResponse, WebhookSubscription } from '../ports/webhooks.js';
import { webhookEventData } from './webhook-event-data.js';

export interface WebhookSettings {
  /** After this many failed attempts a delivery is dead. */
  readonly maxAttempts: number;
  /** The wait after the first failure; it doubles with every further one… */
  readonly retryBaseMs: number;
  /** …up to this. */
  readonly retryMaxMs: number;
  /** How long a receiver has to answer. */
  readonly timeoutMs: number;
  /** Events read, and deliveries claimed, per round. */
  readonly batchSize: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  maxAttempts: 8,
  retryBaseMs: 10_000,
  retryMaxMs: 60 * 60_000,
  timeoutMs: 5_000,
  batchSize: 100,
};

/** ±20 % around the exponential delay, so receivers coming back are not hit by every retry at once. */
const JITTER = 0.2;

export function matches(subscription: WebhookSubscription, event: StoredConferenceEvent): boolean {
  return (
    subscription.active &&
    (subscription.eventTypes.length === 0 || subscription.eventTypes.includes(event.type)) &&
    (subscription.conferenceId === null || subscription.conferenceId === event.conferenceId)
  );
}

/** One delivery per event and matching subscription, due now, in the events' order. */
export function planDeliveries(events: readonly StoredConferenceEvent[], subscriptions: readonly WebhookSubscription[], now: Date): NewDelivery[] {
  return events.flatMap((event) =>
    subscriptions
      .filter((subscription) => matches(subscription, event))
      .map((subscription) => ({
        subscriptionId: subscription.id,
        conferenceId: event.conferenceId,
        seq: event.seq,
        type: event.type,
        payload: webhookEventData(event.type, event.data),
        eventAt: event.at,
        nextAttemptAt: now,
      })),
  );
}

/** The wait after failed attempt number `attempt` (1-based): base × 2^(attempt−1), capped, jittered; `random` in [0, 1). */
export function retryDelayMs(attempt: number, settings: Pick<WebhookSettings, 'retryBaseMs' | 'retryMaxMs'>, random: number): number {
  const exponential = Math.min(settings.retryBaseMs * 2 ** Math.max(0, attempt - 1), settings.retryMaxMs);
  return Math.round(exponential * (1 - JITTER + 2 * JITTER * random));
}

export const isSuccess = (response: WebhookResponse): response is { status: number } => 'status' in response && response.status >= 200 && response.status < 300;

/** What attempt number `attempt` (1-based) leads to, given the receiver's response. */
export function attemptOutcome(attempt: number, response: WebhookResponse, settings: WebhookSettings, now: Date, random: number): AttemptOutcome {
  if (isSuccess(response)) return { state: 'delivered', status: response.status, at: now };
  const status = 'status' in response ? response.status : null;
  const error = 'status' in response ? `HTTP ${response.status}` : response.error;
  if (attempt >= settings.maxAttempts) return { state: 'dead', status, error };
  return { state: 'pending', status, error, nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempt, settings, random)) };
}

/**
 * Parley-Signature, as Stripe signs: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * The timestamp is signed too, so a receiver can refuse replays of old deliveries.
 */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** The JSON body receivers get; `id` is the delivery's, the same on every retry (for de-duplication). */
export function webhookBody(delivery: WebhookDelivery): string {
  return JSON.stringify({
    id: delivery.id,
    type: delivery.type,
    // Deployment-wide events (the keypad-guessing alarm) are stored under the empty conference ID.
    conferenceId: delivery.conferenceId || null,
    seq: delivery.seq,
    at: delivery.eventAt.toISOString(),
    data: delivery.payload,
  });
}

/** Why `url` cannot receive webhooks, or undefined when it can. */
export function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http and https URLs receive webhooks';
  // The signature is the authentication; credentials in the URL would be shown in every listing.
  if (parsed.username || parsed.password) return 'no user name or password in the URL; authenticate with the signature';
  return undefined;
}

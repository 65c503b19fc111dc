import { DomainError } from '../domain/errors.js';
import type { RandomBytes } from '../domain/ids.js';
import { requireAdmin, type Principal } from '../domain/user.js';
import type { Clock } from '../ports/clock.js';
import type { Log } from '../ports/log.js';
import {
  WEBHOOK_EVENT_TYPES,
  type ClaimedDelivery,
  type DeliveryState,
  type WebhookDelivery,
  type WebhookDestinations,
  type WebhookSender,
  type WebhookStore,
  type WebhookSubscription,
} from '../ports/webhooks.js';
import { attemptOutcome, planDeliveries, signatureHeader, urlProblem, webhookBody, type WebhookSettings } from './webhook-rules.js';

export interface WebhooksDeps {
  readonly store: WebhookStore;
  readonly sender: WebhookSender;
  /** Where subscriptions may point (the sender checks again at each delivery). */
  readonly destinations: WebhookDestinations;
  readonly clock: Clock;
  readonly log: Log;
  /** For generated secrets. */
  readonly random: RandomBytes;
  /** In [0, 1), for the retry jitter. */
  readonly jitter?: () => number;
  readonly settings: WebhookSettings;
}

export interface WebhookInput {
  readonly url: string;
  readonly secret?: string;
  readonly eventTypes?: readonly string[];
  readonly conferenceId?: string | null;
  readonly active?: boolean;
}

export type WebhookUpdate = Partial<WebhookInput>;

export const MIN_SECRET_LENGTH = 16;

/**
 * Outgoing webhooks: administrators subscribe URLs to conference events; fanOut() turns new
 * conference_events into deliveries, deliverDue() sends what is due, signed, and retries with backoff
 * until a delivery is delivered or dead (the dead-letter list an administrator can retry from).
 */
export class Webhooks {
  private readonly jitter: () => number;

  constructor(private readonly deps: WebhooksDeps) {
    this.jitter = deps.jitter ?? Math.random;
  }

  /** The only answer that shows the secret. */
  async create(principal: Principal, input: WebhookInput): Promise<WebhookSubscription> {
    requireAdmin(principal);
    checkInput(input);
    await this.checkDestination(input.url);
    const created = await this.deps.store.create({
      url: input.url,
      secret: input.secret ?? `whsec_${Buffer.from(this.deps.random(24)).toString('base64url')}`,
      eventTypes: [...new Set(input.eventTypes ?? [])],
      conferenceId: input.conferenceId ?? null,
      active: input.active ?? true,
      createdBy: principal.kind === 'user' ? principal.user.id : null,
    });
    if (created === 'unknown-conference') throw unknownConference(input.conferenceId);
    this.deps.log.info({ webhook: created.id, eventTypes: created.eventTypes, conference: created.conferenceId }, 'webhook subscribed');
    return created;
  }

  async list(principal: Principal): Promise<WebhookSubscription[]> {
    requireAdmin(principal);
    return this.deps.store.list();
  }

  async get(principal: Principal, id: string): Promise<WebhookSubscription> {
    requireAdmin(principal);
    return (await this.deps.store.get(id)) ?? notFound(id);
  }

  async update(principal: Principal, id: string, changes: WebhookUpdate): Promise<WebhookSubscription> {
    requireAdmin(principal);
    checkInput(changes);
    if (changes.url !== undefined) await this.checkDestination(changes.url);
    const updated = await this.deps.store.update(id, { ...changes, ...(changes.eventTypes ? { eventTypes: [...new Set(changes.eventTypes)] } : {}) });
    if (updated === 'unknown-conference') throw unknownConference(changes.conferenceId);
    return updated ?? notFound(id);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requireAdmin(principal);
    if (!(await this.deps.store.remove(id))) notFound(id);
    this.deps.log.info({ webhook: id }, 'webhook removed');
  }

  async deliveries(principal: Principal, id: string, state: DeliveryState | undefined, page: { limit: number; offset: number }): Promise<WebhookDelivery[]> {
    await this.get(principal, id);
    return this.deps.store.deliveries(id, state, page);
  }

  /** A dead delivery is sent again now, with a fresh count of attempts. */
  async retry(principal: Principal, id: string, deliveryId: string): Promise<WebhookDelivery> {
    requireAdmin(principal);
    const revived = await this.deps.store.revive(id, deliveryId, this.deps.clock.now());
    if (revived === 'not-found') throw new DomainError('delivery-not-found', `no delivery ${deliveryId} for webhook ${id}`);
    if (revived === 'not-dead') throw new DomainError('delivery-not-dead', 'only a dead delivery can be retried; this one is pending or delivered');
    this.deps.log.info({ webhook: id, delivery: deliveryId }, 'dead webhook delivery retried');
    return revived;
  }

  /** New conference events become deliveries; returns how many events were read (0 also when another instance is at it). */
  async fanOut(): Promise<number> {
    const now = this.deps.clock.now();
    const result = await this.deps.store.fanOut(this.deps.settings.batchSize, (events, subscriptions) => planDeliveries(events, subscriptions, now));
    if (result === 'busy') return 0;
    if (result.deliveries > 0) this.deps.log.debug({ events: result.events, deliveries: result.deliveries }, 'webhook deliveries created');
    return result.events;
  }

  /**
   * Sends the due deliveries; returns how many were attempted. Each subscription's events of one
   * conference go one after the other in seq order; different ones go side by side.
   */
  async deliverDue(): Promise<number> {
    const { settings, clock, store } = this.deps;
    const now = clock.now();
    // Long enough for a whole batch to one slow receiver; a crashed sender's deliveries wait this long.
    const leaseMs = settings.timeoutMs * settings.batchSize + 30_000;
    const claimed = await store.claimDue(now, settings.batchSize, new Date(now.getTime() + leaseMs));
    const queues = new Map<string, ClaimedDelivery[]>();
    for (const claim of claimed) {
      const key = `${claim.delivery.subscriptionId}/${claim.delivery.conferenceId}`;
      queues.set(key, [...(queues.get(key) ?? []), claim]);
    }
    await Promise.all(
      [...queues.values()].map(async (queue) => {
        for (const claim of queue.sort((a, b) => a.delivery.seq - b.delivery.seq)) await this.attempt(claim);
      }),
    );
    return claimed.length;
  }

  purgeDelivered(before: Date): Promise<number> {
    return this.deps.store.purgeDelivered(before);
  }

  private async checkDestination(url: string): Promise<void> {
    const refused = await this.deps.destinations.refusal(url);
    if (refused === undefined) return;
    throw new DomainError('destination-not-allowed', `webhooks may not go to ${refused}; an administrator allows a network with WEBHOOK_ALLOWED_NETWORKS`, [
      { field: 'url', code: 'destination-not-allowed', message: refused },
    ]);
  }

  private async attempt({ delivery, url, secret }: ClaimedDelivery): Promise<void> {
    const { sender, settings, clock, log, store } = this.deps;
    const body = webhookBody(delivery);
    const response = await sender.post({
      url,
      body,
      timeoutMs: settings.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'parley-webhooks/1',
        'parley-event-id': delivery.id,
        'parley-signature': signatureHeader(secret, Math.floor(clock.now().getTime() / 1000), body),
      },
    });
    const outcome = attemptOutcome(delivery.attempts, response, settings, clock.now(), this.jitter());
    // Never the URL (receivers put tokens in paths) nor the secret: the subscription ID finds them.
    const fields = { webhook: delivery.subscriptionId, delivery: delivery.id, type: delivery.type, seq: delivery.seq, attempt: delivery.attempts };
    if (outcome.state === 'delivered') log.debug({ ...fields, status: outcome.status }, 'webhook delivered');
    else if (outcome.state === 'pending') log.warn({ ...fields, status: outcome.status, error: outcome.error, nextAttemptAt: outcome.nextAttemptAt }, 'webhook delivery failed; will retry');
    else log.warn({ ...fields, status: outcome.status, error: outcome.error }, 'webhook delivery failed for the last time; it is dead');
    try {
      await store.record(delivery.id, outcome);
    } catch (error) {
      // The lease runs out and the delivery is tried again: at least once, never lost.
      log.error({ ...fields, err: error }, 'could not record a webhook attempt');
    }
  }
}

function checkInput(input: WebhookUpdate): void {
  const problems: { field: string; message: string }[] = [];
  if (input.url !== undefined) {
    const problem = urlProblem(input.url);
    if (problem) problems.push({ field: 'url', message: problem });
  }
  if (input.secret !== undefined && input.secret.length < MIN_SECRET_LENGTH) problems.push({ field: 'secret', message: `at least ${MIN_SECRET_LENGTH} characters` });
  const unknown = (input.eventTypes ?? []).filter((type) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type));
  if (unknown.length > 0) problems.push({ field: 'eventTypes', message: `unknown event types: ${unknown.join(', ')} (known: ${WEBHOOK_EVENT_TYPES.join(', ')})` });
  if (problems.length === 0) return;
  throw new DomainError(
    'validation-failed',
    problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    problems.map((p) => ({ ...p, code: 'validation-failed' as const })),
  );
}

function notFound(id: string): never {
  throw new DomainError('webhook-not-found', `no webhook ${id}`);
}

const unknownConference = (id: string | null | undefined) => new DomainError('conference-not-found', `no conference ${id}`);

/**
 * The event types a subscription can filter on: conference_events.type, and `keypad-guessing`, the
 * deployment-wide alarm (sent to subscriptions of every conference; its conferenceId is null).
 */
export const WEBHOOK_EVENT_TYPES = ['participant', 'conference', 'session', 'recording', 'invitation', 'dial-out', 'keypad-guessing'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookSubscription {
  readonly id: string;
  readonly url: string;
  /** The HMAC-SHA256 key of Parley-Signature. */
  readonly secret: string;
  /** Empty: every type. */
  readonly eventTypes: readonly string[];
  /** The 32-hex meeting ID this subscription is limited to; null: every conference. */
  readonly conferenceId: string | null;
  readonly active: boolean;
  readonly createdAt: Date;
  /** The directory user who created it; null: the service token. */
  readonly createdBy: string | null;
}

export type NewWebhookSubscription = Pick<WebhookSubscription, 'url' | 'secret' | 'eventTypes' | 'conferenceId' | 'active' | 'createdBy'>;
export type WebhookChanges = Partial<Pick<WebhookSubscription, 'url' | 'secret' | 'eventTypes' | 'conferenceId' | 'active'>>;

/** pending: to be sent (again); delivered: a 2xx came back; dead: out of attempts (the dead-letter list). */
export type DeliveryState = 'pending' | 'delivered' | 'dead';

/** One row of conference_events, as the trigger wrote it. */
export interface StoredConferenceEvent {
  readonly conferenceId: string;
  readonly seq: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly at: Date;
}

export interface NewDelivery {
  readonly subscriptionId: string;
  readonly conferenceId: string;
  readonly seq: number;
  readonly type: string;
  /** The event's `data` as receivers get it. */
  readonly payload: Record<string, unknown>;
  readonly eventAt: Date;
  readonly nextAttemptAt: Date;
}

export interface WebhookDelivery extends NewDelivery {
  readonly id: string;
  readonly state: DeliveryState;
  /** Attempts started so far (a claimed delivery counts the one being made). */
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
}

/** A due delivery claimed for one attempt, with where and how to send it. */
export interface ClaimedDelivery {
  readonly delivery: WebhookDelivery;
  readonly url: string;
  readonly secret: string;
}

/** What one attempt led to. */
export type AttemptOutcome =
  | { readonly state: 'delivered'; readonly status: number; readonly at: Date }
  | { readonly state: 'pending'; readonly status: number | null; readonly error: string; readonly nextAttemptAt: Date }
  | { readonly state: 'dead'; readonly status: number | null; readonly error: string };

/** Chooses the deliveries for a batch of events, given the active subscriptions. */
export type DeliveryPlan = (events: readonly StoredConferenceEvent[], subscriptions: readonly WebhookSubscription[]) => NewDelivery[];

export interface WebhookStore {
  /** 'unknown-conference' when conferenceId names no conference. */
  create(subscription: NewWebhookSubscription): Promise<WebhookSubscription | 'unknown-conference'>;
  list(): Promise<WebhookSubscription[]>;
  get(id: string): Promise<WebhookSubscription | undefined>;
  update(id: string, changes: WebhookChanges): Promise<WebhookSubscription | undefined | 'unknown-conference'>;
  /** Its deliveries go with it. */
  remove(id: string): Promise<boolean>;
  /**
   * Reads up to `limit` events after the stored cursors, creates the planned deliveries and moves the
   * cursors, all in one transaction; 'busy' while another instance does it.
   */
  fanOut(limit: number, plan: DeliveryPlan): Promise<{ events: number; deliveries: number } | 'busy'>;
  /**
   * Claims due pending deliveries of active subscriptions (attempts + 1, leased until `leaseUntil`),
   * oldest first; never one while an earlier event of the same subscription and conference is in flight.
   */
  claimDue(now: Date, limit: number, leaseUntil: Date): Promise<ClaimedDelivery[]>;
  /** Ends the attempt (and the lease). */
  record(deliveryId: string, outcome: AttemptOutcome): Promise<void>;
  /** Newest first. */
  deliveries(subscriptionId: string, state: DeliveryState | undefined, page: { limit: number; offset: number }): Promise<WebhookDelivery[]>;
  /** A dead delivery becomes pending again, due at `now`, with a fresh count of attempts. */
  revive(subscriptionId: string, deliveryId: string, now: Date): Promise<WebhookDelivery | 'not-found' | 'not-dead'>;
  /** Deletes deliveries delivered before `before`; returns how many. */
  purgeDelivered(before: Date): Promise<number>;
}

export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

/** The receiver's HTTP status, or why there was none (refused, timed out, …). */
export type WebhookResponse = { readonly status: number } | { readonly error: string };

/** POSTs one webhook; never throws. */
export interface WebhookSender {
  post(request: WebhookRequest): Promise<WebhookResponse>;
}

/** Whether webhooks may go to a URL's host (loopback, private and link-local networks only when allowed). */
export interface WebhookDestinations {
  /** Why not, in a few words, or undefined when they may. */
  refusal(url: string): Promise<string | undefined>;
}

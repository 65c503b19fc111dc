import { randomUUID } from 'node:crypto';
import type { StoredConferenceEvent, WebhookDelivery, WebhookStore, WebhookSubscription } from '../../src/ports/webhooks.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** WebhookStore in memory, with the pg store's rules (cursors per conference, leases, in-flight order). */
export class MemoryWebhookStore implements WebhookStore {
  readonly subscriptions = new Map<string, WebhookSubscription>();
  readonly deliveryRows: Mutable<WebhookDelivery>[] = [];
  readonly events: StoredConferenceEvent[] = [];
  readonly cursors = new Map<string, number>();
  readonly leases = new Map<string, Date>();
  conferences = new Set<string>();

  /** What the triggers do: the conference's next seq. */
  emit(conferenceId: string, type: string, data: Record<string, unknown>, at: Date): StoredConferenceEvent {
    const seq = this.events.filter((e) => e.conferenceId === conferenceId).length + 1;
    const event = { conferenceId, seq, type, data, at };
    this.events.push(event);
    return event;
  }

  async create(s: Parameters<WebhookStore['create']>[0]) {
    if (s.conferenceId !== null && !this.conferences.has(s.conferenceId)) return 'unknown-conference' as const;
    const created: WebhookSubscription = { ...s, id: randomUUID(), createdAt: new Date() };
    this.subscriptions.set(created.id, created);
    return created;
  }
  async list() {
    return [...this.subscriptions.values()];
  }
  async get(id: string) {
    return this.subscriptions.get(id);
  }
  async update(id: string, changes: Parameters<WebhookStore['update']>[1]) {
    const current = this.subscriptions.get(id);
    if (!current) return undefined;
    if (changes.conferenceId && !this.conferences.has(changes.conferenceId)) return 'unknown-conference' as const;
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const next = { ...current, ...defined };
    this.subscriptions.set(id, next);
    return next;
  }
  async remove(id: string) {
    const removed = this.subscriptions.delete(id);
    for (let i = this.deliveryRows.length - 1; i >= 0; i--) if (this.deliveryRows[i]!.subscriptionId === id) this.deliveryRows.splice(i, 1);
    return removed;
  }

  async fanOut(limit: number, plan: Parameters<WebhookStore['fanOut']>[1]) {
    const batch = this.events.filter((e) => e.seq > (this.cursors.get(e.conferenceId) ?? 0)).slice(0, limit);
    if (batch.length === 0) return { events: 0, deliveries: 0 };
    const active = [...this.subscriptions.values()].filter((s) => s.active);
    let created = 0;
    for (const d of active.length > 0 ? plan(batch, active) : []) {
      if (this.deliveryRows.some((r) => r.subscriptionId === d.subscriptionId && r.conferenceId === d.conferenceId && r.seq === d.seq)) continue;
      this.deliveryRows.push({ ...d, id: randomUUID(), state: 'pending', attempts: 0, lastStatus: null, lastError: null, createdAt: d.nextAttemptAt, deliveredAt: null });
      created++;
    }
    for (const e of batch) this.cursors.set(e.conferenceId, Math.max(this.cursors.get(e.conferenceId) ?? 0, e.seq));
    return { events: batch.length, deliveries: created };
  }

  async claimDue(now: Date, limit: number, leaseUntil: Date) {
    const inFlight = (d: WebhookDelivery) => d.state === 'pending' && (this.leases.get(d.id)?.getTime() ?? 0) > now.getTime();
    const due = this.deliveryRows
      .filter((d) => d.state === 'pending' && d.nextAttemptAt <= now && !inFlight(d) && this.subscriptions.get(d.subscriptionId)?.active)
      .filter((d) => !this.deliveryRows.some((e) => e.subscriptionId === d.subscriptionId && e.conferenceId === d.conferenceId && e.seq < d.seq && inFlight(e)))
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.conferenceId.localeCompare(b.conferenceId) || a.seq - b.seq)
      .slice(0, limit);
    return due.map((d) => {
      d.attempts++;
      this.leases.set(d.id, leaseUntil);
      const s = this.subscriptions.get(d.subscriptionId)!;
      return { delivery: { ...d }, url: s.url, secret: s.secret };
    });
  }

  async record(id: string, outcome: Parameters<WebhookStore['record']>[1]) {
    const d = this.deliveryRows.find((r) => r.id === id);
    if (!d) return;
    this.leases.delete(id);
    d.state = outcome.state;
    d.lastStatus = outcome.status;
    if (outcome.state === 'delivered') {
      d.deliveredAt = outcome.at;
      d.lastError = null;
    } else {
      d.lastError = outcome.error;
      if (outcome.state === 'pending') d.nextAttemptAt = outcome.nextAttemptAt;
    }
  }

  async deliveries(subscriptionId: string, state: WebhookDelivery['state'] | undefined, page: { limit: number; offset: number }) {
    return this.deliveryRows
      .filter((d) => d.subscriptionId === subscriptionId && (state === undefined || d.state === state))
      .reverse()
      .slice(page.offset, page.offset + page.limit)
      .map((d) => ({ ...d }));
  }

  async revive(subscriptionId: string, deliveryId: string, now: Date) {
    const d = this.deliveryRows.find((r) => r.id === deliveryId && r.subscriptionId === subscriptionId);
    if (!d) return 'not-found' as const;
    if (d.state !== 'dead') return 'not-dead' as const;
    Object.assign(d, { state: 'pending', attempts: 0, nextAttemptAt: now });
    return { ...d };
  }

  async purgeDelivered(before: Date) {
    const old = this.deliveryRows.filter((d) => d.state === 'delivered' && d.deliveredAt! < before);
    for (const d of old) this.deliveryRows.splice(this.deliveryRows.indexOf(d), 1);
    return old.length;
  }
}

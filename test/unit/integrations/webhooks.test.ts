import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Principal, User } from '../../../src/domain/user.js';
import { startWebhookRunner } from '../../../src/integrations/webhook-runner.js';
import { DEFAULT_WEBHOOK_SETTINGS } from '../../../src/integrations/webhook-rules.js';
import { Webhooks } from '../../../src/integrations/webhooks.js';
import type { WebhookRequest, WebhookResponse } from '../../../src/ports/webhooks.js';
import { eventually } from '../../support/eventually.js';
import { MemoryWebhookStore } from '../../support/memory-webhook-store.js';

const MEETING = 'a'.repeat(32);
const ADMIN: Principal = { kind: 'service' };
const ORGANIZER: Principal = { kind: 'user', user: { id: 'u1', role: 'organizer' } as User };
const SECRET = 'whsec_unit-test-secret-0123';

class FakeSender {
  readonly requests: WebhookRequest[] = [];
  answer: (request: WebhookRequest) => WebhookResponse = () => ({ status: 200 });
  async post(request: WebhookRequest) {
    this.requests.push(request);
    return this.answer(request);
  }
}

let store: MemoryWebhookStore;
let sender: FakeSender;
let clock: { time: number; now(): Date };
let logged: string[];
let webhooks: Webhooks;

beforeEach(() => {
  store = new MemoryWebhookStore();
  store.conferences.add(MEETING);
  sender = new FakeSender();
  clock = { time: Date.parse('2026-12-01T17:00:00Z'), now: () => new Date(clock.time) };
  logged = [];
  const log = (level: string) => (fields: object, message: string) => void logged.push(`${level} ${message} ${JSON.stringify(fields)}`);
  webhooks = new Webhooks({
    store,
    sender,
    destinations: { refusal: async () => undefined },
    clock,
    log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    random: (n) => new Uint8Array(n).fill(7),
    jitter: () => 0.5,
    settings: DEFAULT_WEBHOOK_SETTINGS,
  });
});

const emit = (type = 'conference', data: Record<string, unknown> = { locked: true }) => store.emit(MEETING, type, data, clock.now());
const round = async () => {
  await webhooks.fanOut();
  return webhooks.deliverDue();
};
const advance = (ms: number) => {
  clock.time += ms;
};

describe('subscribing', () => {
  it('is for administrators only', async () => {
    await expect(webhooks.create(ORGANIZER, { url: 'https://chat.example.com/hook' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(webhooks.list(ORGANIZER)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('generates a secret unless given one, and checks URL, secret and event types', async () => {
    expect((await webhooks.create(ADMIN, { url: 'https://chat.example.com/hook' })).secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect((await webhooks.create(ADMIN, { url: 'https://chat.example.com/hook', secret: SECRET })).secret).toBe(SECRET);
    await expect(webhooks.create(ADMIN, { url: 'ftp://example.com', secret: 'short', eventTypes: ['bogus'] })).rejects.toMatchObject({
      code: 'validation-failed',
      problems: [{ field: 'url' }, { field: 'secret' }, { field: 'eventTypes' }],
    });
    await expect(webhooks.create(ADMIN, { url: 'https://x.example', conferenceId: 'f'.repeat(32) })).rejects.toMatchObject({ code: 'conference-not-found' });
    await expect(webhooks.get(ADMIN, 'nope')).rejects.toMatchObject({ code: 'webhook-not-found' });
  });
});

describe('fan-out', () => {
  it('makes one delivery per new event and matching subscription, and moves on past them', async () => {
    const all = await webhooks.create(ADMIN, { url: 'https://a.example/hook' });
    const sessions = await webhooks.create(ADMIN, { url: 'https://b.example/hook', eventTypes: ['session'] });
    await webhooks.create(ADMIN, { url: 'https://c.example/hook', active: false });
    emit('conference');
    emit('session', { started: true });
    expect(await webhooks.fanOut()).toBe(2);
    expect(await webhooks.fanOut()).toBe(0);
    emit('participant', { id: 'p1', display_name: 'Ann', channel_id: 'secret-channel' });
    expect(await webhooks.fanOut()).toBe(1);
    expect(store.deliveryRows.map((d) => [d.subscriptionId, d.seq, d.type])).toEqual([
      [all.id, 1, 'conference'],
      [all.id, 2, 'session'],
      [sessions.id, 2, 'session'],
      [all.id, 3, 'participant'],
    ]);
    expect(store.deliveryRows[3]!.payload).not.toHaveProperty('channel_id');
  });
});

describe('delivery', () => {
  it('POSTs each event as signed JSON, in seq order, and marks it delivered on a 2xx', async () => {
    await webhooks.create(ADMIN, { url: 'https://chat.example.com/hook', secret: SECRET });
    emit('conference', { locked: true });
    emit('conference', { locked: false });
    expect(await round()).toBe(2);
    expect(sender.requests.map((r) => JSON.parse(r.body).seq)).toEqual([1, 2]);
    const [first] = sender.requests;
    const body = JSON.parse(first!.body);
    expect(body).toEqual({ id: body.id, type: 'conference', conferenceId: MEETING, seq: 1, at: '2026-12-01T17:00:00.000Z', data: expect.objectContaining({ locked: true }) });
    expect(first!.headers).toMatchObject({ 'content-type': 'application/json', 'parley-event-id': body.id });
    const t = Math.floor(clock.time / 1000);
    const mac = createHmac('sha256', SECRET).update(`${t}.${first!.body}`).digest('hex');
    expect(first!.headers['parley-signature']).toBe(`t=${t},v1=${mac}`);
    expect(first!.timeoutMs).toBe(5_000);
    expect(store.deliveryRows.every((d) => d.state === 'delivered' && d.lastStatus === 200)).toBe(true);
    expect(await round()).toBe(0);
  });

  it('retries failures after 10, 20, 40… s and gives up after 8 attempts: the dead-letter list', async () => {
    const hook = await webhooks.create(ADMIN, { url: 'https://down.example/hook/token-in-path', secret: SECRET });
    sender.answer = () => ({ status: 503 });
    emit();
    const waits: number[] = [];
    expect(await round()).toBe(1);
    for (let attempt = 2; attempt <= 8; attempt++) {
      const due = store.deliveryRows[0]!.nextAttemptAt.getTime();
      waits.push((due - clock.time) / 1000);
      clock.time = due - 1;
      expect(await round()).toBe(0);
      advance(1);
      expect(await round()).toBe(1);
    }
    expect(waits).toEqual([10, 20, 40, 80, 160, 320, 640]);
    const [dead] = await webhooks.deliveries(ADMIN, hook.id, 'dead', { limit: 10, offset: 0 });
    expect(dead).toMatchObject({ state: 'dead', attempts: 8, lastStatus: 503, lastError: 'HTTP 503' });
    advance(86_400_000);
    expect(await round()).toBe(0);
    expect(new Set(sender.requests.map((r) => r.headers['parley-event-id']))).toEqual(new Set([dead!.id]));
    // Neither the secret nor the URL (receivers put tokens in paths) is ever logged.
    expect(logged.join('\n')).not.toMatch(/whsec_|token-in-path/);
    expect(logged.filter((l) => l.startsWith('warn'))).toHaveLength(8);

    await expect(webhooks.retry(ADMIN, hook.id, 'nope')).rejects.toMatchObject({ code: 'delivery-not-found' });
    sender.answer = () => ({ status: 200 });
    expect(await webhooks.retry(ADMIN, hook.id, dead!.id)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await round()).toBe(1);
    expect(store.deliveryRows[0]).toMatchObject({ state: 'delivered', attempts: 1 });
    await expect(webhooks.retry(ADMIN, hook.id, dead!.id)).rejects.toMatchObject({ code: 'delivery-not-dead' });
  });

  it('sends later events of a conference while an earlier one waits for its retry', async () => {
    await webhooks.create(ADMIN, { url: 'https://chat.example.com/hook', secret: SECRET });
    sender.answer = (r) => (JSON.parse(r.body).seq === 1 ? { error: 'ECONNRESET' } : { status: 200 });
    emit();
    emit();
    await round();
    expect(store.deliveryRows.map((d) => d.state)).toEqual(['pending', 'delivered']);
    expect(store.deliveryRows[0]).toMatchObject({ lastStatus: null, lastError: 'ECONNRESET' });
  });

  it('holds a paused subscription’s deliveries until it is active again, and skips events meanwhile', async () => {
    const hook = await webhooks.create(ADMIN, { url: 'https://chat.example.com/hook' });
    emit();
    await webhooks.fanOut();
    await webhooks.update(ADMIN, hook.id, { active: false });
    expect(await webhooks.deliverDue()).toBe(0);
    emit();
    expect(await webhooks.fanOut()).toBe(1);
    await webhooks.update(ADMIN, hook.id, { active: true });
    expect(await round()).toBe(1);
    // Events while it was paused are not sent: only the held delivery is.
    expect(store.deliveryRows.map((d) => [d.seq, d.state])).toEqual([[1, 'delivered']]);
  });
});

describe('the runner', () => {
  it('goes round until stopped, at once again while there is work', async () => {
    let rounds = 0;
    let work = 3;
    const runner = startWebhookRunner(
      {
        fanOut: async () => {
          rounds++;
          return work > 0 ? work-- : 0;
        },
        deliverDue: async () => 0,
      },
      { debug() {}, info() {}, warn() {}, error() {} },
      20,
    );
    // Three rounds at once while there is work, then one every 20 ms: wait for two timed ones.
    await eventually(() => expect(rounds).toBeGreaterThanOrEqual(5), 5_000, 10);
    await runner.stop();
    const after = rounds;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(rounds).toBe(after);
  });
});

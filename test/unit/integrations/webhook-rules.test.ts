import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { webhookEventData } from '../../../src/integrations/webhook-event-data.js';
import {
  attemptOutcome,
  DEFAULT_WEBHOOK_SETTINGS,
  matches,
  planDeliveries,
  retryDelayMs,
  signatureHeader,
  urlProblem,
  webhookBody,
} from '../../../src/integrations/webhook-rules.js';
import type { StoredConferenceEvent, WebhookSubscription } from '../../../src/ports/webhooks.js';

const settings = DEFAULT_WEBHOOK_SETTINGS;
const now = new Date('2026-12-01T17:00:00.000Z');
const MEETING = 'a'.repeat(32);
const OTHER = 'b'.repeat(32);

const subscription = (changes: Partial<WebhookSubscription> = {}): WebhookSubscription => ({
  id: 'sub-1',
  url: 'https://chat.example.com/hook',
  secret: 'whsec_example-secret',
  eventTypes: [],
  conferenceId: null,
  active: true,
  createdAt: now,
  createdBy: null,
  ...changes,
});
const event = (changes: Partial<StoredConferenceEvent> = {}): StoredConferenceEvent => ({ conferenceId: MEETING, seq: 1, type: 'conference', data: {}, at: now, ...changes });

describe('the retry backoff', () => {
  it('waits 10 s after the first failure and doubles each time, ±20 % jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayMs(attempt, settings, 0.5) / 1000)).toEqual([10, 20, 40, 80, 160, 320, 640]);
    expect(retryDelayMs(1, settings, 0)).toBe(8_000);
    expect(retryDelayMs(1, settings, 0.999_999)).toBe(12_000);
  });

  it('never waits longer than the cap (an hour by default), jitter aside', () => {
    expect(retryDelayMs(20, settings, 0.5)).toBe(3_600_000);
    expect(retryDelayMs(4, { retryBaseMs: 50, retryMaxMs: 200 }, 0.5)).toBe(200);
  });
});

describe('what an attempt leads to', () => {
  it('a 2xx is delivered; anything else, a 3xx included, is retried later', () => {
    expect(attemptOutcome(1, { status: 204 }, settings, now, 0.5)).toEqual({ state: 'delivered', status: 204, at: now });
    expect(attemptOutcome(1, { status: 500 }, settings, now, 0.5)).toEqual({ state: 'pending', status: 500, error: 'HTTP 500', nextAttemptAt: new Date(now.getTime() + 10_000) });
    expect(attemptOutcome(3, { status: 302 }, settings, now, 0.5)).toMatchObject({ state: 'pending', status: 302, nextAttemptAt: new Date(now.getTime() + 40_000) });
    expect(attemptOutcome(2, { error: 'ECONNREFUSED' }, settings, now, 0.5)).toMatchObject({ state: 'pending', status: null, error: 'ECONNREFUSED' });
  });

  it('the 8th failure (maxAttempts) makes the delivery dead', () => {
    expect(attemptOutcome(7, { status: 503 }, settings, now, 0.5).state).toBe('pending');
    expect(attemptOutcome(8, { status: 503 }, settings, now, 0.5)).toEqual({ state: 'dead', status: 503, error: 'HTTP 503' });
    expect(attemptOutcome(8, { status: 200 }, settings, now, 0.5).state).toBe('delivered');
  });
});

describe('the signature', () => {
  it('is Stripe-style: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>', () => {
    // Computed with: printf '%s' '1700000000.{"id":"d1","seq":1}' | openssl dgst -sha256 -hmac whsec_example-secret
    expect(signatureHeader('whsec_example-secret', 1_700_000_000, '{"id":"d1","seq":1}')).toBe(
      't=1700000000,v1=64ab30b191f76ee1412f8eac0bb8908797f5e8bd45760ff32ed3e4639472e529',
    );
  });

  it('signs the body receivers get: {id, type, conferenceId, seq, at, data}', () => {
    const body = webhookBody({
      id: 'd1',
      subscriptionId: 'sub-1',
      conferenceId: MEETING,
      seq: 7,
      type: 'recording',
      payload: { id: 'r1', recording: true },
      eventAt: now,
      nextAttemptAt: now,
      state: 'pending',
      attempts: 1,
      lastStatus: null,
      lastError: null,
      createdAt: now,
      deliveredAt: null,
    });
    expect(JSON.parse(body)).toEqual({ id: 'd1', type: 'recording', conferenceId: MEETING, seq: 7, at: now.toISOString(), data: { id: 'r1', recording: true } });
  });
});

describe('the fan-out', () => {
  it('matches active subscriptions by event type (empty: all) and conference (null: all)', () => {
    expect(matches(subscription(), event())).toBe(true);
    expect(matches(subscription({ active: false }), event())).toBe(false);
    expect(matches(subscription({ eventTypes: ['participant'] }), event())).toBe(false);
    expect(matches(subscription({ eventTypes: ['participant', 'conference'] }), event())).toBe(true);
    expect(matches(subscription({ conferenceId: OTHER }), event())).toBe(false);
    expect(matches(subscription({ conferenceId: MEETING }), event())).toBe(true);
  });

  it('plans one delivery per event and matching subscription, in the events’ order, due now', () => {
    const all = subscription({ id: 'all' });
    const sessionsOnly = subscription({ id: 'sessions', eventTypes: ['session'] });
    const plan = planDeliveries([event({ seq: 1 }), event({ seq: 2, type: 'session', data: { started: true } })], [all, sessionsOnly], now);
    expect(plan.map((d) => [d.subscriptionId, d.seq, d.type])).toEqual([
      ['all', 1, 'conference'],
      ['all', 2, 'session'],
      ['sessions', 2, 'session'],
    ]);
    expect(plan[2]).toMatchObject({ conferenceId: MEETING, payload: { started: true }, eventAt: now, nextAttemptAt: now });
  });
});

describe("an event's data as receivers get it", () => {
  it('is the live stream’s participant, without the row’s internals', () => {
    const row = {
      id: 'p1',
      conference_id: MEETING,
      channel_id: '1700000000.42',
      display_name: '+1425555••••',
      role: 'participant',
      state: 'connected',
      muted: false,
      muted_by: null,
      talking: true,
      noisy: false,
      via: 'phone',
      joined_at: '2026-12-01T17:01:12.123456+00:00',
      left_at: null,
      user_id: 'u1',
      name_recording: 'parley-name-p1',
    };
    expect(webhookEventData('participant', row)).toEqual({
      id: 'p1',
      displayName: '+1425555••••',
      role: 'participant',
      state: 'connected',
      muted: false,
      mutedBy: null,
      talking: true,
      noisy: false,
      via: 'phone',
      joinedAt: '2026-12-01T17:01:12.123Z',
      leftAt: null,
      endReason: null,
    });
  });

  it('is camel-cased live state for conference events, and passes later types through', () => {
    expect(webhookEventData('conference', { locked: true, status: 'active', audience_muted: false, announce_entry_exit: true, active_speaker_id: null })).toEqual({
      locked: true,
      status: 'active',
      audienceMuted: false,
      announceEntryExit: true,
      activeSpeakerId: null,
    });
    expect(webhookEventData('dial-out', { number: '+14255550100', state: 'ringing' })).toEqual({ number: '+14255550100', state: 'ringing' });
  });
});

describe('subscription URLs', () => {
  it('are http or https, without credentials', () => {
    expect(urlProblem('https://chat.example.com/hook?x=1')).toBeUndefined();
    expect(urlProblem('http://127.0.0.1:9000/hook')).toBeUndefined();
    expect(urlProblem('ftp://example.com/')).toMatch(/only http and https/);
    expect(urlProblem('javascript:alert(1)')).toMatch(/only http and https/);
    expect(urlProblem('not a url')).toBe('not a URL');
    expect(urlProblem('https://user:pw@example.com/')).toMatch(/no user name or password/);
  });
});

describe('the webhook settings', () => {
  const REQUIRED = { API_TOKEN: 'config-test-token-0123', ARI_USERNAME: 'parley', ARI_PASSWORD: 'secret' };

  it('default to 8 attempts, 10 s first retry, 5 s timeout, a 1 s poll and 3 days of delivered history', () => {
    const config = loadConfig(REQUIRED);
    expect(config.webhooks).toEqual({ maxAttempts: 8, retryBaseMs: 10_000, timeoutMs: 5_000, pollMs: 1_000 });
    expect(config.jobs.webhookRetentionDays).toBe(3);
    expect(loadConfig({ ...REQUIRED, WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_RETRY_BASE_SECONDS: '2' }).webhooks).toMatchObject({ maxAttempts: 3, retryBaseMs: 2_000 });
  });

  it('refuse values out of bounds', () => {
    expect(() => loadConfig({ ...REQUIRED, WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow(/WEBHOOK_MAX_ATTEMPTS must be a whole number from 1 to 50/);
    expect(() => loadConfig({ ...REQUIRED, WEBHOOK_POLL_MS: '10' })).toThrow(/WEBHOOK_POLL_MS/);
  });
});

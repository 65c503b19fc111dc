import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { useParley } from '../support/e2e.js';
import { metric, parseMetrics } from '../support/metrics.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();
const CALLER_ID = '+14255550177';
const PASSCODE = '583920';

/** What a Prometheus scraper gets, with the administrator's token. */
async function scrape() {
  const response = await fetch(`${parley().url}/metrics`, { headers: { authorization: `Bearer ${parley().token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseMetrics(await response.text());
}

const ariCount = (samples: ReturnType<typeof parseMetrics>, operation: string) =>
  metric(samples, 'parley_ari_request_duration_seconds_count', { operation }) ?? 0;

describe('/metrics while real SIP callers use parley', () => {
  let conference: { id: string; conferenceId: string };

  it('refuses a scrape without the token', async () => {
    expect((await fetch(`${parley().url}/metrics`)).status).toBe(401);
  });

  it('counts a caller who joins: the join and its latency, the participant, the call in the conference, the ARI requests', async () => {
    conference = (await parley().api('POST', '/api/v1/conferences', { subject: 'Metrics', passcode: PASSCODE })).body;
    const caller = placeCall({
      callerId: CALLER_ID,
      keys: [
        { afterMs: 1000, keys: `${conference.conferenceId}#` },
        { afterMs: 2500, keys: `${PASSCODE}#` },
      ],
      holdMs: 8000,
    });

    const samples = await eventually(async () => {
      const now = await scrape();
      expect(metric(now, 'parley_participants_connected')).toBe(1);
      expect(metric(now, 'parley_calls_in_progress', { stage: 'in-conference' })).toBe(1);
      return now;
    }, 20_000);
    expect(metric(samples, 'parley_joins_total')).toBe(1);
    expect(metric(samples, 'parley_conferences_active')).toBe(1);
    expect(metric(samples, 'parley_join_latency_seconds_count')).toBe(1);
    const latency = metric(samples, 'parley_join_latency_seconds_sum')!;
    console.log(`join latency, last key to bridge: ${(latency * 1000).toFixed(1)} ms`);
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(10);
    for (const operation of ['channels.answer', 'channels.play', 'bridges.createWithId', 'bridges.addChannel']) {
      expect(ariCount(samples, operation), operation).toBeGreaterThanOrEqual(1);
    }
    // Talk detection came with the call from the dialplan (asterisk-config/extensions.conf): no request for it.
    expect(ariCount(samples, 'channels.setChannelVar')).toBe(0);
    expect(metric(samples, 'parley_ari_request_duration_seconds_sum', { operation: 'bridges.addChannel' })).toBeGreaterThan(0);
    expect(metric(samples, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
    expect(metric(samples, 'parley_db_pool_connections')).toBeGreaterThanOrEqual(1);

    expect((await caller.done).hungUpByBridge).toBe(false);
    await eventually(async () => {
      const after = await scrape();
      expect(metric(after, 'parley_participants_connected')).toBe(0);
      expect(metric(after, 'parley_calls_in_progress', { stage: 'in-conference' })).toBe(0);
    });
  }, 40_000);

  it('counts a caller with a wrong ID as a failure with its cause, seen at the conference-ID step meanwhile', async () => {
    const caller = placeCall({
      callerId: CALLER_ID,
      keys: [
        { afterMs: 1500, keys: '999#' },
        { afterMs: 3000, keys: '998#' },
        { afterMs: 3000, keys: '997#' },
      ],
      // After the third wrong ID parley says so and goodbye, then hangs up: on a loaded machine that took over 20 s.
      holdMs: 30_000,
    });
    await eventually(async () => expect(metric(await scrape(), 'parley_calls_in_progress', { stage: 'conference-id' })).toBe(1), 10_000);
    expect((await caller.done).hungUpByBridge).toBe(true);

    const samples = await eventually(async () => {
      const now = await scrape();
      expect(metric(now, 'parley_join_failures_total', { cause: 'wrong-id' })).toBe(1);
      return now;
    });
    expect(metric(samples, 'parley_joins_total')).toBe(1);
    const failures = samples.filter((s) => s.name === 'parley_join_failures_total' && s.value > 0).map((s) => s.labels.cause);
    expect(failures).toEqual(['wrong-id']);
    await eventually(async () => {
      const stages = (await scrape()).filter((s) => s.name === 'parley_calls_in_progress' && s.value !== 0);
      expect(stages).toEqual([]);
    });

    // No label carries a conference ID, passcode, caller number or key typed.
    const labels = samples.flatMap((s) => Object.values(s.labels));
    for (const secret of [conference.id, conference.conferenceId, PASSCODE, CALLER_ID, '14255550177', '999', '998', '997']) {
      expect(labels.filter((l) => l.includes(secret)), secret).toEqual([]);
    }
  }, 60_000);
});

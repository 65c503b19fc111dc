import { describe, expect, it, vi } from 'vitest';
import { PrometheusMetrics } from '../../../src/adapters/metrics/prometheus.js';
import { routeCalls, type RouteOptions } from '../../../src/calls/route-calls.js';
import { StoreUnavailableError } from '../../../src/domain/errors.js';
import { CALL_STAGES, JOIN_FAILURES } from '../../../src/ports/metrics.js';
import { PROMPTS } from '../../../src/prompts/catalog.js';
import { metric, parseMetrics } from '../../support/metrics.js';
import { eventually, FAST, untilInConference, world } from '../harness.js';

const { enterConferenceId, enterPasscode, tooManyTries, onlyParticipant } = PROMPTS;
const RIGHT_KEYS = { [enterConferenceId]: '1234567#', [enterPasscode]: '4321#' };

/** The router with real Prometheus metrics (no process figures), and one conference with a passcode. */
function running(settings = FAST, options: Pick<RouteOptions, 'identities'> = {}) {
  const w = world();
  const metrics = new PrometheusMetrics({ defaultMetrics: false });
  routeCalls(w.telephony, w.service, w.participants, w.log, { settings, metrics, ...options });
  const conference = w.conferences.seed({ conferenceId: '1234567', passcode: '4321' });
  const read = async () => {
    const samples = parseMetrics(await metrics.render());
    return {
      samples,
      stages: Object.fromEntries(CALL_STAGES.map((stage) => [stage, metric(samples, 'parley_calls_in_progress', { stage })])),
      failures: Object.fromEntries(JOIN_FAILURES.map((cause) => [cause, metric(samples, 'parley_join_failures_total', { cause })]).filter(([, n]) => n !== 0)),
      joins: metric(samples, 'parley_joins_total'),
    };
  };
  return { ...w, metrics, conference, read };
}

const only = (stage: string) => Object.fromEntries(CALL_STAGES.map((s) => [s, s === stage ? 1 : 0]));
const none = only('');

describe('call metrics: a caller the attendant puts in the conference', () => {
  it('counts one join with its latency and shows the caller in the conference, then no call at all once they leave', async () => {
    const w = running();
    const call = w.telephony.ring({ keys: RIGHT_KEYS });
    await untilInConference(call);
    await eventually(() => expect(call.heard).toContain(onlyParticipant));

    const during = await w.read();
    expect(during.joins).toBe(1);
    expect(during.failures).toEqual({});
    expect(during.stages).toEqual(only('in-conference'));
    expect(metric(during.samples, 'parley_join_latency_seconds_count')).toBe(1);
    // From the last key (#) to the bridge, in-memory: well under the 150 ms bucket.
    expect(metric(during.samples, 'parley_join_latency_seconds_bucket', { le: '0.15' })).toBe(1);

    call.hangUp();
    await eventually(async () => expect((await w.read()).stages).toEqual(none));
    expect((await w.read()).joins).toBe(1);
  });

  it('starts the latency when the caller let the last question pass, not at their last key', async () => {
    // No passcode, sign-in offered: "press star to sign in, or pound"; the caller says nothing for 400 ms.
    const w = running({ ...FAST, timing: { firstKeyMs: 400, betweenKeysMs: 400 } }, { identities: { verifyAtKeypad: async () => ({ verdict: 'wrong' }) } });
    w.conferences.seed({ conferenceId: '7654321', passcode: null });
    const call = w.telephony.ring({ keys: { [enterConferenceId]: '7654321#' } });
    await untilInConference(call);
    expect(call.heard).toContain(PROMPTS.signInOrContinue);
    const samples = (await w.read()).samples;
    expect(metric(samples, 'parley_join_latency_seconds_count')).toBe(1);
    expect(metric(samples, 'parley_join_latency_seconds_bucket', { le: '0.3' })).toBe(1);
  });

  it('shows the stage a caller waits in: the passcode question', async () => {
    const w = running({ ...FAST, timing: { firstKeyMs: 5_000, betweenKeysMs: 5_000 } });
    const call = w.telephony.ring({ keys: { [enterConferenceId]: '1234567#' } });
    await eventually(() => expect(call.heard).toContain(enterPasscode));
    await eventually(async () => expect((await w.read()).stages).toEqual(only('passcode')));
    call.hangUp();
    await eventually(async () => expect((await w.read()).failures).toEqual({ 'hung-up': 1 }));
    expect((await w.read()).stages).toEqual(none);
  });
});

describe('call metrics: callers who do not get in, by cause', () => {
  it('wrong-id after three wrong conference IDs', async () => {
    const w = running();
    const call = w.telephony.ring({ keys: { [enterConferenceId]: '7654321#' } });
    await eventually(() => expect(call.hungUpBy).toBe('parley'));
    expect(call.heard.at(-1)).toBe(tooManyTries);
    await eventually(async () => expect((await w.read()).failures).toEqual({ 'wrong-id': 1 }));
    expect((await w.read()).stages).toEqual(none);
    expect((await w.read()).joins).toBe(0);
  });

  it('wrong-passcode after three wrong passcodes', async () => {
    const w = running();
    w.telephony.ring({ keys: { [enterConferenceId]: '1234567#', [enterPasscode]: '1111#' } });
    await eventually(async () => expect((await w.read()).failures).toEqual({ 'wrong-passcode': 1 }));
  });

  it('locked, when the conference is locked', async () => {
    const w = running();
    w.conferences.seed({ conferenceId: '7777777', passcode: null, locked: true });
    w.telephony.ring({ keys: { [enterConferenceId]: '7777777#' } });
    await eventually(async () => expect((await w.read()).failures).toEqual({ locked: 1 }));
  });

  it('hung-up, once, for a caller who hangs up during the farewell too', async () => {
    const w = running();
    w.telephony.ring({ keys: { [enterConferenceId]: '7654321#' }, hangUpAfter: tooManyTries });
    await eventually(async () => expect((await w.read()).failures).toEqual({ 'wrong-id': 1 }));
    await eventually(async () => expect((await w.read()).stages).toEqual(none));
  });

  it('unavailable when the database is, and error when the flow fails', async () => {
    const w = running();
    const lookup = vi.spyOn(w.conferences, 'liveWithConferenceId').mockRejectedValueOnce(new StoreUnavailableError('down'));
    w.telephony.ring({ keys: RIGHT_KEYS });
    await eventually(async () => expect((await w.read()).failures).toEqual({ unavailable: 1 }));
    lookup.mockRejectedValueOnce(new Error('a bug'));
    w.telephony.ring({ keys: RIGHT_KEYS });
    await eventually(async () => expect((await w.read()).failures).toEqual({ unavailable: 1, error: 1 }));
    await eventually(async () => expect((await w.read()).stages).toEqual(none));
  });
});

describe('the Prometheus adapter', () => {
  it('counts a call once: a join after a failure (or the reverse) is ignored; a stage after the end too', async () => {
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    const call = metrics.call();
    call.stage('greeting');
    call.failed('wrong-id');
    call.joined(20);
    call.failed('hung-up');
    call.end();
    call.stage('farewell');
    const samples = parseMetrics(await metrics.render());
    expect(metric(samples, 'parley_join_failures_total', { cause: 'wrong-id' })).toBe(1);
    expect(metric(samples, 'parley_join_failures_total', { cause: 'hung-up' })).toBe(0);
    expect(metric(samples, 'parley_joins_total')).toBe(0);
    expect(metric(samples, 'parley_calls_in_progress', { stage: 'farewell' })).toBe(0);
    expect(metric(samples, 'parley_calls_in_progress', { stage: 'greeting' })).toBe(0);
  });

  it('times requests by operation, one recorder per operation', async () => {
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    expect(metrics.timer('channels.answer')).toBe(metrics.timer('channels.answer'));
    metrics.timer('channels.answer')(0.004);
    metrics.timer('channels.answer')(0.02);
    metrics.timer('bridges.addChannel')(0.003);
    const samples = parseMetrics(await metrics.render());
    expect(metric(samples, 'parley_ari_request_duration_seconds_count', { operation: 'channels.answer' })).toBe(2);
    expect(metric(samples, 'parley_ari_request_duration_seconds_bucket', { operation: 'channels.answer', le: '0.005' })).toBe(1);
    expect(metric(samples, 'parley_ari_request_duration_seconds_count', { operation: 'bridges.addChannel' })).toBe(1);
  });

  it('counts events by type, one counter per type', async () => {
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    expect(metrics.counter('StasisStart')).toBe(metrics.counter('StasisStart'));
    metrics.counter('StasisStart')();
    metrics.counter('ChannelDtmfReceived')();
    metrics.counter('ChannelDtmfReceived')();
    const samples = parseMetrics(await metrics.render());
    expect(metric(samples, 'parley_ari_events_total', { type: 'StasisStart' })).toBe(1);
    expect(metric(samples, 'parley_ari_events_total', { type: 'ChannelDtmfReceived' })).toBe(2);
  });
});

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Log } from '../../ports/log.js';
import { CALL_STAGES, JOIN_FAILURES, type CallMetrics, type CallStage, type JoinFailure, type EventCounts, type Metrics, type RequestTimings } from '../../ports/metrics.js';

/** pg.Pool's own counters, read at each scrape. */
export interface PoolFigures {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/** What the database says at a scrape, in one query (adapters/pg/metrics-counts.ts). */
export interface LiveCounts {
  /** Conferences with someone in the bridge. */
  readonly conferences: number;
  /** Participants in a bridge (connected or on hold). */
  readonly participants: number;
  /** Webhook deliveries not yet sent (waiting for their first try or a retry). */
  readonly webhookQueue: number;
}

export interface PrometheusOptions {
  readonly pool?: PoolFigures;
  readonly counts?: () => Promise<LiveCounts>;
  /** Node's process metrics and event-loop delay (prom-client's defaults); on unless said. */
  readonly defaultMetrics?: boolean;
  readonly log?: Pick<Log, 'warn'>;
}

/** Up to the 150 ms target finely, then coarsely to a join storm's worst seconds. */
const JOIN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];
const ARI_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

type Step = { inc(): void; dec(): void };

/**
 * The metrics of one parley process, in its own registry (several apps in one test process never share
 * one). Hot paths touch only counters, gauges and histograms whose label children are made once.
 */
export class PrometheusMetrics implements Metrics, RequestTimings, EventCounts {
  readonly registry = new Registry();
  private readonly stages: Record<CallStage, Step>;
  private readonly failures: Record<JoinFailure, { inc(): void }>;
  private readonly joins: Counter;
  private readonly joinLatency: Histogram;
  private readonly ariRequests: Histogram<'operation'>;
  private readonly timers = new Map<string, (seconds: number) => void>();
  private readonly ariEvents: Counter<'type'>;
  private readonly eventCounters = new Map<string, () => void>();
  private readonly conferences: Gauge;
  private readonly participants: Gauge;
  private readonly webhookQueue: Gauge;
  private readonly pool: { connections: Gauge; idle: Gauge; waiting: Gauge } | undefined;

  constructor(private readonly options: PrometheusOptions = {}) {
    const registers = [this.registry];
    const inStage = new Gauge({ name: 'parley_calls_in_progress', help: 'Calls in progress, by the stage they are in', labelNames: ['stage'], registers });
    this.stages = byName(CALL_STAGES, (stage): Step => inStage.labels(stage));
    for (const stage of CALL_STAGES) inStage.set({ stage }, 0);
    this.joins = new Counter({ name: 'parley_joins_total', help: 'Callers the attendant put into a conference', registers });
    const failures = new Counter({ name: 'parley_join_failures_total', help: 'Callers who reached the attendant and did not get into a conference, by cause', labelNames: ['cause'], registers });
    this.failures = byName(JOIN_FAILURES, (cause) => failures.labels(cause));
    for (const cause of JOIN_FAILURES) failures.inc({ cause }, 0);
    this.joinLatency = new Histogram({
      name: 'parley_join_latency_seconds',
      help: "From the caller's last answer to the attendant (a key, or a question let pass; or the end of the name or lobby step) to the caller in the bridge",
      buckets: JOIN_BUCKETS,
      registers,
    });
    this.ariRequests = new Histogram({ name: 'parley_ari_request_duration_seconds', help: 'ARI REST requests, by operation', labelNames: ['operation'], buckets: ARI_BUCKETS, registers });
    this.ariEvents = new Counter({ name: 'parley_ari_events_total', help: 'ARI events received, by type', labelNames: ['type'], registers });
    this.conferences = new Gauge({ name: 'parley_conferences_active', help: 'Conferences with someone in the bridge (from the database)', registers });
    this.participants = new Gauge({ name: 'parley_participants_connected', help: 'Participants in a conference bridge, connected or on hold (from the database)', registers });
    this.webhookQueue = new Gauge({ name: 'parley_webhook_queue_depth', help: 'Webhook deliveries waiting to be sent (first try or retry)', registers });
    this.pool = options.pool && {
      connections: new Gauge({ name: 'parley_db_pool_connections', help: 'Database connections open in the pool', registers }),
      idle: new Gauge({ name: 'parley_db_pool_idle', help: 'Open database connections not in use', registers }),
      waiting: new Gauge({ name: 'parley_db_pool_waiting', help: 'Queries waiting for a database connection', registers }),
    };
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  call(): CallMetrics {
    return new FollowedCall(this.stages, this.failures, (seconds) => {
      this.joins.inc();
      this.joinLatency.observe(seconds);
    });
  }

  timer(operation: string): (seconds: number) => void {
    let timer = this.timers.get(operation);
    if (!timer) {
      this.ariRequests.zero({ operation });
      const child = this.ariRequests.labels(operation);
      timer = (seconds) => child.observe(seconds);
      this.timers.set(operation, timer);
    }
    return timer;
  }

  counter(type: string): () => void {
    let count = this.eventCounters.get(type);
    if (!count) {
      const child = this.ariEvents.labels(type);
      count = () => child.inc();
      this.eventCounters.set(type, count);
    }
    return count;
  }

  /**
   * The exposition text. The pool is read as the scrape arrives, before the scrape's own query takes a
   * connection; the database figures are that one query, and keep their last values when it fails.
   */
  async render(): Promise<string> {
    const { pool } = this.options;
    if (pool && this.pool) {
      this.pool.connections.set(pool.totalCount);
      this.pool.idle.set(pool.idleCount);
      this.pool.waiting.set(pool.waitingCount);
    }
    if (this.options.counts) {
      try {
        const counts = await this.options.counts();
        this.conferences.set(counts.conferences);
        this.participants.set(counts.participants);
        this.webhookQueue.set(counts.webhookQueue);
      } catch (error) {
        this.options.log?.warn({ err: String(error) }, 'metrics: database counts unavailable');
      }
    }
    return this.registry.metrics();
  }
}

function byName<K extends string, V>(names: readonly K[], make: (name: K) => V): Record<K, V> {
  return Object.fromEntries(names.map((name) => [name, make(name)])) as Record<K, V>;
}

class FollowedCall implements CallMetrics {
  private current: Step | undefined;
  private settled = false;
  private over = false;

  constructor(
    private readonly stages: Record<CallStage, Step>,
    private readonly failures: Record<JoinFailure, { inc(): void }>,
    private readonly onJoined: (seconds: number) => void,
  ) {}

  stage(stage: CallStage): void {
    if (this.over) return;
    this.current?.dec();
    this.current = this.stages[stage];
    this.current.inc();
  }

  joined(latencyMs: number): void {
    if (this.settled) return;
    this.settled = true;
    this.onJoined(Math.max(0, latencyMs) / 1000);
  }

  failed(cause: JoinFailure): void {
    if (this.settled) return;
    this.settled = true;
    this.failures[cause].inc();
  }

  end(): void {
    this.over = true;
    this.current?.dec();
    this.current = undefined;
  }
}

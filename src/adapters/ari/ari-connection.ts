import ari from 'ari-client';
import { createRequire } from 'node:module';
import type { Log } from '../../ports/log.js';
import type { RequestTimings } from '../../ports/metrics.js';
import type { AriEvent, AriRest } from './ari-rest.js';
import { timedAriRest } from './ari-timing.js';
import { AriHttp } from './ari-http.js';
import { withHotPath } from './ari-hot-path.js';
import { runInBackground } from '../../ports/background.js';

export interface AriSettings {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly app: string;
  /** The PJSIP endpoint calls to numbers leave through (default `gateway`). */
  readonly gatewayEndpoint: string;
}

export interface AriConnectionHandlers {
  /** The event types `onEvent` handles; Asterisk is asked to send only these. */
  readonly eventTypes: readonly string[];
  onEvent(event: AriEvent): void;
  /** Every time the event socket opens, first time included: events may have been missed. */
  onConnected(): Promise<void>;
}

const HEARTBEAT_MS = 5_000;
const PONG_DEADLINE_MS = 15_000;
const MAX_BACKOFF_MS = 10_000;
/** How long one connect (the API documents, then the client) may take before it is tried again. */
const CONNECT_LIMIT_MS = 20_000;
/** Between two attempts to open the event socket again once it was up: a short cut must cost callers' control little. */
const SOCKET_RETRY_MAX_MS = 1_000;

/**
 * ari-client reconnects with backoff-func's defaults (100 ms doubling to 10 s): after a cut of a few
 * seconds it waited up to 10 s more. Its backoff is not configurable, so cap the delay where ari-client
 * takes it from; the retry count stays (ari-client then reports WebSocketMaxRetries, handled below).
 */
function capAriClientBackoff(): void {
  const fromAriClient = createRequire(createRequire(import.meta.url).resolve('ari-client'));
  const backoff = fromAriClient('backoff-func') as { create(opts?: { delay?: number; maxDelay?: number }): unknown; capped?: true };
  if (backoff.capped) return;
  const create = backoff.create.bind(backoff);
  backoff.create = (opts = {}) => create({ ...opts, maxDelay: Math.min(opts.maxDelay ?? SOCKET_RETRY_MAX_MS, SOCKET_RETRY_MAX_MS) });
  backoff.capped = true;
}
capAriClientBackoff();

type Client = Awaited<ReturnType<typeof ari.connect>>;
interface ClientInternals {
  _ws?: { readyState: number; terminate(): void };
  _swagger: { apis: { events: { models: Record<string, unknown> } } };
}

/**
 * Owns the one ari-client connection and keeps it alive forever. ari-client gives up reconnecting
 * after about 43 s and has no heartbeat; this supervisor restarts it with backoff and pings it.
 */
export class AriConnection {
  private client: Client | undefined;
  /** The client's REST resources as parley uses them (timed, when metrics are kept). */
  private timed: AriRest | undefined;
  private connected = false;
  private stopped = false;
  private lastPong = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private restarts = 0;
  /** Every caller's requests, beside ari-client (see ari-hot-path.ts). */
  private readonly http: AriHttp;

  constructor(
    private readonly settings: AriSettings,
    private readonly handlers: AriConnectionHandlers,
    private readonly log: Log,
    private readonly timings?: RequestTimings,
  ) {
    this.http = new AriHttp(settings.url, settings.username, settings.password);
  }

  get rest(): AriRest | undefined {
    return this.timed;
  }

  isUp(): boolean {
    return this.connected;
  }

  /** Connects in the background; resolves at once. */
  start(): void {
    process.on('uncaughtException', this.swaggerLoadFailure);
    runInBackground(this.log, 'ARI connect', this.connect(0));
  }

  /**
   * swagger-client rethrows a failed API-document load from inside an HTTP callback, after ari-client
   * has already rejected connect() for it. That one throw is expected; anything else still ends the process.
   */
  private readonly swaggerLoadFailure = (error: unknown) => {
    if (typeof error === 'string' && error.includes('/ari/api-docs/')) {
      this.log.warn({ err: error }, 'ARI API documents did not load; retrying');
      return;
    }
    console.error(error);
    process.exit(1);
  };

  stop(): void {
    this.stopped = true;
    process.off('uncaughtException', this.swaggerLoadFailure);
    clearInterval(this.heartbeat);
    clearTimeout(this.retry);
    this.http.close();
    try {
      this.client?.stop();
    } catch {
      // the socket may never have opened
    }
  }

  private async connect(attempt: number): Promise<void> {
    if (this.stopped) return;
    try {
      // swagger-client throws (uncaught) when it cannot load the API documents: only connect to an ARI that answers.
      await this.probe();
      const client = await withinConnectLimit(quietly(() => ari.connect(this.settings.url, this.settings.username, this.settings.password)));
      this.client = client;
      this.timed = timedAriRest(withHotPath(client as unknown as AriRest, this.http), this.timings);
      this.listen(client);
      // From here on the socket keeps itself alive (ari-client's retries, then restartSocket):
      // a rejected first start must not start a second client beside this one.
      client.start(this.settings.app).catch(() => undefined);
    } catch (error) {
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt);
      this.log.warn({ err: String(error), retryInMs: delay }, 'ARI not reachable');
      this.retry = setTimeout(() => runInBackground(this.log, 'ARI connect', this.connect(attempt + 1)), delay);
    }
  }

  private async probe(): Promise<void> {
    const authorization = `Basic ${Buffer.from(`${this.settings.username}:${this.settings.password}`).toString('base64')}`;
    const response = await fetch(`${this.settings.url}/ari/asterisk/ping`, { headers: { authorization }, signal: AbortSignal.timeout(5_000) });
    if (response.status === 401) throw new Error('ARI rejected the credentials (check ARI_USERNAME and ARI_PASSWORD)');
    if (!response.ok) throw new Error(`ARI answered ${response.status}`);
  }

  private listen(client: Client): void {
    (client as unknown as NodeJS.EventEmitter).on('*', (event: AriEvent) => {
      try {
        this.handlers.onEvent(event);
      } catch (error) {
        this.log.error({ err: error, type: event.type }, 'ARI event handler failed');
      }
    });
    client.on('pong', () => {
      this.lastPong = Date.now();
    });
    client.on('WebSocketConnected', () => {
      this.connected = true;
      this.restarts = 0;
      this.lastPong = Date.now();
      this.log.info({ app: this.settings.app }, 'ARI connected');
      runInBackground(this.log, 'ARI event filter', this.allowOnlyKnownEvents(client));
      this.handlers.onConnected().catch((error: unknown) => this.log.error({ err: error }, 'ARI resync failed'));
    });
    client.on('WebSocketReconnecting', () => {
      if (this.connected) this.log.warn({}, 'ARI socket lost, reconnecting');
      this.connected = false;
    });
    client.on('WebSocketMaxRetries', () => {
      this.connected = false;
      this.log.warn({}, 'ari-client gave up reconnecting; restarting its socket');
      this.restartSocket(client);
    });
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => this.beat(client), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * ari-client stops after its own retries (about 7 s of them); start its socket again, forever. Each
   * start that fails ends in WebSocketMaxRetries again, which comes back here: one chain, never two.
   */
  private restartSocket(client: Client): void {
    if (this.stopped) return;
    const delay = Math.min(SOCKET_RETRY_MAX_MS * 2, 250 * 2 ** this.restarts++);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      client.start(this.settings.app).catch(() => undefined);
    }, delay);
  }

  private beat(client: Client): void {
    const ws = (client as unknown as ClientInternals)._ws;
    if (!ws || ws.readyState !== 1) return;
    if (Date.now() - this.lastPong > PONG_DEADLINE_MS) {
      this.log.warn({}, 'ARI heartbeat missed, dropping the socket');
      ws.terminate();
      return;
    }
    client.ping();
  }

  /**
   * Asks Asterisk for the events parley acts on and no others: every other event costs Asterisk
   * and ari-client work per call. It also guards ari-client, which throws inside its socket handler
   * on an event type missing from the Swagger documents it loaded (an Asterisk upgraded underneath).
   */
  private async allowOnlyKnownEvents(client: Client): Promise<void> {
    const known = new Set(Object.keys((client as unknown as ClientInternals)._swagger.apis.events.models));
    const filter = { allowed: this.handlers.eventTypes.filter((type) => known.has(type)).map((type) => ({ type })) };
    try {
      await (client as unknown as { applications: { filter(p: object): Promise<unknown> } }).applications.filter({
        applicationName: this.settings.app,
        filter,
      });
    } catch (error) {
      this.log.warn({ err: String(error) }, 'could not set the ARI event filter');
    }
  }
}

/** ari-client's Swagger loader prints a deprecation notice on every connect; keep it out of the logs. */
/* eslint-disable no-console -- swapping console.log is the only way to silence a dependency's print */
/**
 * ari-client's connect loads Asterisk's API documents with no time limit: a request that never gets its
 * answer would leave parley down for good. Past the limit this attempt is given up (a client that
 * arrives later is stopped) and the next one starts.
 */
async function withinConnectLimit(connecting: Promise<Client>): Promise<Client> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`ARI connect took over ${CONNECT_LIMIT_MS} ms`)), CONNECT_LIMIT_MS);
  });
  try {
    return await Promise.race([connecting, limit]);
  } catch (error) {
    connecting.then((late) => late.stop(), () => undefined).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const original = console.log;
  console.log = (...args: unknown[]) => {
    if (!String(args[0]).includes('deprecated version of Swagger')) original(...args);
  };
  try {
    return await fn();
  } finally {
    console.log = original;
  }
}
/* eslint-enable no-console */

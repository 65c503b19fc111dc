import ari from 'ari-client';
import type { Log } from '../../ports/log.js';
import type { EventCounts, RequestTimings } from '../../ports/metrics.js';
import type { AriEvent, AriRest } from './ari-rest.js';
import { timedAriRest } from './ari-timing.js';
import { AriHttp } from './ari-http.js';
import { AriEventSocket } from './ari-events.js';
import { withHotPath } from './ari-hot-path.js';
import { runInBackground } from '../../ports/background.js';

export interface AriSettings {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly app: string;
  /** The PJSIP endpoint calls to numbers leave through (default `gateway`). */
  readonly gatewayEndpoint: string;
  /** The media node's name in a cluster (its Asterisk's systemname); unset on a single box. */
  readonly node?: string;
}

export interface AriConnectionHandlers {
  /** The event types `onEvent` handles; Asterisk is asked to send only these. */
  readonly eventTypes: readonly string[];
  onEvent(event: AriEvent): void;
  /** Every time the event socket opens, first time included: events may have been missed. */
  onConnected(): Promise<void>;
}

const MAX_BACKOFF_MS = 10_000;
/** How long one connect (the API documents, then the client) may take before it is tried again. */
const CONNECT_LIMIT_MS = 20_000;

type Client = Awaited<ReturnType<typeof ari.connect>>;
interface ClientInternals {
  _swagger: { apis: { events: { models: Record<string, unknown> } } };
}

/**
 * Owns parley's link to ARI and keeps it alive forever: ari-client (its API loaded once) for the
 * occasional request, plain HTTP for every caller's requests (ari-hot-path.ts), and the event socket
 * read directly (ari-events.ts), which reopens itself and is pinged.
 */
export class AriConnection {
  private client: Client | undefined;
  /** The client's REST resources as parley uses them (timed, when metrics are kept). */
  private timed: AriRest | undefined;
  private stopped = false;
  /** Whether the latest socket opening's resync has finished; a newer opening's resync supersedes it. */
  private resynced = false;
  private openings = 0;
  private retry: NodeJS.Timeout | undefined;
  /** Every caller's requests, beside ari-client (see ari-hot-path.ts). */
  private readonly http: AriHttp;
  private readonly events: AriEventSocket;

  constructor(
    private readonly settings: AriSettings,
    private readonly handlers: AriConnectionHandlers,
    private readonly log: Log,
    private readonly timings?: RequestTimings,
    private readonly counts?: EventCounts,
  ) {
    const authorization = basicAuthorization(settings);
    this.http = new AriHttp(settings.url, authorization);
    this.events = new AriEventSocket(settings.url, settings.app, authorization, {
      onOpen: () => this.opened(),
      onEvent: (event) => this.dispatch(event),
      onLost: (why) => this.log.warn({}, why === 'silent' ? 'ARI heartbeat missed, dropping the socket' : 'ARI socket lost, reconnecting'),
      onUnreadable: (error) => this.log.error({ err: error }, 'unreadable ARI event'),
    });
  }

  get rest(): AriRest | undefined {
    return this.timed;
  }

  /** Up once the event socket is open and the calls Asterisk kept have been adopted again. */
  isUp(): boolean {
    return this.events.isOpen() && this.resynced;
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
    clearTimeout(this.retry);
    this.events.close();
    this.http.close();
  }

  private async connect(attempt: number): Promise<void> {
    if (this.stopped) return;
    try {
      // swagger-client throws (uncaught) when it cannot load the API documents: only connect to an ARI that answers.
      await this.probe();
      const client = await withinConnectLimit(quietly(() => ari.connect(this.settings.url, this.settings.username, this.settings.password)));
      if (this.stopped) return;
      this.client = client;
      this.timed = timedAriRest(withHotPath(client as unknown as AriRest, this.http), this.timings);
      // From here on the event socket keeps itself open: the client is never loaded again.
      this.events.start();
    } catch (error) {
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt);
      this.log.warn({ err: String(error), retryInMs: delay }, 'ARI not reachable');
      this.retry = setTimeout(() => runInBackground(this.log, 'ARI connect', this.connect(attempt + 1)), delay);
    }
  }

  private async probe(): Promise<void> {
    const response = await fetch(`${this.settings.url}/ari/asterisk/ping`, {
      headers: { authorization: basicAuthorization(this.settings) },
      signal: AbortSignal.timeout(5_000),
    });
    if (response.status === 401) throw new Error('ARI rejected the credentials (check ARI_USERNAME and ARI_PASSWORD)');
    if (!response.ok) throw new Error(`ARI answered ${response.status}`);
  }

  private dispatch(event: AriEvent): void {
    this.counts?.counter(event.type)();
    try {
      this.handlers.onEvent(event);
    } catch (error) {
      this.log.error({ err: error, type: event.type }, 'ARI event handler failed');
    }
  }

  private opened(): void {
    this.log.info({ app: this.settings.app }, 'ARI connected');
    const client = this.client;
    if (client) runInBackground(this.log, 'ARI event filter', this.allowOnlyKnownEvents(client));
    const opening = ++this.openings;
    this.resynced = false;
    this.handlers
      .onConnected()
      .catch((error: unknown) => this.log.error({ err: error }, 'ARI resync failed'))
      .finally(() => {
        if (opening === this.openings) this.resynced = true;
      });
  }

  /**
   * Asks Asterisk for the events parley acts on and no others: every other event costs Asterisk and
   * parley work per call. Only the types this Asterisk's API documents list are named.
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

export function basicAuthorization({ username, password }: Pick<AriSettings, 'username' | 'password'>): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
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

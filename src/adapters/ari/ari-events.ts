import WebSocket from 'ws';
import type { AriEvent } from './ari-rest.js';

export interface EventSocketHandlers {
  /** Every time the socket opens, first time included. */
  onOpen(): void;
  onEvent(event: AriEvent): void;
  /** The socket that was open has closed, or was dropped for missing heartbeats (it is being opened again). */
  onLost(why: 'closed' | 'silent'): void;
  /** A message that is not an event (never seen from Asterisk). */
  onUnreadable(error: unknown): void;
}

const HEARTBEAT_MS = 5_000;
const PONG_DEADLINE_MS = 15_000;
const FIRST_RETRY_MS = 100;
/** A short cut must cost callers' control little: retry at least once a second, forever. */
const MAX_RETRY_MS = 1_000;

/**
 * Asterisk's event socket for parley's Stasis app, read directly: each message is parsed once and handed
 * on as plain JSON. (ari-client also looked up the event's Swagger model and built a resource object, with
 * all its operations attached, for every channel, bridge and playback an event named.) Reopened forever
 * until closed, pinged, and dropped when Asterisk stops answering the pings.
 */
export class AriEventSocket {
  private ws: WebSocket | undefined;
  private opened = false;
  private closed = true;
  private attempt = 0;
  private lastPong = 0;
  private silent = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private readonly url: string;

  constructor(
    ariUrl: string,
    app: string,
    private readonly authorization: string,
    private readonly handlers: EventSocketHandlers,
  ) {
    const base = new URL(ariUrl);
    base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    this.url = `${base.origin}${base.pathname.replace(/\/$/, '')}/ari/events?app=${encodeURIComponent(app)}&subscribeAll=false`;
  }

  isOpen(): boolean {
    return this.opened;
  }

  start(): void {
    if (!this.closed) return;
    this.closed = false;
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.connect();
  }

  close(): void {
    this.closed = true;
    this.opened = false;
    clearInterval(this.heartbeat);
    clearTimeout(this.retry);
    this.ws?.terminate();
    this.ws = undefined;
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.url, { headers: { authorization: this.authorization }, perMessageDeflate: false });
    this.ws = ws;
    ws.on('open', () => {
      this.attempt = 0;
      this.lastPong = Date.now();
      this.opened = true;
      this.handlers.onOpen();
    });
    ws.on('message', (data: Buffer) => {
      let event: AriEvent;
      try {
        event = JSON.parse(data.toString()) as AriEvent;
      } catch (error) {
        this.handlers.onUnreadable(error);
        return;
      }
      this.handlers.onEvent(event);
    });
    ws.on('pong', () => (this.lastPong = Date.now()));
    // A refused or broken socket ends in 'close' as well, which is where it is opened again.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      if (this.opened) {
        this.opened = false;
        this.handlers.onLost(this.silent ? 'silent' : 'closed');
      }
      this.silent = false;
      if (this.closed) return;
      const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.attempt++);
      this.retry = setTimeout(() => this.connect(), delay);
    });
  }

  private beat(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastPong > PONG_DEADLINE_MS) {
      this.silent = true;
      ws.terminate();
      return;
    }
    ws.ping();
  }
}

import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { SIP_WEBSOCKET_PATH } from '../../conferences/browser-audio.js';

/** SIP messages are a few kilobytes; anything far larger is not SIP. */
const MAX_MESSAGE_BYTES = 64 * 1024;
/** Messages held while the connection to Asterisk opens (a browser sends one INVITE, then waits). */
const MAX_WAITING = 16;

export interface SipWebSocketOptions {
  /** Asterisk's SIP WebSocket (its HTTP server's /ws, loopback only). */
  readonly target: string;
  /** Whether `username` is an endpoint parley made for a browser session that is still open. */
  readonly isBrowser: (username: string) => Promise<boolean>;
  readonly log: { warn(fields: object, message: string): void; debug(fields: object, message: string): void };
}

/**
 * Browsers' SIP (RFC 7118) reaches Asterisk through parley's own address: `/sip-ws` is passed through,
 * message for message, to Asterisk's WebSocket, so Asterisk's HTTP server stays on loopback and a
 * browser needs no second origin. Every request must come From one of the endpoints parley made for a
 * browser session (Asterisk then asks for its digest): Asterisk sees this relay's loopback address, and a
 * request it could not match by username would be matched by address, as the gateway's could be when the
 * gateway is on this host. Anything else closes the socket (1008). Both sides close together.
 */
export function passSipWebSocket(server: Server, options: SipWebSocketOptions): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false) });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://parley').pathname !== SIP_WEBSOCKET_PATH) return;
    wss.handleUpgrade(request, socket, head, (browser) => relay(browser, options));
  });
}

/** The user part of a SIP message's From header (full or compact form). */
function fromUser(message: string): string | undefined {
  return /^(?:From|f)[ \t]*:[^\r\n]*?sips?:([^@;>\s]+)@/im.exec(message)?.[1];
}

function relay(browser: WebSocket, { target, isBrowser, log }: SipWebSocketOptions): void {
  if (browser.protocol !== 'sip') {
    browser.close(1002, 'the sip subprotocol is required');
    return;
  }
  const asterisk = new WebSocket(target, 'sip', { maxPayload: MAX_MESSAGE_BYTES });
  const waiting: RawData[] = [];
  const close = () => {
    if (browser.readyState === WebSocket.OPEN || browser.readyState === WebSocket.CONNECTING) browser.close();
    if (asterisk.readyState === WebSocket.OPEN || asterisk.readyState === WebSocket.CONNECTING) asterisk.terminate();
  };
  const forward = (data: RawData) => {
    if (asterisk.readyState === WebSocket.OPEN) asterisk.send(data, { binary: false });
    else if (waiting.push(data) > MAX_WAITING) close();
  };
  // Messages are checked in order (a lookup may be under way when the next arrives); a sender once
  // checked is remembered for the socket's life.
  const senders = new Set<string>();
  let checked = Promise.resolve();
  browser.on('message', (data, isBinary) => {
    // SIP over WebSocket is text; a binary frame is nobody's SIP.
    if (isBinary) return void browser.close(1003, 'SIP is sent as text');
    checked = checked.then(async () => {
      const text = data.toString();
      // Responses (to Asterisk's own requests) are not matched to an endpoint.
      if (text.startsWith('SIP/2.0 ')) return forward(data);
      const from = fromUser(text);
      if (from && (senders.has(from) || (await isBrowser(from).catch(() => false)))) {
        senders.add(from);
        return forward(data);
      }
      log.debug({ from }, 'a SIP request over the WebSocket from no browser session: closed');
      browser.close(1008, 'requests must come from a browser session');
    });
  });
  asterisk.on('open', () => {
    for (const data of waiting.splice(0)) asterisk.send(data, { binary: false });
  });
  asterisk.on('message', (data) => {
    if (browser.readyState === WebSocket.OPEN) browser.send(data, { binary: false });
  });
  asterisk.on('error', (error) => {
    log.warn({ err: String(error) }, 'the SIP WebSocket to Asterisk failed');
    close();
  });
  browser.on('error', (error) => log.debug({ err: String(error) }, 'a browser SIP WebSocket failed'));
  asterisk.on('close', close);
  browser.on('close', close);
}

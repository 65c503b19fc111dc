import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { AriEventSocket } from '../../../src/adapters/ari/ari-events.js';
import type { AriEvent } from '../../../src/adapters/ari/ari-rest.js';
import { eventually } from '../../support/eventually.js';

const BASIC = `Basic ${Buffer.from('parley:secret').toString('base64')}`;

/** A stand-in for Asterisk's event socket: records who connected, and lets the test send and drop. */
async function fakeAsterisk() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const sockets: WebSocket[] = [];
  const requests: Array<{ url: string; authorization: string | undefined }> = [];
  server.on('connection', (socket, request) => {
    sockets.push(socket);
    requests.push({ url: request.url ?? '', authorization: request.headers.authorization });
  });
  return { server, sockets, requests, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("parley's ARI event socket", () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const fn of cleanup.splice(0)) fn();
  });

  it('subscribes the app with Basic auth, hands on each event as parsed JSON, and reopens after a drop', async () => {
    const asterisk = await fakeAsterisk();
    const events: AriEvent[] = [];
    const seen = { opened: 0, lost: 0 };
    const socket = new AriEventSocket(asterisk.url, 'parley app', BASIC, {
      onOpen: () => seen.opened++,
      onEvent: (event) => events.push(event),
      onLost: () => seen.lost++,
      onUnreadable: () => undefined,
    });
    cleanup.push(() => socket.close(), () => asterisk.server.close());
    socket.start();
    await eventually(() => expect(socket.isOpen()).toBe(true), 2000);
    expect(asterisk.requests[0]).toEqual({ url: '/ari/events?app=parley%20app&subscribeAll=false', authorization: BASIC });

    asterisk.sockets[0]!.send(JSON.stringify({ type: 'ChannelDtmfReceived', digit: '5', channel: { id: 'c1' } }));
    await eventually(() => expect(events).toEqual([{ type: 'ChannelDtmfReceived', digit: '5', channel: { id: 'c1' } }]), 2000);

    asterisk.sockets[0]!.terminate();
    await eventually(() => expect(seen).toEqual({ opened: 2, lost: 1 }), 3000);
    expect(socket.isOpen()).toBe(true);
  });

  it('stays closed once closed', async () => {
    const asterisk = await fakeAsterisk();
    const socket = new AriEventSocket(asterisk.url, 'parley', BASIC, { onOpen: () => undefined, onEvent: () => undefined, onLost: () => undefined, onUnreadable: () => undefined });
    cleanup.push(() => asterisk.server.close());
    socket.start();
    await eventually(() => expect(socket.isOpen()).toBe(true), 2000);
    socket.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(asterisk.sockets).toHaveLength(1);
    expect(socket.isOpen()).toBe(false);
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AriBridges } from '../../../src/adapters/ari/ari-bridges.js';
import { AriHttp } from '../../../src/adapters/ari/ari-http.js';
import { withHotPath } from '../../../src/adapters/ari/ari-hot-path.js';
import type { AriRest } from '../../../src/adapters/ari/ari-rest.js';
import { CallEnded } from '../../../src/ports/telephony.js';
import { quietLog } from '../harness.js';
import { droppingAsterisk as asterisk } from '../../support/ari-standin.js';

/**
 * A stand-in for Asterisk's HTTP server answering with `answer(method, path, res, req)`; every request
 * is listed (method and path) in `requests`.
 */
async function scriptedAsterisk(answer: (method: string, path: string, res: ServerResponse, req: IncomingMessage) => void) {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/ari/, '').replace(/\?.*/, '');
    requests.push(`${req.method} ${path}`);
    answer(req.method ?? '', path, res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const http = new AriHttp(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'Basic x');
  const unused = new Proxy({}, { get: () => unused }) as unknown as AriRest;
  const close = async () => {
    http.close();
    await new Promise((resolve) => server.close(resolve));
  };
  return { requests, bridges: new AriBridges(() => withHotPath(unused, http), quietLog(), 'parley'), close };
}

describe('a conference bridge over ARI', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('sends a bridge request lost with the socket again, so a caller on the way in is not released for a blip', async () => {
    const server = await asterisk(2);
    close = server.close;
    const bridges = new AriBridges(() => server.rest, quietLog(), 'parley');
    await bridges.conference('c1').add('caller-1');
    expect(server.seen()).toBe(3);
  });

  it('does not add a caller again whose add reached Asterisk before the socket was cut (a second add takes them out)', async () => {
    const members: string[] = [];
    const asterisk = await scriptedAsterisk((method, path, res, req) => {
      if (method === 'POST' && path.endsWith('/addChannel')) {
        members.push('caller-1'); // Asterisk did it; the answer is lost with the socket.
        return req.socket.destroy();
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'parley-c1', channels: members }));
    });
    close = asterisk.close;
    const { bridges, requests } = asterisk;
    await bridges.conference('c1').add('caller-1');
    expect(requests).toEqual(['POST /bridges/parley-c1/addChannel', 'GET /bridges/parley-c1']);
    expect(members).toEqual(['caller-1']);
  });

  it('waits while ARI is not connected at all, and goes on once it is', async () => {
    const server = await asterisk(0);
    close = server.close;
    let connected = false;
    setTimeout(() => (connected = true), 500);
    const bridges = new AriBridges(() => (connected ? server.rest : undefined), quietLog(), 'parley');
    await bridges.conference('c1').open();
    expect(server.seen()).toBe(1);
  });

  it('makes a bridge destroyed a moment ago again and adds the caller: "Bridge not in Stasis application" is not a call gone', async () => {
    let made = false;
    const asterisk = await scriptedAsterisk((method, path, res) => {
      if (method === 'POST' && path === '/bridges/parley-call-1') {
        made = true;
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"parley-call-1"}');
      }
      if (!made) return res.writeHead(409, { 'content-type': 'application/json' }).end('{"message":"Bridge not in Stasis application"}');
      res.writeHead(204).end();
    });
    close = asterisk.close;
    const { bridges, requests } = asterisk;
    await bridges.conference('call-1').add('caller-1');
    expect(requests).toEqual(['POST /bridges/parley-call-1/addChannel', 'POST /bridges/parley-call-1', 'POST /bridges/parley-call-1/addChannel']);
  });

  it('takes Asterisk’s answer as final: a caller who hung up is CallEnded at once, not asked again', async () => {
    const server = await asterisk(0, 404, '{"message":"Channel not found"}');
    close = server.close;
    const bridges = new AriBridges(() => server.rest, quietLog(), 'parley');
    await expect(bridges.conference('c1').add('gone')).rejects.toBeInstanceOf(CallEnded);
    expect(server.seen()).toBe(1);
  });
});

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AriHttp, AriHttpError } from '../../../src/adapters/ari/ari-http.js';
import { withHotPath } from '../../../src/adapters/ari/ari-hot-path.js';
import { isCallGone, isGone, type AriRest } from '../../../src/adapters/ari/ari-rest.js';

const BASIC = `Basic ${Buffer.from('parley:secret').toString('base64')}`;

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
  socket: unknown;
}

/** A stand-in for Asterisk's HTTP server: records each request and answers as ARI does. */
describe('the ARI hot path over plain HTTP', () => {
  const seen: Seen[] = [];
  let server: Server;
  let http: AriHttp;
  let rest: AriRest;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body, socket: req.socket });
        if (req.url?.includes('/channels/gone')) {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Channel not found"}');
        } else if (req.url?.includes('/play')) {
          res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"pb-1","state":"queued"}');
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    http = new AriHttp(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, BASIC);
    const unused = new Proxy({}, { get: () => unused }) as unknown as AriRest;
    rest = withHotPath(unused, http);
  });

  afterAll(async () => {
    http.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends each hot operation as ARI expects it, with Basic auth, over one kept-alive socket', async () => {
    seen.length = 0;
    await rest.channels.answer({ channelId: 'c 1' });
    await rest.channels.setChannelVar({ channelId: 'c1', variable: 'TALK_DETECT(set)', value: '1200,256' });
    const playback = await rest.channels.play({ channelId: 'c1', media: ['sound:parley/welcome', 'recording:name x'], playbackId: 'p1', lang: 'fr_CA' });
    await rest.bridges.addChannel({ bridgeId: 'parley-7', channel: 'c1', absorbDTMF: true });
    await rest.channels.hangup({ channelId: 'c1', reason: 'normal' });
    expect(playback).toEqual({ id: 'pb-1', state: 'queued' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /ari/channels/c%201/answer',
      'POST /ari/channels/c1/variable?variable=TALK_DETECT(set)&value=1200%2C256',
      'POST /ari/channels/c1/play?media=sound%3Aparley%2Fwelcome,recording%3Aname%20x&lang=fr_CA&playbackId=p1',
      'POST /ari/bridges/parley-7/addChannel?channel=c1&absorbDTMF=true',
      'DELETE /ari/channels/c1?reason=normal',
    ]);
    expect(new Set(seen.map((s) => s.authorization))).toEqual(new Set([BASIC]));
    expect(new Set(seen.map((s) => s.socket)).size).toBe(1);
  });

  it("fails with Asterisk's answer as the message, so a gone channel reads as gone", async () => {
    const error = await rest.channels.answer({ channelId: 'gone' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AriHttpError);
    expect((error as AriHttpError).status).toBe(404);
    expect(isGone(error)).toBe(true);
    expect(isCallGone(error)).toBe(true);
  });

  it('rejects when Asterisk cannot be reached', async () => {
    const closed = new AriHttp('http://127.0.0.1:1', BASIC);
    await expect(closed.send('POST', '/channels/c1/answer')).rejects.toThrow(/ECONNREFUSED/);
    closed.close();
  });
});

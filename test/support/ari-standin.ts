// Stand-ins for Asterisk's ARI HTTP server, for unit tests of the ARI adapter's requests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AriHttp } from '../../src/adapters/ari/ari-http.js';
import { withHotPath } from '../../src/adapters/ari/ari-hot-path.js';
import type { AriRest } from '../../src/adapters/ari/ari-rest.js';

/**
 * A stand-in for Asterisk's HTTP server whose socket is cut for the first `drops` requests (as a blip
 * or an outage of parley's ARI connection does), then answers `status`.
 */
export async function droppingAsterisk(drops: number, status = 204, body = '') {
  let seen = 0;
  const server: Server = createServer((req, res) => {
    seen++;
    if (seen <= drops) return req.socket.destroy();
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const http = new AriHttp(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'Basic x');
  const unused = new Proxy({}, { get: () => unused }) as unknown as AriRest;
  const rest = withHotPath(unused, http);
  const close = async () => {
    http.close();
    await new Promise((resolve) => server.close(resolve));
  };
  return { rest, seen: () => seen, close };
}

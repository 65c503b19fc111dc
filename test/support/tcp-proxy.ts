// A TCP proxy a test can cut and restore, to take a server (PostgreSQL, ARI) away from parley
// without touching the real server other tests share.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './parley-process.js';

export interface TcpProxy {
  readonly port: number;
  /** Drops every open connection and refuses new ones (ECONNREFUSED), as a stopped server does. */
  cut(): Promise<void>;
  /** Drops every open connection but keeps accepting new ones, as a network blip does. */
  drop(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = createConnection(target);
        track(client);
        track(upstream);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const drop = () => {
    for (const socket of sockets) socket.destroy();
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const closing = server;
      server = undefined;
      drop();
      if (!closing) return resolve();
      closing.close(() => resolve());
    });

  await listen();
  return { port, cut: stop, drop, restore: () => (server ? Promise.resolve() : listen()), close: stop };
}

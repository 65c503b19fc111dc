import { Agent, request } from 'node:http';
import { REQUEST_TIMEOUT_MS } from './ari-rest.js';

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/**
 * A failed ARI request. Its message is Asterisk's response body, as ari-client's errors carry it, so the
 * same checks (isGone, isAlreadyThere, isCallGone) classify both.
 */
export class AriHttpError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(body || `ARI answered ${status}`);
  }
}

/**
 * Plain ARI REST over keep-alive HTTP: the hot path of every call (answer, play, bridge, mute, hang up).
 * ari-client sends each request through swagger-client and shred, which re-resolve the operation, encode
 * Basic auth anew (through a deprecated Buffer constructor) and build a resource object for each answer:
 * most of parley's own CPU in a join storm went there.
 */
export class AriHttp {
  /** Idle sockets are closed before Asterisk's session_keep_alive (15 s) would close them under a request. */
  private readonly agent = new Agent({ keepAlive: true, timeout: 10_000, scheduling: 'lifo' });
  private readonly host: string;
  private readonly port: number;
  private readonly base: string;
  private readonly authorization: string;
  /** `authorization`: the Authorization header's value (Basic). */
  constructor(url: string, authorization: string) {
    const parsed = new URL(url);
    this.host = parsed.hostname;
    this.port = Number(parsed.port || 80);
    this.base = `${parsed.pathname.replace(/\/$/, '')}/ari`;
    this.authorization = authorization;
  }

  /** Resolves with the parsed JSON answer (undefined for 204), rejects with AriHttpError for any other status. */
  send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query?: Query, body?: unknown): Promise<unknown> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { authorization: this.authorization };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const req = request({ agent: this.agent, host: this.host, port: this.port, method, path: this.base + path + queryString(query), headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) return reject(new AriHttpError(status, text));
          try {
            resolve(text === '' ? undefined : JSON.parse(text));
          } catch (error) {
            reject(error as Error);
          }
        });
      });
      req.on('error', reject);
      // The caller stops waiting at this limit (withTimeout); the request is given up too, so a stalled
      // Asterisk does not keep a socket per abandoned request.
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`ARI request timed out after ${REQUEST_TIMEOUT_MS} ms`)));
      req.end(payload);
    });
  }

  /** Closes the idle sockets; requests under way finish. */
  close(): void {
    this.agent.destroy();
  }
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  let text = '';
  for (const key in query) {
    const value = query[key];
    if (value === undefined) continue;
    // ARI takes several values of one parameter comma-separated (media=sound:a,sound:b).
    const encoded = typeof value === 'object' ? value.map(encodeURIComponent).join(',') : encodeURIComponent(value);
    text += `${text === '' ? '?' : '&'}${key}=${encoded}`;
  }
  return text;
}

/** A path segment (an id chosen by parley or Asterisk). */
export const segment = encodeURIComponent;

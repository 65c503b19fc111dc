import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { WebhookSender } from '../../ports/webhooks.js';
import type { DestinationPolicy } from './destination-policy.js';

const REFUSED = 'destination not allowed';

/** Why a request got no response, short and free of headers (they carry the signature). */
function reason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  const code = (error as { code?: unknown }).code;
  const text = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return text.slice(0, 200);
}

/** dns.lookup that refuses to hand the connection any address the policy does not allow. */
function guardedLookup(policy: DestinationPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      if (addresses.length === 0 || addresses.some((a) => policy.addressRefusal(a.address) !== undefined)) {
        return callback(Object.assign(new Error(REFUSED), { code: REFUSED }), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * Webhooks over node:http(s), connecting only to addresses the destination policy allows: an IP in the
 * URL is checked before connecting, a name at each lookup. Redirects are not followed: a receiver that
 * moved answers 3xx, which counts as a failure the administrator sees in the delivery list, rather than
 * parley posting signed events to wherever a Location header points.
 */
export function httpWebhookSender(policy: DestinationPolicy): WebhookSender {
  const lookup = guardedLookup(policy);
  return {
    post({ url, headers, body, timeoutMs }) {
      return new Promise((resolve) => {
        let target: URL;
        try {
          target = new URL(url);
        } catch {
          return resolve({ error: 'not a URL' });
        }
        const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
        if (isIP(host) !== 0 && policy.addressRefusal(host) !== undefined) return resolve({ error: REFUSED });
        const transport = target.protocol === 'https:' ? https : http;
        const request = transport.request(
          target,
          { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, signal: AbortSignal.timeout(timeoutMs), agent: false },
          (response) => {
            // Only the status matters; drop the connection without reading what the receiver said.
            resolve({ status: response.statusCode ?? 0 });
            response.destroy();
          },
        );
        request.on('error', (error) => resolve({ error: reason(error) }));
        request.end(body);
      });
    },
  };
}

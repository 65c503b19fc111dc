import type pg from 'pg';
import { buildHttp, type HttpApp, type HttpOptions } from '../../src/adapters/http/app.js';
import type { Telephony } from '../../src/ports/telephony.js';
import { createServices, type ServiceOptions } from '../../src/services.js';

export const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/** No calls are up in API tests: what the API does to calls is proven end to end. */
export const noCalls: Telephony = {
  onCall() {},
  onSynced() {},
  bridge: () => {
    throw new Error('no bridge in API tests');
  },
  call: () => undefined,
  isUp: () => false,
  liveCallIds: () => new Set(),
};

/** The real services on a real database, behind the real HTTP app (not listening; inject into it). */
export function apiApp(pool: pg.Pool, serviceToken: string, options: Partial<ServiceOptions> & Partial<HttpOptions> = {}): Promise<HttpApp> {
  const services = createServices({ pool, telephony: noCalls, log: silentLog, serviceToken, ...options });
  return buildHttp(services, { logger: false, ...(options.signInLimit ? { signInLimit: options.signInLimit } : {}) });
}

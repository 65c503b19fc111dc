// End-to-end files run side by side against the one Asterisk. Each file is a slot (vitest's worker
// number): its own Stasis app, which its SIPp callers name in an X-Parley-App header, its own gateway
// endpoint for the calls its parley places (gateway-test-K → its SIPp phones on 5070 + 2K), and its own
// SIP and RTP port ranges. scripts/asterisk.sh renders those endpoints when PARLEY_TEST_SLOTS is set
// (vitest.config.ts sets it; asterisk-config/render-gateway.sh). Outside vitest (a bench, `npm run call`)
// there is no slot: the plain `parley` app, the `gateway` endpoint and the original ports.
import { randomBytes } from 'node:crypto';

export const TEST_SLOTS = Number(process.env.PARLEY_TEST_SLOTS ?? 0);
const worker = Number(process.env.VITEST_POOL_ID ?? 0);
/** 1..TEST_SLOTS inside a test run, 0 outside one. */
export const slot = TEST_SLOTS > 0 && worker >= 1 ? ((worker - 1) % TEST_SLOTS) + 1 : 0;

/** This file's Stasis app: fresh per file, so a parley left from an earlier file can never take its calls. */
export const testApp = slot > 0 ? `parley-t${slot}-${randomBytes(3).toString('hex')}` : 'parley';

/** What this file's parley processes need to take its calls and place calls to its phones. */
export const slotEnv: Record<string, string> = slot > 0 ? { ARI_APP: testApp, GATEWAY_ENDPOINT: `gateway-test-${slot}` } : {};

/** The SIP header a test caller sends so the dialplan hands the call to this file's app ('' outside a slot). */
export const appHeader = slot > 0 ? `X-Parley-App: ${testApp}\n` : '';

/** Where this file's SIPp phones listen: the contact of its gateway-test endpoint. */
export const phonesPort = slot > 0 ? 5070 + 2 * slot : 5070;

/** SIP ports for this file's callers and devices: a block of 400 per slot (media ports are +10000). */
const callerBase = slot > 0 ? 40000 + slot * 400 : 21000 + (process.pid % 200) * 40;
let nextCallerPort = callerBase;
export function callerPorts(): number {
  const port = nextCallerPort;
  nextCallerPort = nextCallerPort + 4 >= callerBase + 400 ? callerBase : nextCallerPort + 4;
  return port;
}

// End-to-end files run side by side against the one Asterisk. Each file holds a slot while it runs: its
// own Stasis app, which its SIPp callers name in an X-Parley-App header, its own gateway
// endpoint for the calls its parley places (gateway-test-K → its SIPp phones on 5070 + 2K), and its own
// SIP and RTP port ranges. scripts/asterisk.sh renders those endpoints when PARLEY_TEST_SLOTS is set
// (vitest.config.ts sets it; asterisk-config/render-gateway.sh). Outside vitest (a bench, `npm run call`)
// there is no slot: the plain `parley` app, the `gateway` endpoint and the original ports.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';

export const TEST_SLOTS = Number(process.env.PARLEY_TEST_SLOTS ?? 0);
const LOCKS = '/tmp/parley-test-slots';

/**
 * Claims a free slot for this file's process: a lock file per slot holding the owner's pid, taken over
 * when that process is gone. (vitest's VITEST_POOL_ID is not unique among workers running at once.)
 */
function claimSlot(): number {
  mkdirSync(LOCKS, { recursive: true });
  for (let attempt = 0; attempt < 600; attempt++) {
    for (let k = 1; k <= TEST_SLOTS; k++) {
      const lock = `${LOCKS}/${k}`;
      try {
        const fd = openSync(lock, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        process.once('exit', () => {
          try {
            if (readFileSync(lock, 'utf8') === String(process.pid)) unlinkSync(lock);
          } catch {
            // already taken over
          }
        });
        return k;
      } catch {
        const owner = readOr(lock);
        // An empty lock is one being written this instant, unless it has stayed empty for a while.
        const stale = owner === '' ? ageMs(lock) > 2000 : !alive(Number(owner));
        if (stale) {
          // Only one process wins the rename of a stale lock; it then retries the slot with everyone else.
          try {
            renameSync(lock, `${lock}.stale.${process.pid}`);
            unlinkSync(`${lock}.stale.${process.pid}`);
          } catch {
            // someone else took it over first
          }
        }
      }
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  throw new Error(`no free test slot in ${LOCKS} after a minute: are more than ${TEST_SLOTS} files running at once?`);
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** 1..TEST_SLOTS inside a test run, 0 outside one (a bench, `npm run call`). */
export const slot = TEST_SLOTS > 0 && process.env.VITEST_POOL_ID !== undefined ? claimSlot() : 0;

/** This file's Stasis app: fresh per file, so a parley left from an earlier file can never take its calls. */
export const testApp = slot > 0 ? `parley-t${slot}-${randomBytes(3).toString('hex')}` : 'parley';

/** What this file's parley processes need to take its calls and place calls to its phones. */
export const slotEnv: Record<string, string> = slot > 0 ? { ARI_APP: testApp, GATEWAY_ENDPOINT: `gateway-test-${slot}` } : {};

/** The SIP header a test caller sends so the dialplan hands the call to this file's app ('' outside a slot). */
export const appHeader = slot > 0 ? `X-Parley-App: ${testApp}\n` : '';

/** Where this file's SIPp phones listen: the contact of its gateway-test endpoint. */
export const phonesPort = slot > 0 ? 5070 + 2 * slot : 5070;
/** Their RTP: SIPp takes this port and the next-but-one (video), so phones on 5070 + 2K get 25070 + 4K. */
export const phonesMediaPort = (port: number): number => 25070 + 2 * (port - 5070);

/** A SIPp's RTP port is its SIP port + this (all below Linux's ephemeral ports, which start at 32768). */
export const MEDIA_OFFSET = 8000;

/** SIP ports for this file's callers and devices: a block of 300 per slot, 22000-24399. */
const callerBase = slot > 0 ? 22000 + (slot - 1) * 300 : 16000 + (process.pid % 100) * 40;
let nextCallerPort = callerBase;
/**
 * The next port of the block whose SIP and RTP ports nobody holds: a SIPp of the file that had this slot
 * before may still be on its way out (SIPp once failed "Unable to bind main socket", errno 98).
 */
export function callerPorts(): number {
  const taken = udpPortsInUse();
  for (let tries = 0; tries < 75; tries++) {
    const port = nextCallerPort;
    nextCallerPort = nextCallerPort + 4 >= callerBase + 300 ? callerBase : nextCallerPort + 4;
    if (![port, port + MEDIA_OFFSET, port + MEDIA_OFFSET + 2].some((p) => taken.has(p))) return port;
  }
  throw new Error(`every caller port of slot ${slot} (${callerBase}-${callerBase + 299}) is in use`);
}

/** Local UDP ports bound on this machine now (IPv4 and IPv6). */
function udpPortsInUse(): Set<number> {
  const ports = new Set<number>();
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    for (const line of readOr(file).split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      if (local) ports.add(parseInt(local.split(':').pop()!, 16));
    }
  }
  return ports;
}

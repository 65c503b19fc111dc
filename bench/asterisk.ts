// The bench's view of the one Asterisk: its ARI (for events and channel counts), its process (for CPU),
// and the checks that stop a run at once when something it needs is missing.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { alive } from './proc.js';

/** The native reference's access number (asterisk-config/extensions.conf, [native-reference]). */
export const NATIVE_NUMBER = 'native-reference';

/** A setup problem: the bench stops with this message and a non-zero exit, before measuring anything. */
export class SetupError extends Error {}

export const ariUrl = (): string => process.env.ARI_URL ?? 'http://127.0.0.1:8088';
const credentials = (): string => `${process.env.ARI_USERNAME}:${process.env.ARI_PASSWORD}`;
export const ariEventsUrl = (app: string): string =>
  `${ariUrl().replace(/^http/, 'ws')}/ari/events?app=${encodeURIComponent(app)}&api_key=${encodeURIComponent(credentials())}`;

export async function ari<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${ariUrl()}/ari${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(credentials()).toString('base64')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`ARI ${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const asteriskRoot = (): string => process.env.PARLEY_ASTERISK_ROOT ?? '/var/cache/parley/asterisk-root';

export function asteriskPid(): number {
  const file = `${asteriskRoot()}/run/asterisk/asterisk.pid`;
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8'));
  } catch {
    throw new SetupError(`Asterisk is not running (no ${file}): start it with 'npm run asterisk -- up'`);
  }
  if (!alive(pid)) throw new SetupError(`Asterisk is not running (pid ${pid} from ${file} is gone): start it with 'npm run asterisk -- up'`);
  return pid;
}

/** Calls on the SIP gateway (the bench's callers, and any other test's): the bench waits for none before a storm. */
export async function gatewayChannels(): Promise<number> {
  const channels = await ari<Array<{ name: string }>>('GET', '/channels');
  return channels.filter((channel) => channel.name.startsWith('PJSIP/gateway-')).length;
}

const asteriskScript = fileURLToPath(new URL('../scripts/asterisk.sh', import.meta.url));
export const cli = (command: string): string | undefined => {
  const run = spawnSync('bash', [asteriskScript, 'cli', command], { encoding: 'utf8', timeout: 10_000 });
  return run.status === 0 ? run.stdout : undefined;
};

/** Everything the bench needs, checked before it starts: SIPp, Asterisk and its ARI, the native reference. */
export async function preflight(): Promise<{ asteriskVersion: string }> {
  const sipp = spawnSync('sipp', ['-v'], { encoding: 'utf8' });
  if (sipp.error) throw new SetupError(`SIPp is missing (${sipp.error.message}): install Debian's sip-tester (scripts/host-deps.sh)`);
  if (!process.env.ARI_USERNAME || !process.env.ARI_PASSWORD) throw new SetupError('ARI_USERNAME and ARI_PASSWORD must be set (see .env.example)');
  asteriskPid();
  let info: { system?: { version?: string } };
  try {
    const response = await fetch(`${ariUrl()}/ari/asterisk/info`, {
      headers: { authorization: `Basic ${Buffer.from(credentials()).toString('base64')}` },
    });
    if (response.status === 401) throw new SetupError(`ARI refused ARI_USERNAME '${process.env.ARI_USERNAME}' and its password (401): compare with ari.conf in the Asterisk root`);
    if (!response.ok) throw new SetupError(`ARI answered ${response.status} at ${ariUrl()}/ari/asterisk/info`);
    info = (await response.json()) as typeof info;
  } catch (error) {
    if (error instanceof SetupError) throw error;
    throw new SetupError(`ARI does not answer at ${ariUrl()} (${String(error)}): is Asterisk up? 'npm run asterisk -- up'`);
  }
  checkNativeReference();
  return { asteriskVersion: info.system?.version ?? 'unknown' };
}

/**
 * The native reference must be in the dialplan context the gateway's calls land in, and ConfBridge loaded.
 * Where the Asterisk CLI cannot be reached (not root), the warm-up call finds out instead (storm.ts).
 */
function checkNativeReference(): void {
  const endpoint = cli('pjsip show endpoint gateway');
  if (endpoint === undefined) return;
  const context = /^\s*context\s*:\s*(\S+)/m.exec(endpoint)?.[1];
  if (!context) throw new SetupError(`the PJSIP endpoint 'gateway' is missing: run 'npm run asterisk -- up' from this checkout`);
  const dialplan = cli(`dialplan show ${NATIVE_NUMBER}@${context}`) ?? '';
  if (!dialplan.includes(`'${NATIVE_NUMBER}'`)) {
    throw new SetupError(
      `the native reference access number '${NATIVE_NUMBER}' is missing from the gateway's context ${context}: ` +
        `install this checkout's asterisk-config/ with 'npm run asterisk -- up'`,
    );
  }
  if (!/app_confbridge\.so.*Running/.test(cli('module show like app_confbridge') ?? '')) {
    throw new SetupError(`app_confbridge.so is not loaded: 'npm run asterisk -- up' restarts Asterisk when modules.conf changed (only while no call is up)`);
  }
}

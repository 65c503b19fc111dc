// Test-side ARI access for what only a test needs: recording a bridge to measure its audio,
// listing channels. parley itself talks to ARI only through its adapter.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const base = () => `${process.env.ARI_URL ?? 'http://127.0.0.1:8088'}/ari`;
const auth = () => `Basic ${Buffer.from(`${process.env.ARI_USERNAME}:${process.env.ARI_PASSWORD}`).toString('base64')}`;
const asteriskRoot = () => process.env.PARLEY_ASTERISK_ROOT ?? '/var/cache/parley/asterisk-root';

export async function ari<T = any>(method: string, path: string): Promise<T> {
  const response = await fetch(base() + path, { method, headers: { authorization: auth() } });
  const text = await response.text();
  if (!response.ok) throw new Error(`ARI ${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function channelIds(): Promise<string[]> {
  return (await ari<Array<{ id: string }>>('GET', '/channels')).map((c) => c.id);
}

export interface AudioStats {
  readonly rmsDb: number;
  readonly maxLevel: number;
}

/** Records the bridge's mix for `ms` and measures it with sox. */
export async function recordBridge(bridgeId: string, ms: number): Promise<AudioStats> {
  const name = `test-${bridgeId}-${Date.now()}`;
  await ari('POST', `/bridges/${bridgeId}/record?name=${name}&format=wav&ifExists=overwrite`);
  await new Promise((resolve) => setTimeout(resolve, ms));
  await ari('POST', `/recordings/live/${name}/stop`);
  const file = join(asteriskRoot(), 'var/spool/asterisk/recording', `${name}.wav`);
  const sox = spawnSync('sox', [file, '-n', 'stats'], { encoding: 'utf8' });
  return parseSoxStats(sox.stderr);
}

function parseSoxStats(text: string): AudioStats {
  const value = (label: string) => {
    const match = new RegExp(`^${label}\\s+(-?[\\d.]+|-inf)`, 'm').exec(text);
    if (!match?.[1]) throw new Error(`sox stats without "${label}":\n${text}`);
    return match[1] === '-inf' ? -Infinity : Number(match[1]);
  };
  return { rmsDb: value('RMS lev dB'), maxLevel: value('Max level') };
}

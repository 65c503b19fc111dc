// Test-side ARI access for what only a test needs: recording a bridge to measure its audio,
// listing channels. parley itself talks to ARI only through its adapter.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testApp } from './test-slot.js';

const base = () => `${process.env.ARI_URL ?? 'http://127.0.0.1:8088'}/ari`;
const auth = () => `Basic ${Buffer.from(`${process.env.ARI_USERNAME}:${process.env.ARI_PASSWORD}`).toString('base64')}`;
const asteriskRoot = () => process.env.PARLEY_ASTERISK_ROOT ?? '/var/cache/parley/asterisk-root';

export async function ari<T = any>(method: string, path: string): Promise<T> {
  const response = await fetch(base() + path, { method, headers: { authorization: auth() } });
  const text = await response.text();
  if (!response.ok) throw new Error(`ARI ${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The channels of this file's parley (its Stasis app): other files' calls share the Asterisk. */
export async function channelIds(): Promise<string[]> {
  const channels = await ari<Array<{ id: string; dialplan?: { app_data?: string } }>>('GET', '/channels');
  return channels.filter((c) => c.dialplan?.app_data?.startsWith(`${testApp},`)).map((c) => c.id);
}

export interface AudioStats {
  readonly rmsDb: number;
  /** The loudest 50 ms of the recording (sox's RMS Pk): speech with pauses in it still shows. */
  readonly peakRmsDb: number;
  readonly maxLevel: number;
  /** Where the loudest sample lies, in ms from the start of the recording (what a failure needs to say). */
  readonly loudestAtMs: number;
}

/** Records the bridge's mix for `ms` and measures it with sox, from `skipMs` into the recording. */
export async function recordBridge(bridgeId: string, ms: number, { skipMs = 0, band }: { skipMs?: number; band?: readonly [number, number] } = {}): Promise<AudioStats> {
  const name = `test-${bridgeId}-${Date.now()}`;
  await ari('POST', `/bridges/${bridgeId}/record?name=${name}&format=wav&ifExists=overwrite`);
  await new Promise((resolve) => setTimeout(resolve, ms));
  await ari('POST', `/recordings/live/${name}/stop`);
  return measure(name, skipMs, band);
}

/**
 * Records what Asterisk sends to one call (a snoop on its way out, which enters `app`, an ARI app the
 * test has open) for `ms`, and measures it with sox: what that caller hears.
 */
export async function recordHeardBy(channelId: string, app: string, ms: number): Promise<AudioStats> {
  const snoop = await ari<{ id: string }>('POST', `/channels/${channelId}/snoop?spy=out&app=${encodeURIComponent(app)}`);
  const name = `test-heard-${channelId}-${Date.now()}`;
  try {
    // The snoop enters the app a moment after it is made: until then Asterisk answers 409 "not in Stasis".
    for (let waited = 0; ; waited += 100) {
      try {
        await ari('POST', `/channels/${snoop.id}/record?name=${name}&format=wav&ifExists=overwrite`);
        break;
      } catch (error) {
        if (waited >= 3000 || !String(error).includes('409')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await new Promise((resolve) => setTimeout(resolve, ms));
    await ari('POST', `/recordings/live/${name}/stop`);
  } finally {
    await ari('DELETE', `/channels/${snoop.id}`).catch(() => undefined);
  }
  return measure(name, 0);
}

/** `band`: only what lies between these frequencies (Hz) counts (one caller's tone among others). */
async function measure(name: string, skipMs: number, band?: readonly [number, number]): Promise<AudioStats> {
  const file = join(asteriskRoot(), 'var/spool/asterisk/recording', `${name}.wav`);
  // Asterisk writes the WAV header's length when it closes the file, a moment after the stop is
  // answered (longer when the machine is busy): until then sox reads no audio at all.
  for (let waited = 0; ; waited += 100) {
    const effects = [...(skipMs > 0 ? ['trim', String(skipMs / 1000)] : []), ...(band ? ['sinc', `${band[0]}-${band[1]}`] : []), 'stats'];
    const sox = spawnSync('sox', [file, '-n', ...effects], { encoding: 'utf8' });
    if (!/no audio/.test(sox.stderr) || waited >= 3000) return { ...parseSoxStats(sox.stderr), loudestAtMs: loudestAtMs(file, skipMs) };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Where the loudest sample after `skipMs` of a 16-bit PCM WAV (Asterisk's recordings) lies, in ms from its start. */
function loudestAtMs(file: string, skipMs: number): number {
  const wav = readFileSync(file);
  const rate = wav.readUInt32LE(24);
  let offset = 12;
  while (offset + 8 <= wav.length && wav.toString('latin1', offset, offset + 4) !== 'data') offset += 8 + wav.readUInt32LE(offset + 4);
  let loudest = 0;
  let at = 0;
  for (let i = offset + 8 + 2 * Math.floor((skipMs * rate) / 1000); i + 1 < wav.length; i += 2) {
    const level = Math.abs(wav.readInt16LE(i));
    if (level > loudest) [loudest, at] = [level, (i - offset - 8) / 2];
  }
  return Math.round((at / rate) * 1000);
}

function parseSoxStats(text: string): Omit<AudioStats, 'loudestAtMs'> {
  const value = (label: string) => {
    const match = new RegExp(`^${label}\\s+(-?[\\d.]+|-inf)`, 'm').exec(text);
    if (!match?.[1]) throw new Error(`sox stats without "${label}":\n${text}`);
    return match[1] === '-inf' ? -Infinity : Number(match[1]);
  };
  return { rmsDb: value('RMS lev dB'), peakRmsDb: value('RMS Pk dB'), maxLevel: value('Max level') };
}

/**
 * What Asterisk knows of a bridge's audio, for a failed audio assertion: its technology and, per
 * channel, the caller and how many RTP packets it has received and sent.
 */
export async function bridgeAudioReport(bridgeId: string): Promise<string> {
  const bridge = await ari<{ technology: string; channels: string[] }>('GET', `/bridges/${bridgeId}`).catch((error: unknown) => String(error));
  if (typeof bridge === 'string') return bridge;
  const lines = [`bridge ${bridgeId}: ${bridge.technology}, ${bridge.channels.length} channels`];
  for (const id of bridge.channels) {
    const channel = await ari<{ caller: { number: string }; state: string }>('GET', `/channels/${id}`).catch(() => undefined);
    const rtp = await ari<{ rxcount: number; txcount: number; rxploss: number }>('GET', `/channels/${id}/rtp_statistics`).catch(() => undefined);
    lines.push(`  ${id} ${channel?.caller.number ?? '?'} ${channel?.state ?? '?'} rx ${rtp?.rxcount ?? '?'} tx ${rtp?.txcount ?? '?'} lost ${rtp?.rxploss ?? '?'}`);
  }
  return lines.join('\n');
}

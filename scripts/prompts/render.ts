// Turns one planned sound into its two Asterisk files with espeak-ng and sox, and measures it.
import { execFile } from 'node:child_process';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the audio comes from, before it is resampled into .sln16 and .ulaw. */
export type Source =
  | { readonly kind: 'tts'; readonly voice: string; readonly speed: number; readonly speak: string }
  | { readonly kind: 'recording'; readonly path: string }
  | { readonly kind: 'synth'; readonly effects: readonly string[] };

export interface Measure {
  readonly seconds: number;
  readonly rmsDb: number;
}

/** Below this the sound is treated as silent (espeak-ng writes silence for text it cannot read). */
export const MIN_RMS_DB = -45;
export const MIN_SECONDS = 0.25;

/** Reads `sox … stats` output (first column: mono, or the overall of several channels). */
export function parseSoxStats(stderr: string): Measure {
  const value = (label: string): number => {
    const match = new RegExp(`^${label}\\s+(\\S+)`, 'm').exec(stderr);
    if (!match?.[1]) throw new Error(`sox stats printed no "${label}"`);
    return match[1] === '-inf' ? -Infinity : Number(match[1]);
  };
  return { seconds: value('Length s'), rmsDb: value('RMS lev dB') };
}

/** Why a measured sound is not good enough to ship, or undefined. */
export function audibleProblem(m: Measure): string | undefined {
  if (!(m.seconds >= MIN_SECONDS)) return `too short: ${m.seconds} s (at least ${MIN_SECONDS} s)`;
  if (!(m.rmsDb > MIN_RMS_DB)) return `silent: RMS ${m.rmsDb} dB (needs above ${MIN_RMS_DB} dB)`;
  return undefined;
}

/** Tool versions: part of every cache hash, so upgrading espeak-ng or sox re-renders. */
export async function toolVersions(): Promise<string> {
  const espeak = await run('espeak-ng', ['--version']);
  const sox = await run('sox', ['--version']);
  return `${espeak.stdout.trim()} / ${sox.stdout.trim()}`;
}

async function sourceWav(source: Source, scratch: string): Promise<string> {
  switch (source.kind) {
    case 'recording':
      return source.path;
    case 'tts':
      await run('espeak-ng', ['-v', source.voice, '-s', String(source.speed), '-w', scratch, '--', source.speak]);
      return scratch;
    case 'synth':
      await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', scratch, ...source.effects]);
      return scratch;
  }
}

/**
 * Writes <base>.sln16 (16 kHz signed 16-bit raw) and <base>.ulaw (8 kHz mu-law) and measures the 16 kHz audio.
 * Files are written under temporary names and renamed, so an interrupted build leaves no half-written sound.
 */
export async function renderSound(source: Source, base: string, scratchDir: string, id: number): Promise<Measure> {
  const scratch = join(scratchDir, `${id}.wav`);
  const sln = `${base}.sln16`;
  const ulaw = `${base}.ulaw`;
  try {
    const wav = await sourceWav(source, scratch);
    const wide = await run('sox', [wav, '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', `${sln}.tmp`,
      'channels', '1', 'rate', '16000', 'stats']);
    await run('sox', [wav, '-r', '8000', '-c', '1', '-t', 'ul', `${ulaw}.tmp`, 'channels', '1', 'rate', '8000']);
    await rename(`${sln}.tmp`, sln);
    await rename(`${ulaw}.tmp`, ulaw);
    return parseSoxStats(wide.stderr);
  } finally {
    await rm(scratch, { force: true });
    await rm(`${sln}.tmp`, { force: true });
    await rm(`${ulaw}.tmp`, { force: true });
  }
}

/** Runs work over items with at most `size` running at once (each runs one child process at a time). */
export async function inPool<T>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}

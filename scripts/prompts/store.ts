// A machine-wide store of rendered sounds, keyed by their hash (catalogue text or recording, voice, speed,
// tool versions, renderer version: scripts/prompts/plan.ts), under /var/cache/parley/prompts like the
// Asterisk root: a fresh clone, another worktree or CI's next run copies what was rendered before instead
// of rendering it again. PARLEY_PROMPT_STORE picks another folder; "off" turns the store off.
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Measure } from './render.js';

let warned = false;

const folder = (): string | undefined => {
  const setting = process.env.PARLEY_PROMPT_STORE?.trim();
  if (setting === 'off') return undefined;
  return setting || '/var/cache/parley/prompts';
};

/** Copies the stored sound with this hash to `target` + each extension; its measure, or undefined when not stored. */
export async function fetchStored(hash: string, target: string, extensions: readonly string[]): Promise<Measure | undefined> {
  const dir = folder();
  if (!dir) return undefined;
  try {
    const measure = JSON.parse(await readFile(join(dir, `${hash}.json`), 'utf8')) as Measure;
    for (const ext of extensions) await copyFile(join(dir, hash + ext), target + ext);
    return measure;
  } catch {
    return undefined;
  }
}

/** Is the sound with this hash in the store already? */
export function stored(hash: string): boolean {
  const dir = folder();
  return dir === undefined || existsSync(join(dir, `${hash}.json`));
}

/** Keeps a verified sound for later builds; the measure is written last, so a half-stored sound is never used. */
export async function store(hash: string, source: string, extensions: readonly string[], measure: Measure): Promise<void> {
  const dir = folder();
  if (!dir) return;
  try {
    await mkdir(dir, { recursive: true });
    for (const ext of extensions) {
      const partial = join(dir, `${hash}${ext}.${process.pid}`);
      await copyFile(source + ext, partial);
      await rename(partial, join(dir, hash + ext));
    }
    await writeFile(join(dir, `${hash}.json.${process.pid}`), JSON.stringify(measure));
    await rename(join(dir, `${hash}.json.${process.pid}`), join(dir, `${hash}.json`));
  } catch (error) {
    if (!warned) console.warn(`[prompts] could not keep sounds in ${dir}: ${(error as Error).message}`);
    warned = true;
  }
}

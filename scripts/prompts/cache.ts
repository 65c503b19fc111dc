// build/sounds/.manifest.json remembers what each output was rendered from, so unchanged sounds are reused;
// build/sounds/.lock keeps two builds (e.g. two `npm test` runs) from pruning each other's files.
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Measure } from './render.js';

export interface ManifestEntry extends Measure {
  readonly hash: string;
}
export type Manifest = Record<string, ManifestEntry>;

export const MANIFEST_FILE = '.manifest.json';
const LOCK_FILE = '.lock';

export async function readManifest(out: string): Promise<Manifest> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(out, MANIFEST_FILE), 'utf8'));
    const sounds = (parsed as { sounds?: unknown }).sounds;
    return typeof sounds === 'object' && sounds !== null ? (sounds as Manifest) : {};
  } catch {
    return {};
  }
}

export async function writeManifest(out: string, manifest: Manifest): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(join(out, MANIFEST_FILE), `${JSON.stringify({ sounds: sorted }, null, 1)}\n`);
}

export async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits (up to waitMs) for another running build to finish; a lock left by a dead process is taken over. */
export async function lockBuild(out: string, waitMs = 300_000): Promise<() => Promise<void>> {
  const path = join(out, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    const written = Number.isInteger(holder) && holder > 0;
    // An empty lock is one being written right now, unless it has stayed empty for a while.
    const stale = written ? !alive(holder) : Date.now() - (await stat(path).catch(() => ({ mtimeMs: 0 }))).mtimeMs > 5_000;
    if (stale) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another prompt build (pid ${holder}) still holds ${path}`);
    if (!told) console.log(`[prompts] waiting for the prompt build in pid ${holder} to finish`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// `npm run prompts`: renders prompts/<locale>.json for all 14 locales into Asterisk sound files,
// build/sounds/<ll_CC>/parley/<name>.sln16 (16 kHz) and .ulaw (8 kHz), plus a copy of en-US in sounds/en/.
// Fails, naming locale and key, on any catalog mismatch or any missing, silent or too-short sound.
// Unchanged sounds are reused (build/sounds/.manifest.json), or copied from the machine's store of rendered
// sounds (scripts/prompts/store.ts). Catalog format: prompts/README.md.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileSize, lockBuild, readManifest, writeManifest, MANIFEST_FILE, type Manifest, type ManifestEntry } from './prompts/cache.js';
import { expandCatalog } from './prompts/catalog.js';
import { fetchStored, store, stored } from './prompts/store.js';
import { copySounds, findRecordings, loadCatalogs, prune } from './prompts/files.js';
import { DEFAULT_FOLDER, LOCALES, REFERENCE_LOCALE, VOICES, soundFolder } from './prompts/locales.js';
import { planLocale, type PlannedSound } from './prompts/plan.js';
import { audibleProblem, inPool, MIN_SECONDS, renderSound, toolVersions } from './prompts/render.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const promptsDir = join(root, 'prompts');
const out = join(root, 'build', 'sounds');
const EXTENSIONS = ['.sln16', '.ulaw'] as const;
// MIN_SECONDS of 16 kHz 16-bit and of 8 kHz mu-law, with slack for resampling.
const MIN_BYTES = { '.sln16': MIN_SECONDS * 16000 * 2 * 0.9, '.ulaw': MIN_SECONDS * 8000 * 0.9 };

function fail(problems: readonly string[]): never {
  console.error(`[prompts] FAILED with ${problems.length} problem(s):`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}

const nameOf = (p: PlannedSound): string => `${p.locale} ${p.output.slice(p.output.lastIndexOf('/') + 1)}`;

async function plan(tools: string): Promise<{ planned: PlannedSound[]; problems: string[] }> {
  const { catalogs, problems } = await loadCatalogs(promptsDir, LOCALES);
  if (problems.length > 0) return { planned: [], problems };
  const planned: PlannedSound[] = [];
  for (const locale of LOCALES) {
    const catalog = catalogs.get(locale);
    if (!catalog) throw new Error(`no catalog for ${locale}`);
    const voice = VOICES[locale];
    const { recordings, problems: badFiles } = await findRecordings(promptsDir, locale);
    const sounds = expandCatalog(catalog, voice.numbers);
    const result = planLocale({ locale, folder: soundFolder(locale), voice: voice.voice, speed: voice.speed, sounds, recordings, tools });
    problems.push(...badFiles, ...result.problems);
    planned.push(...result.planned);
  }
  return { planned, problems };
}

/** The previous build's entry when its hash matches and both files are still there. */
async function reusable(p: PlannedSound, previous: Manifest): Promise<ManifestEntry | undefined> {
  const entry = previous[p.output];
  if (entry?.hash !== p.hash || audibleProblem(entry) !== undefined) return undefined;
  for (const ext of EXTENSIONS) if ((await fileSize(join(out, p.output + ext))) < MIN_BYTES[ext]) return undefined;
  return entry;
}

/** Renders and measures; verified sounds go into the manifest, failed ones leave no file behind. */
async function render(todo: readonly PlannedSound[], manifest: Manifest, problems: string[]): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'parley-prompts-'));
  try {
    await inPool(todo, cpus().length, async (p, i) => {
      let problem: string | undefined;
      try {
        const measure = await renderSound(p.source, join(out, p.output), scratch, i);
        problem = audibleProblem(measure);
        if (problem === undefined) manifest[p.output] = { hash: p.hash, ...measure };
      } catch (error) {
        problem = `rendering failed: ${(error as Error).message.trim()}`;
      }
      if (problem === undefined) return;
      problems.push(`${nameOf(p)}: ${problem}`);
      for (const ext of EXTENSIONS) await rm(join(out, p.output + ext), { force: true });
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Renders what changed and verifies every sound; returns a summary, or the problems. */
async function build(planned: readonly PlannedSound[]): Promise<{ summary: string; problems: string[] }> {
  const problems: string[] = [];
  const previous = await readManifest(out);
  const manifest: Manifest = {};
  const missing: PlannedSound[] = [];
  for (const p of planned) {
    const entry = await reusable(p, previous);
    if (entry) manifest[p.output] = entry;
    else missing.push(p);
  }
  for (const folder of new Set(planned.map((p) => p.output.split('/')[0]))) await mkdir(join(out, `${folder}/parley`), { recursive: true });
  const todo: PlannedSound[] = [];
  for (const p of missing) {
    const measure = await fetchStored(p.hash, join(out, p.output), EXTENSIONS);
    if (measure && audibleProblem(measure) === undefined) manifest[p.output] = { hash: p.hash, ...measure };
    else todo.push(p);
  }
  await render(todo, manifest, problems);
  // Everything verified goes into the machine's store (sounds rendered before it existed too).
  for (const p of planned) {
    const entry = manifest[p.output];
    if (entry && !stored(p.hash)) await store(p.hash, join(out, p.output), EXTENSIONS, { seconds: entry.seconds, rmsDb: entry.rmsDb });
  }

  for (const p of planned.filter((p) => manifest[p.output])) {
    for (const ext of EXTENSIONS) {
      const size = await fileSize(join(out, p.output + ext));
      if (size < MIN_BYTES[ext]) problems.push(`${nameOf(p)}: ${p.output}${ext} is missing or too short (${size} bytes)`);
    }
  }
  await writeManifest(out, manifest);
  if (problems.length > 0) return { summary: '', problems };

  const outputs = planned.map((p) => p.output);
  const copies = await copySounds(out, outputs, soundFolder(REFERENCE_LOCALE), DEFAULT_FOLDER);
  const keep = new Set([MANIFEST_FILE, '.lock', ...[...outputs, ...copies].flatMap((o) => EXTENSIONS.map((ext) => o + ext))]);
  const pruned = await prune(out, keep);
  const summary =
    `${LOCALES.length} locales × ${planned.length / LOCALES.length} sounds = ${planned.length} (+${copies.length} en-US copies in ${DEFAULT_FOLDER}/): ` +
    `${todo.length} rendered, ${missing.length - todo.length} from the machine's store, ${planned.length - missing.length} reused, ${pruned} stale files removed`;
  return { summary, problems };
}

const started = performance.now();
const { planned, problems } = await plan(await toolVersions());
if (problems.length > 0) fail(problems);
await mkdir(out, { recursive: true });
const unlock = await lockBuild(out);
const result = await build(planned).finally(unlock);
if (result.problems.length > 0) fail(result.problems);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`[prompts] ${result.summary}, ${seconds} s with ${cpus().length} workers → ${out}`);

// Reading the catalogs and recordings from prompts/, and tidying build/sounds.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { checkLocaleFiles, compareToReference, parseCatalog, type Catalog, type ParsedCatalog } from './catalog.js';
import { REFERENCE_LOCALE, VOICES, type Locale } from './locales.js';
import type { Recording } from './plan.js';

/** Every locale's checked catalog, or the problems that stop the build. */
export async function loadCatalogs(promptsDir: string, locales: readonly Locale[]): Promise<{ catalogs: Map<Locale, Catalog>; problems: string[] }> {
  const problems = checkLocaleFiles(await readdir(promptsDir), locales);
  const parsed = new Map<Locale, ParsedCatalog>();
  for (const locale of locales) {
    const path = join(promptsDir, `${locale}.json`);
    if (!existsSync(path)) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      problems.push(`${locale}: prompts/${locale}.json is not valid JSON: ${(error as Error).message}`);
      continue;
    }
    const result = parseCatalog(locale, raw, VOICES[locale]);
    problems.push(...result.problems);
    parsed.set(locale, result);
  }
  const reference = parsed.get(REFERENCE_LOCALE)?.catalog;
  const catalogs = new Map<Locale, Catalog>();
  for (const [locale, { catalog, invalid }] of parsed) {
    catalogs.set(locale, catalog);
    if (reference && locale !== REFERENCE_LOCALE) problems.push(...compareToReference(locale, catalog, reference, REFERENCE_LOCALE, invalid));
  }
  return { catalogs, problems };
}

/** prompts/<locale>/<sound name>.wav, by sound name. */
export async function findRecordings(promptsDir: string, locale: Locale): Promise<{ recordings: Map<string, Recording>; problems: string[] }> {
  const dir = join(promptsDir, locale);
  const recordings = new Map<string, Recording>();
  const problems: string[] = [];
  if (!existsSync(dir)) return { recordings, problems };
  for (const file of (await readdir(dir)).sort()) {
    if (!file.endsWith('.wav')) {
      problems.push(`${locale} ${file}: prompts/${locale}/ holds only <sound name>.wav recordings`);
      continue;
    }
    const path = join(dir, file);
    const { mtimeMs, size } = await stat(path);
    recordings.set(file.slice(0, -'.wav'.length), { path, mtimeMs, size });
  }
  return { recordings, problems };
}

export async function copySounds(out: string, outputs: readonly string[], fromFolder: string, toFolder: string): Promise<string[]> {
  const copies: string[] = [];
  await mkdir(join(out, toFolder, 'parley'), { recursive: true });
  for (const output of outputs.filter((o) => o.startsWith(`${fromFolder}/`))) {
    const copy = `${toFolder}${output.slice(fromFolder.length)}`;
    for (const ext of ['.sln16', '.ulaw']) await copyFile(join(out, output + ext), join(out, copy + ext));
    copies.push(copy);
  }
  return copies;
}

/** Deletes files the build did not produce (sounds of removed keys or locales), then empty folders. */
export async function prune(out: string, keep: ReadonlySet<string>): Promise<number> {
  let removed = 0;
  const walk = async (dir: string): Promise<boolean> => {
    let empty = true;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() ? await walk(path) : !keep.has(relative(out, path))) {
        await rm(path, { recursive: true, force: true });
        if (!entry.isDirectory()) removed++;
      } else {
        empty = false;
      }
    }
    return empty && dir !== out;
  };
  await walk(out);
  return removed;
}

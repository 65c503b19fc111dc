// The prompt catalog (prompts/<locale>.json), its checks, and the sounds it expands into.
// Format: see prompts/README.md. Every check returns problems as "<locale> <key>: what is wrong".
import { MAX_NUMBER, numberSpeech, type NumberStyle } from './numbers.js';

export type Entry = string | { readonly text: string; readonly speak: string };
export type Catalog = Readonly<Record<string, Entry>>;

export const PLACEHOLDER = '{key}';
/** Words used inside other prompts, never rendered alone (except @many, as parley/number-many). */
export const WORD_KEYS = ['@star', '@pound', '@many'] as const;

export interface CatalogRules {
  /** Every value must be {text, speak}: the voice cannot read the written form. */
  readonly needsSpeakForm: boolean;
}

const KEY_PATTERN = /^@?[a-z0-9]+(-[a-z0-9]+)*$/;
const HAN = /\p{Script=Han}/u;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function speakOf(entry: Entry): string {
  return typeof entry === 'string' ? entry : entry.speak;
}

function formsOf(entry: Entry): Array<[string, string]> {
  return typeof entry === 'string' ? [['value', entry]] : [['text', entry.text], ['speak', entry.speak]];
}

function checkEntry(locale: string, key: string, value: unknown, rules: CatalogRules): { entry?: Entry; problems: string[] } {
  const at = `${locale} ${key}`;
  if (!KEY_PATTERN.test(key)) return { problems: [`${at}: key names are lower-case words joined by '-' (a leading '@' for words)`] };
  let entry: Entry;
  if (typeof value === 'string') {
    if (rules.needsSpeakForm) return { problems: [`${at}: must be {"text": ..., "speak": ...} in ${locale}, not a plain string`] };
    entry = value;
  } else if (isRecord(value)) {
    const { text, speak } = value;
    if (Object.keys(value).length !== 2 || typeof text !== 'string' || typeof speak !== 'string') {
      return { problems: [`${at}: an object value has exactly two string fields, "text" and "speak"`] };
    }
    entry = { text, speak };
  } else {
    return { problems: [`${at}: a value is a string or {"text": ..., "speak": ...}`] };
  }
  const problems: string[] = [];
  for (const [form, text] of formsOf(entry)) {
    if (text.trim() === '') problems.push(`${at}: ${form} is empty`);
    const others = (text.match(/\{[^}]*\}/g) ?? []).filter((p) => p !== PLACEHOLDER);
    if (others.length > 0) problems.push(`${at}: ${form} has ${others.join(', ')}; the only placeholder is ${PLACEHOLDER}`);
    if (key.startsWith('@') && text.includes(PLACEHOLDER)) problems.push(`${at}: a word cannot contain ${PLACEHOLDER}`);
  }
  if (typeof entry !== 'string' && HAN.test(entry.speak)) {
    problems.push(`${at}: speak has Han characters; espeak-ng needs pinyin with tone numbers (zh) or kana (ja)`);
  }
  return problems.length > 0 ? { problems } : { entry, problems };
}

export interface ParsedCatalog {
  /** The valid entries. */
  readonly catalog: Catalog;
  /** Keys present with a value that has problems (so they are not reported missing as well). */
  readonly invalid: readonly string[];
  readonly problems: string[];
}

/** Parses one locale's JSON value; problems name the locale and key. */
export function parseCatalog(locale: string, raw: unknown, rules: CatalogRules): ParsedCatalog {
  if (!isRecord(raw)) return { catalog: {}, invalid: [], problems: [`${locale}: the catalog must be a JSON object of key → value`] };
  const problems: string[] = [];
  const catalog: Record<string, Entry> = {};
  const invalid: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const checked = checkEntry(locale, key, value, rules);
    problems.push(...checked.problems);
    if (checked.entry !== undefined) catalog[key] = checked.entry;
    else invalid.push(key);
  }
  for (const word of WORD_KEYS) {
    if (!(word in raw)) problems.push(`${locale} ${word}: missing (a word every catalog defines)`);
  }
  return { catalog, invalid, problems };
}

function hasPlaceholder(entry: Entry): boolean {
  return formsOf(entry).some(([, text]) => text.includes(PLACEHOLDER));
}

/** Same keys as the reference catalog, and {key} in the same prompts (in every form of the value). */
export function compareToReference(locale: string, catalog: Catalog, reference: Catalog, referenceLocale: string, invalid: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(reference)) {
    if (!(key in catalog) && !invalid.includes(key)) problems.push(`${locale} ${key}: missing (${referenceLocale} has it)`);
  }
  for (const [key, entry] of Object.entries(catalog)) {
    const ref = reference[key];
    if (ref === undefined) {
      problems.push(`${locale} ${key}: extra key (${referenceLocale} does not have it)`);
      continue;
    }
    const wanted = hasPlaceholder(ref);
    for (const [form, text] of formsOf(entry)) {
      if (wanted && !text.includes(PLACEHOLDER)) problems.push(`${locale} ${key}: ${form} lacks ${PLACEHOLDER} (${referenceLocale} has it)`);
      if (!wanted && text.includes(PLACEHOLDER)) problems.push(`${locale} ${key}: ${form} has ${PLACEHOLDER} (${referenceLocale} does not)`);
    }
  }
  return problems;
}

/** Each expected locale has exactly one catalog file, and there is none for any other locale. */
export function checkLocaleFiles(files: readonly string[], locales: readonly string[]): string[] {
  const present = new Set(files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)));
  const problems = locales.filter((l) => !present.has(l)).map((l) => `${l}: prompts/${l}.json is missing`);
  for (const name of present) {
    if (!locales.includes(name)) problems.push(`${name}: prompts/${name}.json is not one of the locales (${locales.join(', ')})`);
  }
  return problems;
}

export interface Sound {
  /** The sound name under parley/, e.g. help-6-star, number-42. */
  readonly name: string;
  /** What the voice reads. */
  readonly speak: string;
}

function word(catalog: Catalog, key: (typeof WORD_KEYS)[number]): string {
  const entry = catalog[key];
  if (entry === undefined) throw new Error(`catalog lacks ${key}`);
  return speakOf(entry);
}

/** The spoken sounds of one checked catalog: prompts, {key} prompts twice (star, pound), and numbers. */
export function expandCatalog(catalog: Catalog, numbers: NumberStyle): Sound[] {
  const sounds: Sound[] = [];
  for (const [key, entry] of Object.entries(catalog)) {
    if (key.startsWith('@')) continue;
    const speak = speakOf(entry);
    if (!speak.includes(PLACEHOLDER)) {
      sounds.push({ name: key, speak });
      continue;
    }
    sounds.push({ name: `${key}-star`, speak: speak.replaceAll(PLACEHOLDER, word(catalog, '@star')) });
    sounds.push({ name: `${key}-pound`, speak: speak.replaceAll(PLACEHOLDER, word(catalog, '@pound')) });
  }
  for (let n = 0; n <= MAX_NUMBER; n++) sounds.push({ name: `number-${n}`, speak: numberSpeech(numbers, n) });
  sounds.push({ name: 'number-many', speak: word(catalog, '@many') });
  return sounds;
}

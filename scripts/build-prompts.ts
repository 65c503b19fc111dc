// Renders prompts/<locale>.json into Asterisk sound files with espeak-ng and sox:
// build/sounds/<asterisk language>/parley/<key>.sln16 (16 kHz) and .ulaw (8 kHz).
// A recording dropped in prompts/<locale>/<key>.wav replaces the synthesised one.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'build', 'sounds');
const locales: Record<string, { voice: string; asteriskLanguage: string }> = {
  'en-US': { voice: 'en-us', asteriskLanguage: 'en' },
};

rmSync(out, { recursive: true, force: true });
let count = 0;
for (const file of readdirSync(join(root, 'prompts')).filter((f) => f.endsWith('.json'))) {
  const locale = file.replace(/\.json$/, '');
  const spec = locales[locale];
  if (!spec) throw new Error(`prompts/${file}: no voice configured for locale ${locale}`);
  const texts = JSON.parse(readFileSync(join(root, 'prompts', file), 'utf8')) as Record<string, string>;
  const dir = join(out, spec.asteriskLanguage, 'parley');
  mkdirSync(dir, { recursive: true });
  for (const [key, text] of Object.entries(texts)) {
    const recorded = join(root, 'prompts', locale, `${key}.wav`);
    const wav = existsSync(recorded) ? recorded : join(dir, `${key}.tts.wav`);
    if (wav !== recorded) execFileSync('espeak-ng', ['-v', spec.voice, '-s', '150', '-w', wav, text]);
    execFileSync('sox', [wav, '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', join(dir, `${key}.sln16`)]);
    execFileSync('sox', [wav, '-r', '8000', '-c', '1', '-t', 'ul', join(dir, `${key}.ulaw`)]);
    if (wav !== recorded) rmSync(wav);
    count++;
  }
}
console.log(`[prompts] rendered ${count} prompts into ${out}`);

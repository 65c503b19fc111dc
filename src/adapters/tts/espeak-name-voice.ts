import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { NameVoice } from '../../ports/name-voice.js';

const run = promisify(execFile);

/** espeak-ng 1.51 voices by locale (the prompt build uses the same). */
export const ESPEAK_VOICES: Readonly<Record<string, string>> = {
  'en-US': 'en-us',
  'en-GB': 'en-gb',
  'en-AU': 'en-gb',
  'zh-CN': 'cmn-latn-pinyin',
  'zh-TW': 'cmn-latn-pinyin',
  'pt-BR': 'pt-br',
  'ko-KR': 'ko',
  'es-MX': 'es-419',
  'es-ES': 'es',
  'fr-CA': 'fr-fr',
  'fr-FR': 'fr-fr',
  'de-DE': 'de',
  'it-IT': 'it',
  'ja-JP': 'ja',
};

const SAFE_NAME = /^[A-Za-z0-9_-]{1,120}$/;

/**
 * Directory names spoken by espeak-ng into Asterisk's recording directory (8 kHz WAV, what Asterisk's
 * `recording:` media plays). Latin-script names go to an English voice where the caller's voice reads
 * only pinyin or kana; scripts the voice cannot read give no recording (the announcement is a tone).
 */
export function espeakNameVoice(recordingDir: string): NameVoice {
  return {
    async say(text, language, name) {
      if (!SAFE_NAME.test(name)) return undefined;
      const latin = /^[\p{Script=Latin}\p{N}\s.'’-]+$/u.test(text);
      const native = ESPEAK_VOICES[language] ?? 'en-us';
      const voice = latin && /^(cmn|ja)/.test(native) ? 'en-us' : native;
      if (!latin && /^(cmn|ja)/.test(native)) return undefined;
      const scratch = await mkdtemp(join(tmpdir(), 'parley-name-'));
      try {
        const wav = join(scratch, 'name.wav');
        await run('espeak-ng', ['-v', voice, '-s', '150', '-w', wav, '--', text], { timeout: 10_000 });
        await run('sox', [wav, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', join(recordingDir, `${name}.wav`)], { timeout: 10_000 });
        return `recording:${name}`;
      } catch {
        return undefined;
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
  };
}

// Directory names spoken by the real espeak-ng into a recording directory, as Asterisk plays them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { espeakNameVoice } from '../../src/adapters/tts/espeak-name-voice.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const voice = espeakNameVoice(dir);

function stats(file: string) {
  const sox = spawnSync('soxi', [file], { encoding: 'utf8' }).stdout;
  const level = spawnSync('sox', [file, '-n', 'stats'], { encoding: 'utf8' }).stderr;
  return {
    rate: Number(/Sample Rate\s*:\s*(\d+)/.exec(sox)?.[1]),
    channels: Number(/Channels\s*:\s*(\d+)/.exec(sox)?.[1]),
    seconds: Number(/Length s\s+([\d.]+)/.exec(level)?.[1]),
    rmsDb: Number(/RMS lev dB\s+(-?[\d.]+)/.exec(level)?.[1]),
  };
}

describe('espeakNameVoice', () => {
  it('writes an 8 kHz mono WAV Asterisk can play as a stored recording, audible and name-length', async () => {
    expect(await voice.say('Ann Lee', 'en-US', 'parley-name-a1')).toBe('recording:parley-name-a1');
    const file = join(dir, 'parley-name-a1.wav');
    expect(existsSync(file)).toBe(true);
    const measured = stats(file);
    expect(measured).toMatchObject({ rate: 8000, channels: 1 });
    expect(measured.seconds).toBeGreaterThan(0.4);
    expect(measured.seconds).toBeLessThan(5);
    expect(measured.rmsDb).toBeGreaterThan(-40);
  });

  it('speaks a Latin-script name with an English voice for Mandarin and Japanese callers, and gives up on scripts the voice cannot read', async () => {
    expect(await voice.say('Li Wei', 'zh-CN', 'parley-name-b1')).toBe('recording:parley-name-b1');
    expect(await voice.say('José Núñez', 'es-MX', 'parley-name-b2')).toBe('recording:parley-name-b2');
    expect(await voice.say('李伟', 'zh-CN', 'parley-name-b3')).toBeUndefined();
    expect(existsSync(join(dir, 'parley-name-b3.wav'))).toBe(false);
  });

  it('refuses a recording name that is not a plain file name, writing nothing', async () => {
    expect(await voice.say('Ann', 'en-US', '../escape')).toBeUndefined();
    expect(await voice.say('Ann', 'en-US', 'a/b')).toBeUndefined();
    expect(existsSync(join(dir, '..', 'escape.wav'))).toBe(false);
  });

  it('passes names that look like options as text, not as espeak-ng flags', async () => {
    expect(await voice.say('-w /tmp/owned', 'en-US', 'parley-name-c1')).toBe('recording:parley-name-c1');
    expect(existsSync('/tmp/owned')).toBe(false);
  });
});

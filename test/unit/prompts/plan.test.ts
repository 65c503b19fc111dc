import { describe, expect, it } from 'vitest';
import { planLocale, TONES, type LocalePlanInput, type Recording } from '../../../scripts/prompts/plan.js';
import { audibleProblem, inPool, parseSoxStats } from '../../../scripts/prompts/render.js';

const input = (recordings: Array<[string, Recording]> = [], speak = 'Welcome.'): LocalePlanInput => ({
  locale: 'fr-CA', folder: 'fr_CA', voice: 'fr-fr', speed: 150, tools: 'espeak-ng 1.51 / sox 14.4.2',
  sounds: [{ name: 'welcome', speak }], recordings: new Map(recordings),
});
const hashOfWelcome = (plan: LocalePlanInput): string | undefined =>
  planLocale(plan).planned.find((p) => p.output === 'fr_CA/parley/welcome')?.hash;

describe('planLocale', () => {
  it('plans the spoken sounds and the three tones into <ll_CC>/parley/', () => {
    const { planned, problems } = planLocale(input());
    expect(problems).toEqual([]);
    expect(planned.map((p) => p.output)).toEqual(['welcome', ...TONES.map((t) => t.name)].map((n) => `fr_CA/parley/${n}`));
  });

  it('uses a recording in place of the voice, and re-renders when the recording changes', () => {
    const recording = { path: '/r/welcome.wav', mtimeMs: 1, size: 100 };
    const { planned } = planLocale(input([['welcome', recording]]));
    expect(planned[0]?.source).toEqual({ kind: 'recording', path: '/r/welcome.wav' });
    expect(hashOfWelcome(input([['welcome', recording]]))).not.toBe(hashOfWelcome(input([['welcome', { ...recording, mtimeMs: 2 }]])));
    expect(hashOfWelcome(input([['welcome', recording]]))).not.toBe(hashOfWelcome(input()));
  });

  it('keeps the hash when nothing changed, and changes it with the text or the tools', () => {
    expect(hashOfWelcome(input())).toBe(hashOfWelcome(input()));
    expect(hashOfWelcome(input([], 'Bienvenue.'))).not.toBe(hashOfWelcome(input()));
    expect(hashOfWelcome({ ...input(), tools: 'espeak-ng 1.52 / sox 14.4.2' })).not.toBe(hashOfWelcome(input()));
  });

  it('names a recording that replaces no sound', () => {
    const { problems } = planLocale(input([['welcom', { path: '/r/welcom.wav', mtimeMs: 1, size: 1 }]]));
    expect(problems).toEqual(['fr-CA welcom: recording prompts/fr-CA/welcom.wav replaces no sound']);
  });
});

describe('measuring a sound', () => {
  const stats = (rms: string, length: string) =>
    `DC offset   0.000941\nPk lev dB      -3.00\nRMS lev dB    ${rms}\nRMS Pk dB     -14.65\nLength s       ${length}\n`;

  it('reads length and RMS level from sox stats', () => {
    expect(parseSoxStats(stats('-21.40', '4.042'))).toEqual({ seconds: 4.042, rmsDb: -21.4 });
    expect(parseSoxStats(stats('-inf', '1.000')).rmsDb).toBe(-Infinity);
  });

  it('refuses silent or too-short sounds', () => {
    expect(audibleProblem({ seconds: 2, rmsDb: -21 })).toBeUndefined();
    expect(audibleProblem({ seconds: 0.25, rmsDb: -10 })).toBeUndefined();
    expect(audibleProblem({ seconds: 2, rmsDb: -Infinity })).toMatch(/^silent/);
    expect(audibleProblem({ seconds: 2, rmsDb: -60 })).toMatch(/^silent/);
    expect(audibleProblem({ seconds: 0.1, rmsDb: -20 })).toMatch(/^too short/);
  });
});

describe('inPool', () => {
  it('runs every item, never more than the pool size at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await inPool([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      done.push(item);
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });
});

// What the build must produce: every sound of every locale, where its audio comes from, and its cache hash.
import { createHash } from 'node:crypto';
import type { Sound } from './catalog.js';
import type { Source } from './render.js';

/** Bump when the rendering steps change in a way the hash would not otherwise see. */
export const RENDERER_VERSION = 'parley-prompts/2';

export interface PlannedSound {
  readonly locale: string;
  /** Relative to build/sounds, without extension: e.g. fr_CA/parley/help-6-star. */
  readonly output: string;
  readonly source: Source;
  readonly hash: string;
}

/** Recording metadata: a re-recorded file (new mtime or size) must be rendered again. */
export interface Recording {
  readonly path: string;
  readonly mtimeMs: number;
  readonly size: number;
}

const fade = (seconds: number): string[] => ['fade', 'q', '0.01', String(seconds), '0.05'];
const note = (hz: number, seconds: number): string[] => ['synth', String(seconds), 'sine', String(hz), ...fade(seconds), 'vol', '0.5'];

/** Language-independent tones; sox joins effect chains separated by ':' one after the other. */
export const TONES: ReadonlyArray<{ name: string; effects: readonly string[] }> = [
  { name: 'tone-enter', effects: [...note(660, 0.2), ':', ...note(880, 0.2)] },
  { name: 'tone-exit', effects: [...note(880, 0.2), ':', ...note(660, 0.2)] },
  { name: 'beep', effects: ['synth', '0.25', 'sine', '1000', 'fade', 'q', '0.005', '0.25', '0.005', 'vol', '0.5'] },
];

export function hashOf(tools: string, source: Source, recording?: Recording): string {
  const parts = recording ? { recording: [recording.mtimeMs, recording.size] } : source;
  return createHash('sha256').update(JSON.stringify([RENDERER_VERSION, tools, parts])).digest('hex').slice(0, 32);
}

export interface LocalePlanInput {
  readonly locale: string;
  readonly folder: string;
  readonly voice: string;
  readonly speed: number;
  readonly sounds: readonly Sound[];
  /** Human recordings by sound name. */
  readonly recordings: ReadonlyMap<string, Recording>;
  readonly tools: string;
}

/** Every sound of one locale; problems name recordings that replace no sound. */
export function planLocale(input: LocalePlanInput): { planned: PlannedSound[]; problems: string[] } {
  const synthesised: Array<[string, Source]> = [
    ...input.sounds.map((s): [string, Source] => [s.name, { kind: 'tts', voice: input.voice, speed: input.speed, speak: s.speak }]),
    ...TONES.map((t): [string, Source] => [t.name, { kind: 'synth', effects: t.effects }]),
  ];
  const names = new Set(synthesised.map(([name]) => name));
  const problems = [...input.recordings.keys()]
    .filter((name) => !names.has(name))
    .map((name) => `${input.locale} ${name}: recording prompts/${input.locale}/${name}.wav replaces no sound`);
  const planned = synthesised.map(([name, synth]): PlannedSound => {
    const recording = input.recordings.get(name);
    const source: Source = recording ? { kind: 'recording', path: recording.path } : synth;
    return { locale: input.locale, output: `${input.folder}/parley/${name}`, source, hash: hashOf(input.tools, source, recording) };
  });
  return { planned, problems };
}

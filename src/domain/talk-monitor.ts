/**
 * Active speaker and noise source for one conference, from talk detection (talking starts after sound
 * above the threshold, stops after 1.2 s below it).
 *
 * Active speaker (the seed's starburst): whoever holds the floor. The first unmuted, not noisy line to
 * start talking gets it and keeps it while it talks, even when others talk over it; when it stops, the
 * longest-talking one still talking takes over; when nobody talks, there is none.
 *
 * Noise source (the seed's "background traffic noise"): a line that has not paused for
 * `noiseAfterMs` while others who started after it spoke for `overlapMs` in that stretch. People
 * stop when someone else takes the floor; a street, a fan or hold music does not. (Only later starters
 * count, so a speaker who began over an unnoticed noise line is not marked for it.) A line stops being noisy once it
 * falls silent.
 */
export interface TalkRules {
  readonly noiseAfterMs: number;
  readonly overlapMs: number;
}

export const DEFAULT_TALK_RULES: TalkRules = { noiseAfterMs: 15_000, overlapMs: 5_000 };

interface Line {
  talkingSince: number | null;
  muted: boolean;
  noisy: boolean;
  /** Others' finished talk inside this line's current stretch. */
  overlapDone: number;
}

export interface TalkChanges {
  /** Present when the active speaker changed (null: nobody). */
  readonly activeSpeaker?: string | null;
  /** Lines whose noise mark changed. */
  readonly noisy: ReadonlyMap<string, boolean>;
}

export class TalkMonitor {
  private readonly lines = new Map<string, Line>();
  private speaker: string | null = null;

  constructor(private readonly rules: TalkRules = DEFAULT_TALK_RULES) {}

  get activeSpeaker(): string | null {
    return this.speaker;
  }

  /** Whether any line is talking (so time alone can change a noise mark). */
  get busy(): boolean {
    return [...this.lines.values()].some((l) => l.talkingSince !== null);
  }

  talk(id: string, talking: boolean, muted: boolean, at: number): TalkChanges {
    const line = this.line(id);
    line.muted = muted;
    if (talking && line.talkingSince === null) {
      line.talkingSince = at;
      line.overlapDone = 0;
    } else if (!talking) {
      this.stop(id, line, at);
    }
    return this.settle(at);
  }

  mute(id: string, muted: boolean, at: number): TalkChanges {
    this.line(id).muted = muted;
    return this.settle(at);
  }

  leave(id: string, at: number): TalkChanges {
    const line = this.lines.get(id);
    if (line) this.stop(id, line, at);
    this.lines.delete(id);
    return this.settle(at);
  }

  /** Re-evaluates with time passing (a noise mark needs no new event to appear). */
  tick(at: number): TalkChanges {
    return this.settle(at);
  }

  private stop(id: string, line: Line, at: number): void {
    const started = line.talkingSince;
    if (started === null) return;
    line.talkingSince = null;
    for (const [otherId, other] of this.lines) {
      if (otherId !== id && other.talkingSince !== null && other.talkingSince <= started) other.overlapDone += at - started;
    }
  }

  private line(id: string): Line {
    let line = this.lines.get(id);
    if (!line) {
      line = { talkingSince: null, muted: false, noisy: false, overlapDone: 0 };
      this.lines.set(id, line);
    }
    return line;
  }

  private overlap(id: string, line: Line, at: number): number {
    let total = line.overlapDone;
    for (const [otherId, other] of this.lines) {
      if (otherId !== id && other.talkingSince !== null && !other.noisy && other.talkingSince >= (line.talkingSince ?? at)) total += at - other.talkingSince;
    }
    return total;
  }

  private settle(at: number): TalkChanges {
    const noisy = new Map<string, boolean>();
    for (const [id, line] of this.lines) {
      const now =
        line.talkingSince !== null && (line.noisy || (at - line.talkingSince >= this.rules.noiseAfterMs && this.overlap(id, line, at) >= this.rules.overlapMs));
      if (now !== line.noisy) {
        line.noisy = now;
        noisy.set(id, now);
      }
    }
    const speaker = this.nextSpeaker();
    if (speaker === this.speaker) return { noisy };
    this.speaker = speaker;
    return { activeSpeaker: speaker, noisy };
  }

  private nextSpeaker(): string | null {
    const heard = (line: Line | undefined) => line !== undefined && line.talkingSince !== null && !line.muted && !line.noisy;
    if (this.speaker !== null && heard(this.lines.get(this.speaker))) return this.speaker;
    let best: [string, number] | null = null;
    for (const [id, line] of this.lines) {
      if (heard(line) && (best === null || line.talkingSince! < best[1])) best = [id, line.talkingSince!];
    }
    return best?.[0] ?? null;
  }
}

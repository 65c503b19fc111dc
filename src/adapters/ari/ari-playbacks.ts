/**
 * The one bound on how long parley waits for a playback (to a channel or a whole bridge) to finish:
 * its PlaybackFinished event can be lost with the socket, and no prompt is anywhere near this long.
 */
export const PLAYBACK_LIMIT_MS = 120_000;

/** Playbacks waited on by id: each settles on its PlaybackFinished event, when stopped or given up, or at the limit. */
export class PlaybackWaits {
  private readonly waiting = new Map<string, () => void>();

  /** Resolves when `finished(playbackId)` is called, or after PLAYBACK_LIMIT_MS. */
  wait(playbackId: string): Promise<void> {
    return new Promise<void>((resolve) => {
      const safety = setTimeout(() => this.finished(playbackId), PLAYBACK_LIMIT_MS);
      this.waiting.set(playbackId, () => {
        clearTimeout(safety);
        this.waiting.delete(playbackId);
        resolve();
      });
    });
  }

  /** Still waited on: neither finished nor stopped. */
  has(playbackId: string): boolean {
    return this.waiting.has(playbackId);
  }

  finished(playbackId: string): void {
    this.waiting.get(playbackId)?.();
  }

  /** Settles every playback still waited on (their events may have been lost with the socket). */
  settleAll(): void {
    for (const done of [...this.waiting.values()]) done();
  }
}

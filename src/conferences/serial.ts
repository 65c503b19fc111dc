/**
 * Runs tasks one after another per key (a conference), so two callers joining at once
 * cannot both decide they are alone. Only ordering lives here; state stays in the database.
 */
export class Serial {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Settles when every queued task has run (for a graceful stop). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    // `tail` never rejects (caught above); the second handler only satisfies the floating-promise rule.
    tail.then(
      () => {
        if (this.tails.get(key) === tail) this.tails.delete(key);
      },
      () => undefined,
    );
    return next;
  }
}

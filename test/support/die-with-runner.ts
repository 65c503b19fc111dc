// A test worker whose runner is gone (vitest killed by a signal it could not pass on, a CI time-out
// that kills only the top process) stops at once rather than running its file to the end: the
// processes its tests started die with it (tied.ts).
const MARK = Symbol.for('parley.dieWithRunner');
const worker = globalThis as { [MARK]?: true };
if (!worker[MARK] && process.send) {
  worker[MARK] = true;
  process.once('disconnect', () => process.exit(130));
}

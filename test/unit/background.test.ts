import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installRejectionPolicy, runInBackground } from '../../src/ports/background.js';

function recordingLog() {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  return { lines, error: (fields: object, message: string) => void lines.push({ fields: fields as Record<string, unknown>, message }) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('a background task', () => {
  it('that rejects is logged with its name and fields, and rejects nothing further', async () => {
    const log = recordingLog();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const blip = new Error('connect ECONNREFUSED 127.0.0.1:5432');
      runInBackground(log, 'dial-out call flow', Promise.reject(blip), { participant: 'p1' });
      runInBackground(log, 'event feed poll', async () => {
        throw blip;
      });
      runInBackground(log, 'a task that throws before its promise', () => {
        throw blip;
      });
      await tick();
      await tick();
      // The synchronous throw is logged at once, the rejections a tick later.
      expect(log.lines).toEqual([
        { fields: { err: blip, task: 'a task that throws before its promise' }, message: 'background task failed' },
        { fields: { participant: 'p1', err: blip, task: 'dial-out call flow' }, message: 'background task failed' },
        { fields: { err: blip, task: 'event feed poll' }, message: 'background task failed' },
      ]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('that succeeds logs nothing', async () => {
    const log = recordingLog();
    runInBackground(log, 'fine', Promise.resolve(42));
    await tick();
    expect(log.lines).toEqual([]);
  });
});

describe('the unhandled-rejection policy', () => {
  it('logs the reason and leaves the process running', () => {
    const log = recordingLog();
    const target = new EventEmitter();
    installRejectionPolicy(target, log);
    const reason = new Error('nobody caught me');
    target.emit('unhandledRejection', reason, Promise.resolve());
    expect(log.lines).toEqual([{ fields: { err: reason }, message: 'unhandled promise rejection; parley keeps running' }]);
  });
});

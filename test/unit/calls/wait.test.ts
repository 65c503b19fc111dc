import { describe, expect, it } from 'vitest';
import { pause, race, untilEnded, untilHangup } from '../../../src/calls/wait.js';
import { CallEnded } from '../../../src/ports/telephony.js';

const later = <T>(value: T, ms: number) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('call-flow waits', () => {
  it('race resolves with the promise, or undefined at its timeout', async () => {
    const ended = new AbortController().signal;
    expect(await race(ended, later('key', 5), 1_000)).toBe('key');
    expect(await race(ended, later('key', 1_000), 5)).toBeUndefined();
  });

  it('untilHangup waits for the promise however long it takes, and rejects with CallEnded on hangup', async () => {
    const call = new AbortController();
    expect(await untilHangup(call.signal, later('done', 20))).toBe('done');
    const waiting = untilHangup(call.signal, new Promise(() => undefined));
    call.abort();
    await expect(waiting).rejects.toBeInstanceOf(CallEnded);
    await expect(untilHangup(call.signal, Promise.resolve(1))).rejects.toBeInstanceOf(CallEnded);
  });

  it('pause waits its time, and the hangup cuts it short', async () => {
    const call = new AbortController();
    const started = Date.now();
    await pause(call.signal, 20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    const pausing = pause(call.signal, 10_000);
    call.abort();
    await expect(pausing).rejects.toBeInstanceOf(CallEnded);
  });

  it('untilEnded resolves when the call ends', async () => {
    const call = new AbortController();
    const ending = untilEnded(call.signal);
    call.abort();
    await expect(ending).resolves.toBeUndefined();
  });
});

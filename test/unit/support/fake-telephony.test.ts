// The fake telephony stands in for Asterisk in every flow test: these pin the behaviour flows rely on.
import { describe, expect, it } from 'vitest';
import type { Digit } from '../../../src/domain/keypad.js';
import { CallEnded } from '../../../src/ports/telephony.js';
import { FakeTelephony } from '../../support/fake-telephony.js';

describe('FakeCall', () => {
  it('records the prompts heard in order, one playback after another', async () => {
    const call = new FakeTelephony().newCall();

    const first = call.play(['a', 'b']);
    const second = call.play(['c']);
    await Promise.all([first.finished, second.finished]);

    expect(call.heard).toEqual(['a', 'b', 'c']);
    expect(call.interrupted).toEqual([]);
  });

  it('settles a stopped playback at once and does not play the rest of it', async () => {
    const call = new FakeTelephony({ promptMs: 1_000 }).newCall();

    const playback = call.play(['a', 'b']);
    await playback.stop();
    await playback.finished;

    expect(call.heard).toEqual(['a']);
    expect(call.interrupted).toEqual(['a']);
  });

  it('delivers scripted keys to digit listeners while the prompt plays', async () => {
    const call = new FakeTelephony({ promptMs: 1_000 }).newCall({ keys: { a: '12#' } });
    const keys: Digit[] = [];
    call.onDigit((digit) => keys.push(digit));

    const playback = call.play(['a']);
    await Promise.resolve();

    expect(keys).toEqual(['1', '2', '#']);
    expect(call.playing).toBe('a');
    await playback.stop();
  });

  it('aborts ended, settles playbacks and leaves its bridge when either side hangs up', async () => {
    const telephony = new FakeTelephony({ promptMs: 1_000 });
    const call = telephony.newCall();
    const bridge = telephony.bridge('conf');
    await bridge.open();
    await bridge.add(call.id);
    const playback = call.play(['a']);

    call.hangUp();
    await playback.finished;

    expect(call.ended.aborted).toBe(true);
    expect(call.hungUpBy).toBe('caller');
    expect(bridge.members.size).toBe(0);
    expect(telephony.call(call.id)).toBeUndefined();
    await expect(call.play(['b']).finished).resolves.toBeUndefined();
    expect(call.heard).toEqual(['a']);
  });

  it('fails to add a call that is gone, or to a bridge that is not open', async () => {
    const telephony = new FakeTelephony();
    const call = telephony.newCall();
    const bridge = telephony.bridge('conf');

    await expect(bridge.add(call.id)).rejects.toThrow(/not found/);
    await bridge.open();
    call.hangUp();
    await expect(bridge.add(call.id)).rejects.toBeInstanceOf(CallEnded);
  });
});

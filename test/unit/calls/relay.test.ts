import { describe, expect, it, vi } from 'vitest';
import { putThrough, type RelayDeps } from '../../../src/calls/relay.js';
import type { Conference } from '../../../src/domain/conference.js';
import type { RelayLeg } from '../../../src/ports/cluster.js';
import { KeypadBuffer } from '../../../src/calls/keypad-buffer.js';
import { FakeTelephony } from '../../support/fake-telephony.js';
import { quietLog } from '../harness.js';

/** A caller on node a whose conference lives on node b. */
function relayWorld() {
  const telephony = new FakeTelephony();
  const legs: RelayLeg[] = [];
  const deps: RelayDeps = {
    telephony,
    placements: { place: async () => 'node-b' },
    legs: {
      open: async (leg) => void legs.push(leg),
      redeem: async () => undefined,
      byChannel: async () => undefined,
      from: async () => legs,
      close: async () => undefined,
    },
    sipUriOf: async () => 'sip:127.0.0.3:5060',
    lost: () => new Promise(() => undefined),
    log: quietLog(),
  };
  const caller = telephony.newCall({ node: 'node-a' });
  // What the attendant hands over: the keys its buffer holds, the buffer then let go (as dial-in.ts does).
  const keypad = new KeypadBuffer(caller);
  const typedAhead = () => {
    const ahead = keypad.takeAll();
    keypad.dispose();
    return ahead;
  };
  return { telephony, deps, caller, typedAhead };
}

const conference = { id: 'c0ffee' } as Conference;

describe('a relayed caller', () => {
  it('has their keys passed on over the relay leg in the order pressed: those typed ahead first, then each as it comes', async () => {
    const { telephony, deps, caller, typedAhead } = relayWorld();
    caller.press('4711042#86');
    const through = putThrough(caller, conference, deps, typedAhead);
    await vi.waitFor(() => expect(telephony.placed).toHaveLength(1));
    const relay = telephony.placed[0]!.answer();
    // Still typing the passcode while the legs are bridged, and later a key in the conference.
    caller.press('42#');
    await vi.waitFor(() => expect(relay.sentDigits.join('')).toBe('4711042#8642#'));
    caller.press('*6');
    await vi.waitFor(() => expect(relay.sentDigits.join('')).toBe('4711042#8642#*6'));
    await caller.hangup();
    await expect(through).resolves.toBe('relayed');
    expect(relay.hungUp).toBe(true);
  });

  it('keeps no key from a caller who hung up: nothing more is sent after the call ends', async () => {
    const { telephony, deps, caller, typedAhead } = relayWorld();
    const through = putThrough(caller, conference, deps, typedAhead);
    await vi.waitFor(() => expect(telephony.placed).toHaveLength(1));
    const relay = telephony.placed[0]!.answer();
    caller.press('1');
    await vi.waitFor(() => expect(relay.sentDigits).toEqual(['1']));
    await relay.hangup();
    await through;
    caller.press('2');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(relay.sentDigits).toEqual(['1']);
  });
});

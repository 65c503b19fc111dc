// The native reference `npm run bench` measures parley against (asterisk-config/extensions.conf,
// [native-reference]): a caller who dials it and keys an ID ends up in Asterisk's own ConfBridge
// conference of that name, with whoever keyed the same ID. parley plays no part in it.
import { randomInt } from 'node:crypto';
import { expect, it } from 'vitest';
import { ari } from '../support/ari.js';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';

interface Bridge {
  readonly id: string;
  readonly creator: string;
  readonly name: string;
  readonly channels: string[];
}

it('puts callers who key the same ID on the native reference number into one ConfBridge conference', async () => {
  const id = String(randomInt(1_000_000, 9_999_999));
  const keys = [{ afterMs: 500, keys: `${id}##` }];
  const callers = [placeCall({ number: 'native-reference', keys, holdMs: 8000 }), placeCall({ number: 'native-reference', keys, holdMs: 8000 })];
  const bridge = await eventually(async () => {
    const found = (await ari<Bridge[]>('GET', '/bridges')).find((b) => b.creator === 'ConfBridge' && b.name === id);
    const names = await Promise.all((found?.channels ?? []).map(async (channel) => (await ari<{ name: string }>('GET', `/channels/${channel}`)).name));
    expect(names.filter((name) => name.startsWith('PJSIP/gateway-'))).toHaveLength(2);
    return found!;
  }, 15_000, 250);
  expect(bridge.channels.length).toBeGreaterThanOrEqual(2);
  for (const caller of callers) {
    const result = await caller.done;
    expect(result.exitCode, result.log).toBe(0);
    expect(result.hungUpByBridge).toBe(false); // they stayed until they hung up themselves
  }
  // The conference ends with its last caller.
  await eventually(async () => expect((await ari<Bridge[]>('GET', '/bridges')).some((b) => b.name === id)).toBe(false), 5000);
}, 40_000);

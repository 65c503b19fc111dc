// Keypad brute force across calls on a real Asterisk: one number that keeps typing wrong conference IDs
// is slowed down and then refused, told why in its language; callers from other numbers are not.
import { describe, expect, it } from 'vitest';
import { useAriWatch } from '../support/ari-watch.js';
import { meeting, mediaOf, roster } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';

// The default thresholds (30 wrong entries refuse), with short waits so that ten calls fit in a test.
const parley = useParley({ NAME_RECORDING_SECONDS: '0', KEYPAD_SLOW_AFTER: '6', KEYPAD_DELAY_STEP_MS: '100', KEYPAD_MAX_DELAY_MS: '400', KEYPAD_REFUSE_AFTER: '30' });
const ari = useAriWatch();

const FRENCH_LINE = '18005559300';
const GUESSER = '+12065550666';
const played = (callerId: string) => mediaOf(ari.playedTo(callerId));
const count = (media: string[], prompt: string) => media.filter((m) => m === `sound:parley/${prompt}`).length;

/** Three wrong conference IDs (no conference ID starts with 0), each after the attendant has answered the one before. */
const threeWrongIds = [
  { afterMs: 1500, keys: '0000001#' },
  { afterMs: 3000, keys: '0000002#' },
  { afterMs: 3000, keys: '0000003#' },
];

describe('keypad guessing across calls', () => {
  it('30 wrong IDs over 10 calls from one number: the 11th call is refused at once, in its language; another number gets in', async () => {
    const created = await parley().api('POST', '/api/v1/access-numbers', { number: FRENCH_LINE, display: `+${FRENCH_LINE}`, region: 'US', primaryLanguage: 'fr-CA' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const m = await meeting(parley(), { passcode: '4321' });

    // Ten calls, five at a time: each makes three wrong entries and is released.
    for (const batch of [0, 1]) {
      const calls = Array.from({ length: 5 }, () => placeCall({ number: FRENCH_LINE, callerId: GUESSER, keys: threeWrongIds, holdMs: 30_000 }));
      const results = await Promise.all(calls.map((c) => c.done));
      for (const result of results) expect(result.hungUpByBridge, `batch ${batch}: ${result.log.slice(-2000)}`).toBe(true);
    }
    const afterTen = played(GUESSER);
    expect(count(afterTen, 'welcome')).toBe(10);
    // The 30th wrong entry refuses the number: that call hears why instead of "please check your details".
    expect(count(afterTen, 'too-many-tries')).toBe(9);
    expect(count(afterTen, 'keypad-refused')).toBe(1);

    // The 11th call hears only the refusal (no welcome, no question), in French, and is released.
    const started = Date.now();
    // (It types nothing: it is never asked, and SIPp counts a BYE in the middle of sending keys as a failure.)
    const eleventh = await placeCall({ number: FRENCH_LINE, callerId: GUESSER, holdMs: 30_000 }).done;
    const tookMs = Date.now() - started;
    expect(eleventh.hungUpByBridge, eleventh.log.slice(-2000)).toBe(true);
    const heard = ari.playedTo(GUESSER).slice(afterTen.length);
    expect(heard.map((p) => p.media)).toEqual(['sound:parley/keypad-refused']);
    expect(heard[0]!.language).toBe('fr_CA');
    // The refusal prompt is about 8 s of speech; a call that was asked for an ID would take 15 s or more.
    expect(tookMs).toBeLessThan(14_000);

    // Another number on the same line, with the right ID and passcode, is not affected.
    const colleague = placeCall({ number: FRENCH_LINE, callerId: '+12065550777', keys: [{ afterMs: 1500, keys: `${m.conferenceId}#4321#` }], holdMs: 8000 });
    await eventually(async () => expect(await roster(parley(), m.id)).toMatchObject([{ state: 'connected' }]), 30_000);
    await colleague.done;
    expect(count(played('+12065550777'), 'keypad-refused')).toBe(0);
  }, 240_000);

  it('a caller who never gets past the passcode leaves no row on the roster', async () => {
    const m = await meeting(parley(), { passcode: '8642' });
    const result = await placeCall({
      callerId: '+12065550888',
      keys: [
        { afterMs: 1500, keys: `${m.conferenceId}#` },
        { afterMs: 3000, keys: '1111#' },
        { afterMs: 3000, keys: '2222#' },
        { afterMs: 3000, keys: '3333#' },
      ],
      holdMs: 30_000,
    }).done;
    expect(result.hungUpByBridge, result.log.slice(-2000)).toBe(true);
    expect(count(played('+12065550888'), 'invalid-passcode')).toBeGreaterThanOrEqual(1);
    expect(await roster(parley(), m.id)).toEqual([]);
  }, 60_000);
});

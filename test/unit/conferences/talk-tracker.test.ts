import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TALK_WRITE_MS, TalkTracker } from '../../../src/conferences/talk-tracker.js';
import type { TalkChange } from '../../../src/ports/store.js';
import { quietLog } from '../harness.js';

const CONFERENCE = 'c'.repeat(32);

/** A tracker over stores that record what they were asked; `muted` and `gone` say how lines are stored. */
function tracker({ muted = new Set<string>(), gone = new Set<string>() } = {}) {
  const writes: TalkChange[][] = [];
  const speakers: Array<string | null> = [];
  const talk = new TalkTracker({
    conferences: { setActiveSpeaker: async (_id, participantId) => void speakers.push(participantId) },
    participants: {
      setTalking: async (changes) => {
        writes.push([...changes]);
        return changes.filter((c) => !gone.has(c.id)).map((c) => ({ id: c.id, muted: muted.has(c.id) }));
      },
      setNoisy: async () => undefined,
    },
    log: quietLog(),
    now: () => Date.now(),
  });
  return { talk, writes, speakers };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('talk state written in batches', () => {
  it("writes a quiet conference's first event at once, then gathers a conference's events for a moment into one statement, each line's latest word", async () => {
    const { talk, writes } = tracker();
    const first = talk.talk(CONFERENCE, 'ann', true);
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toEqual([[{ id: 'ann', talking: true }]]);
    expect(await first).toEqual({ muted: false });

    const later = [talk.talk(CONFERENCE, 'bo', true), talk.talk(CONFERENCE, 'cy', true)];
    await vi.advanceTimersByTimeAsync(100);
    later.push(talk.talk(CONFERENCE, 'bo', false));
    await vi.advanceTimersByTimeAsync(TALK_WRITE_MS - 110);
    expect(writes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(writes).toEqual([
      [{ id: 'ann', talking: true }],
      [
        { id: 'bo', talking: false },
        { id: 'cy', talking: true },
      ],
    ]);
    expect(await Promise.all(later)).toEqual([{ muted: false }, { muted: false }, { muted: false }]);
    talk.stop();
  });

  it('feeds the monitor in the order the events came, with what the store says about muting, and writes the active speaker once per batch', async () => {
    const { talk, speakers } = tracker({ muted: new Set(['ann']) });
    await vi.advanceTimersByTimeAsync(0);
    const events = [talk.talk(CONFERENCE, 'ann', true), talk.talk(CONFERENCE, 'bo', true), talk.talk(CONFERENCE, 'cy', true)];
    await vi.advanceTimersByTimeAsync(0);
    expect(await Promise.all(events)).toEqual([{ muted: true }, { muted: false }, { muted: false }]);
    // Ann is muted: Bo, who started next, holds the floor; Cy only talks over him.
    expect(speakers).toEqual(['bo']);

    const stop = [talk.talk(CONFERENCE, 'bo', false), talk.talk(CONFERENCE, 'bo', true)];
    await vi.advanceTimersByTimeAsync(TALK_WRITE_MS);
    await Promise.all(stop);
    // Bo paused and went on within one batch: the floor passed to Cy meanwhile, and she keeps it while she talks.
    expect(speakers).toEqual(['bo', 'cy']);
    talk.stop();
  });

  it('answers undefined for a line that is not connected, and drops the events of a line that leaves before they are written', async () => {
    const { talk, writes } = tracker({ gone: new Set(['dee']) });
    const gone = talk.talk(CONFERENCE, 'dee', true);
    await vi.advanceTimersByTimeAsync(0);
    expect(await gone).toBeUndefined();
    const pending = talk.talk(CONFERENCE, 'eve', true);
    await talk.leave(CONFERENCE, 'eve');
    expect(await pending).toBeUndefined();
    await vi.advanceTimersByTimeAsync(TALK_WRITE_MS * 2);
    expect(writes).toEqual([[{ id: 'dee', talking: true }]]);
    talk.stop();
  });

  it('writes what it has gathered when the process drains', async () => {
    const { talk, writes } = tracker();
    const first = talk.talk(CONFERENCE, 'ann', true);
    await vi.advanceTimersByTimeAsync(0);
    await first;
    const pending = talk.talk(CONFERENCE, 'ann', false);
    await talk.drain();
    expect(writes).toEqual([[{ id: 'ann', talking: true }], [{ id: 'ann', talking: false }]]);
    expect(await pending).toEqual({ muted: false });
    talk.stop();
  });
});

import { describe, expect, it } from 'vitest';
import { TalkMonitor } from '../../../src/domain/talk-monitor.js';

const s = (seconds: number) => seconds * 1000;

describe('active speaker', () => {
  it('goes to the first to talk, holds while they talk over others, then passes to who is still talking', () => {
    const m = new TalkMonitor();
    expect(m.talk('ann', true, false, s(0)).activeSpeaker).toBe('ann');
    expect(m.talk('bo', true, false, s(1)).activeSpeaker).toBeUndefined();
    expect(m.activeSpeaker).toBe('ann');
    expect(m.talk('ann', false, false, s(2)).activeSpeaker).toBe('bo');
    expect(m.talk('bo', false, false, s(3)).activeSpeaker).toBeNull();
  });

  it('never goes to a muted line, and moves on when the speaker is muted', () => {
    const m = new TalkMonitor();
    m.talk('ann', true, true, s(0));
    expect(m.activeSpeaker).toBeNull();
    m.talk('bo', true, false, s(1));
    m.talk('cy', true, false, s(2));
    expect(m.activeSpeaker).toBe('bo');
    expect(m.mute('bo', true, s(3)).activeSpeaker).toBe('cy');
    expect(m.mute('ann', false, s(4)).activeSpeaker).toBeUndefined(); // cy holds the floor
    expect(m.talk('cy', false, false, s(5)).activeSpeaker).toBe('ann'); // unmuted, talking longest
  });

  it('moves on when the speaker leaves', () => {
    const m = new TalkMonitor();
    m.talk('ann', true, false, s(0));
    m.talk('bo', true, false, s(1));
    expect(m.leave('ann', s(2)).activeSpeaker).toBe('bo');
  });
});

describe('noise source', () => {
  it('marks a line that keeps sounding while another takes the floor, and clears it when it falls silent', () => {
    const m = new TalkMonitor();
    m.talk('street', true, false, s(0));
    expect(m.activeSpeaker).toBe('street'); // nothing says it is noise yet
    m.talk('ann', true, false, s(10));
    expect(m.tick(s(14)).noisy.size).toBe(0); // 4 s over it: not yet
    const marked = m.tick(s(15));
    expect(marked.noisy.get('street')).toBe(true);
    expect(marked.activeSpeaker).toBe('ann');
    expect(m.tick(s(40)).noisy.size).toBe(0); // stays marked, reported once
    expect(m.talk('street', false, false, s(41)).noisy.get('street')).toBe(false);
  });

  it('counts finished turns of others inside the stretch, and needs the stretch to be long', () => {
    const m = new TalkMonitor();
    m.talk('fan', true, false, s(0));
    m.talk('ann', true, false, s(1));
    m.talk('ann', false, false, s(4)); // 3 s
    m.talk('bo', true, false, s(6));
    expect(m.talk('bo', false, false, s(8)).noisy.size).toBe(0); // 5 s of others, but only 8 s long
    expect(m.tick(s(14)).noisy.size).toBe(0);
    expect(m.tick(s(15)).noisy.get('fan')).toBe(true);
  });

  it('does not mark a long talker whom nobody interrupts, nor one who started over an unnoticed noise line', () => {
    const m = new TalkMonitor();
    m.talk('hum', true, false, s(0));
    m.talk('lecturer', true, false, s(1));
    const later = m.tick(s(60));
    expect(later.noisy.get('lecturer')).toBeUndefined();
    expect(later.noisy.get('hum')).toBe(true);
    expect(m.activeSpeaker).toBe('lecturer');
  });

  it('a pause resets the stretch: talk in turns is never noise', () => {
    const m = new TalkMonitor();
    for (let t = 0; t < 120; t += 10) {
      m.talk('ann', true, false, s(t));
      m.talk('bo', true, false, s(t + 4));
      expect(m.talk('ann', false, false, s(t + 6)).noisy.size).toBe(0);
      expect(m.talk('bo', false, false, s(t + 9)).noisy.size).toBe(0);
    }
    expect(m.busy).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { leavesTheBridge, mayMove, predecessorsOf, PARTICIPANT_STATES, stillLive, stillRinging } from '../../../src/domain/roster.js';

describe('the roster state machine', () => {
  it('follows a dial-in through the attendant, the lobby and the bridge to the end', () => {
    const path = ['connecting', 'lobby', 'connecting', 'connected', 'on-hold', 'connected', 'disconnecting', 'disconnected'] as const;
    path.slice(1).forEach((to, i) => expect(mayMove(path[i]!, to), `${path[i]} → ${to}`).toBe(true));
  });

  it('follows a dial-out from inviting and ringing', () => {
    expect(mayMove('inviting', 'ringing')).toBe(true);
    expect(mayMove('ringing', 'connecting')).toBe(true);
    expect(mayMove('ringing', 'disconnected')).toBe(true);
    expect(mayMove('ringing', 'connected')).toBe(false);
  });

  it('never brings back a participant who left or is leaving', () => {
    for (const to of PARTICIPANT_STATES.filter((s) => s !== 'disconnected')) expect(mayMove('disconnected', to), to).toBe(false);
    for (const to of PARTICIPANT_STATES.filter((s) => s !== 'disconnected' && s !== 'disconnecting')) expect(mayMove('disconnecting', to), to).toBe(false);
  });

  it('lets anyone leave at any time, and leaving twice is harmless', () => {
    expect(predecessorsOf('disconnected').sort()).toEqual([...PARTICIPANT_STATES].sort());
    expect(mayMove('disconnected', 'disconnected')).toBe(true);
  });

  it('does not skip the attendant: nobody is ringing into the lobby or held before joining', () => {
    expect(mayMove('inviting', 'lobby')).toBe(false);
    expect(mayMove('connecting', 'on-hold')).toBe(false);
    expect(mayMove('lobby', 'on-hold')).toBe(false);
    expect(predecessorsOf('on-hold')).toEqual(['connected', 'on-hold']);
  });
});

describe('where a participant is, for the conference rules', () => {
  const where = (rule: (state: (typeof PARTICIPANT_STATES)[number]) => boolean) => PARTICIPANT_STATES.filter(rule);

  it('counts everyone not gone or leaving as still live (a leader ending the gathering reaches them)', () => {
    expect(where(stillLive)).toEqual(['inviting', 'ringing', 'connecting', 'lobby', 'connected', 'on-hold']);
  });

  it('counts only unanswered placed calls as ringing', () => {
    expect(where(stillRinging)).toEqual(['inviting', 'ringing']);
  });

  it('announces the leaving of callers heard in the bridge, a dismissed one included', () => {
    expect(where(leavesTheBridge)).toEqual(['connected', 'on-hold', 'disconnecting']);
  });
});

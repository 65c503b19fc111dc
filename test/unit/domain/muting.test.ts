import { describe, expect, it } from 'vitest';
import {
  audienceMuteLapses,
  audienceMuteTargets,
  joinsMuted,
  lineSilenced,
  maySelfUnmute,
  mutedByLeader,
  muteAfterRoleChange,
} from '../../../src/domain/muting.js';
import type { MutedBy, ParticipantRole } from '../../../src/domain/participant.js';

const caller = (id: string, role: ParticipantRole, muted: boolean, mutedBy: MutedBy | null = muted ? 'self' : null) => ({ id, role, muted, mutedBy });

describe('the mute rules', () => {
  it('mutes joiners with the audience, never leaders', () => {
    expect(joinsMuted({ audienceMuted: true }, { role: 'participant' })).toBe(true);
    expect(joinsMuted({ audienceMuted: true }, { role: 'leader' })).toBe(false);
    expect(joinsMuted({ audienceMuted: false }, { role: 'participant' })).toBe(false);
  });

  it('refuses *6 only to a caller muted with an audience that may not unmute itself', () => {
    const audienceMuted = { muted: true, mutedBy: 'audience' as const };
    expect(maySelfUnmute(audienceMuted, { audienceMuted: true, audienceMayUnmute: false })).toBe(false);
    expect(maySelfUnmute(audienceMuted, { audienceMuted: true, audienceMayUnmute: true })).toBe(true);
    expect(maySelfUnmute(audienceMuted, { audienceMuted: false, audienceMayUnmute: false })).toBe(true);
    expect(maySelfUnmute(audienceMuted, undefined)).toBe(true);
    expect(maySelfUnmute({ muted: true, mutedBy: 'leader' }, { audienceMuted: true, audienceMayUnmute: false })).toBe(true);
    expect(maySelfUnmute({ muted: false, mutedBy: null }, { audienceMuted: true, audienceMayUnmute: false })).toBe(true);
  });

  it('mutes every open non-leader with the audience, and lifts only the audience mute', () => {
    const present = [
      caller('leader', 'leader', false),
      caller('open', 'participant', false),
      caller('self', 'participant', true, 'self'),
      caller('by-leader', 'participant', true, 'leader'),
      caller('audience', 'participant', true, 'audience'),
    ];
    expect(audienceMuteTargets(present, true).map((p) => p.id)).toEqual(['open']);
    expect(audienceMuteTargets(present, false).map((p) => p.id)).toEqual(['audience']);
    expect(audienceMuteTargets([caller('muted-leader', 'leader', true, 'audience')], false)).toEqual([]);
  });

  it('keeps a held line silenced whatever the roster says', () => {
    expect(lineSilenced(false, 'on-hold')).toBe(true);
    expect(lineSilenced(true, 'connected')).toBe(true);
    expect(lineSilenced(false, 'connected')).toBe(false);
  });

  it('tells the caller a leader changed their mute unless they did it themselves', () => {
    expect(mutedByLeader('self')).toBe(false);
    expect(mutedByLeader('leader')).toBe(true);
    expect(mutedByLeader('audience')).toBe(true);
  });

  it('takes a promoted caller out of the audience mute and puts a demoted one in it', () => {
    expect(muteAfterRoleChange('leader', { muted: true, mutedBy: 'audience' }, { audienceMuted: true })).toBe('unmute');
    expect(muteAfterRoleChange('leader', { muted: true, mutedBy: 'self' }, { audienceMuted: true })).toBeUndefined();
    expect(muteAfterRoleChange('participant', { muted: false, mutedBy: null }, { audienceMuted: true })).toBe('mute');
    expect(muteAfterRoleChange('participant', { muted: true, mutedBy: 'self' }, { audienceMuted: true })).toBeUndefined();
    expect(muteAfterRoleChange('participant', { muted: false, mutedBy: null }, { audienceMuted: false })).toBeUndefined();
  });

  it('lets the audience mute lapse when the last caller leaves', () => {
    expect(audienceMuteLapses({ audienceMuted: true }, 0)).toBe(true);
    expect(audienceMuteLapses({ audienceMuted: true }, 1)).toBe(false);
    expect(audienceMuteLapses({ audienceMuted: false }, 0)).toBe(false);
  });
});

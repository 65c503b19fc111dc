// One-time browser endpoints: made per join with a digest of a fresh password, known by who calls through
// them, removed when the call ends (and, unused, after a day's half).
import { describe, expect, it } from 'vitest';
import { BrowserAudio } from '../../../src/conferences/browser-audio.js';
import type { Conference } from '../../../src/domain/conference.js';
import type { User } from '../../../src/domain/user.js';
import type { BrowserAudioSession, BrowserAudioStore } from '../../../src/ports/browser-audio-store.js';
import { sipDigest, type SipDevice, type SipRegistrar } from '../../../src/ports/telephony.js';

function setUp() {
  let now = new Date('2026-12-04T09:00:00Z');
  const sessions = new Map<string, BrowserAudioSession>();
  const store: BrowserAudioStore = {
    async save(s) {
      sessions.set(s.username, { ...s, createdAt: now });
    },
    get: async (username) => sessions.get(username),
    async remove(username) {
      const s = sessions.get(username);
      sessions.delete(username);
      return s;
    },
    async removeOlderThan(before) {
      const old = [...sessions.values()].filter((s) => s.createdAt < before);
      for (const s of old) sessions.delete(s.username);
      return old;
    },
  };
  const endpoints = new Map<string, SipDevice>();
  const registrar: SipRegistrar = {
    provision: async () => undefined,
    provisionBrowser: async (device) => void endpoints.set(device.username, device),
    remove: async (username) => void endpoints.delete(username),
    contacts: async () => [],
  };
  const ann = { id: 'u-ann', displayName: 'Ann Lee' } as User;
  const service = new BrowserAudio({
    store,
    users: { get: async (id) => (id === ann.id ? ann : undefined) },
    registrar,
    sipUri: (id) => `sip:${id}@pbx.example.com`,
    clock: { now: () => now },
    log: { warn: () => undefined } as never,
  });
  const conference = { id: 'c1', conferenceId: '4711042' } as Conference;
  return { service, endpoints, sessions, ann, conference, later: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('browser audio sessions', () => {
  it('gives a signed-in user an endpoint of their own, checked by the digest of a password only the page gets', async () => {
    const w = setUp();
    const grant = await w.service.forUser({ kind: 'user', user: w.ann }, w.conference);
    expect(grant).toMatchObject({ sipUri: 'sip:4711042@pbx.example.com', websocketPath: '/sip-ws', displayName: 'Ann Lee' });
    expect(grant.username).toMatch(/^web-[0-9a-f]{16}$/);
    expect(w.endpoints.get(grant.username)?.ha1).toBe(sipDigest(grant.username, grant.password));
    expect(await w.service.callerOf(grant.username)).toEqual({ kind: 'user', user: w.ann });
    await expect(w.service.forUser({ kind: 'service' }, w.conference)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('a guest’s endpoint joins only its conference, under the name typed (trimmed), never an empty one', async () => {
    const w = setUp();
    const grant = await w.service.forGuest(w.conference, '  Pat   from Contoso ');
    expect(await w.service.callerOf(grant.username)).toEqual({ kind: 'guest', conferenceId: 'c1', displayName: 'Pat from Contoso' });
    await expect(w.service.forGuest(w.conference, '   ')).rejects.toMatchObject({ code: 'validation-failed' });
    // A user's phone is no browser session.
    expect(await w.service.callerOf('ann')).toBeUndefined();
  });

  it('removes the endpoint when its call ends, and unused ones after twelve hours', async () => {
    const w = setUp();
    const used = await w.service.forGuest(w.conference, 'Pat');
    const unused = await w.service.forGuest(w.conference, 'Lee');
    await w.service.ended(used.username);
    expect(w.endpoints.has(used.username)).toBe(false);
    expect(await w.service.callerOf(used.username)).toBeUndefined();

    w.later(12 * 60 * 60_000 + 1);
    await w.service.forGuest(w.conference, 'Next');
    expect(w.endpoints.has(unused.username)).toBe(false);
    expect(w.sessions.has(unused.username)).toBe(false);
  });
});

// The call-to-a-user flow against the telephony fake: who rings, who wins, what the losers are told,
// and where an unanswered call goes. (Proven on the real Asterisk in test/e2e/simultaneous-ring.test.ts.)
import { describe, expect, it } from 'vitest';
import { reattachUserCall, ringUser, settleUserCalls, type UserCallDeps } from '../../../src/calls/ring-user.js';
import type { UserCallPair, UserCallStore } from '../../../src/ports/user-call-store.js';
import { DEFAULT_CALL_FORWARDING, planCall, type CallForwardingSettings, type PresenceState } from '../../../src/domain/call-routing.js';
import type { User } from '../../../src/domain/user.js';
import { FakeTelephony } from '../../support/fake-telephony.js';
import { eventually, quietLog } from '../harness.js';

const user = (id: string, work: string): User =>
  ({ id, displayName: id, sipUri: `sip:${id}@example.com`, email: `${id}@example.com`, extension: null, phones: { work }, region: 'US', role: 'user' }) as unknown as User;

function memoryUserCalls(): UserCallStore & { readonly pairs: Map<string, UserCallPair> } {
  const pairs = new Map<string, UserCallPair>();
  return {
    pairs,
    save: async (pair) => void pairs.set(pair.callId, pair),
    byChannel: async (id) => [...pairs.values()].find((p) => p.callId === id || p.legId === id),
    remove: async (callId) => void pairs.delete(callId),
    all: async () => [...pairs.values()],
  };
}

function setUp(
  options: {
    settings?: Record<string, Partial<CallForwardingSettings>>;
    contacts?: Record<string, string[]>;
    presence?: PresenceState;
    forwardRingSeconds?: number;
    from?: string;
    voicemailBytes?: number;
    /** Numbers the dial-out guard refuses when they are dialled. */
    refused?: string[];
    forwardCallerId?: 'original' | 'user';
  } = {},
) {
  const guarded: Array<{ userId: string; number: string; purpose: string }> = [];
  const telephony = new FakeTelephony();
  const people = { ann: user('ann', '+15035551234'), bo: user('bo', '+15035552345') };
  const calls = memoryUserCalls();
  const messages: Array<{ userId: string; callerNumber: string; recording: string; seconds: number }> = [];
  const removed: string[] = [];
  const deps: UserCallDeps = {
    telephony,
    calls,
    registrar: { contacts: async (username) => options.contacts?.[username] ?? [] },
    devices: { usernameOf: async (userId) => userId, provisionAll: async () => undefined },
    forwarding: {
      userForNumber: async () => undefined,
      userById: async (id) => Object.values(people).find((p) => p.id === id),
      userCalling: async (number) => Object.values(people).find((p) => p.phones.work === number),
      planFor: async (calledUserId, callerUserId, contacts, forwardedVia) =>
        planCall({
          calledUserId,
          settings: { ...DEFAULT_CALL_FORWARDING, ...options.settings?.[calledUserId] } as CallForwardingSettings,
          presence: calledUserId === 'ann' ? (options.presence ?? 'available') : 'available',
          contacts,
          callerUserId,
          forwardedVia,
        }),
    },
    guard: {
      placeFor: async (userId, number, leg) => {
        guarded.push({ userId, number, purpose: leg.purpose });
        return options.refused?.includes(number) ? undefined : { e164: number, ringSeconds: 30 };
      },
      track: () => undefined,
    },
    ...(options.forwardCallerId ? { forwardCallerId: options.forwardCallerId } : {}),
    forwardRingSeconds: options.forwardRingSeconds ?? 30,
    voicemail: {
      voicemails: { insert: async (v) => (messages.push(v), { ...v, createdAt: new Date() }) },
      files: { size: async () => options.voicemailBytes, remove: async (name) => (removed.push(name), true) },
      maxSeconds: 120,
      log: quietLog(),
    },
    log: quietLog(),
  };
  const caller = telephony.newCall({ dialed: '15035551234', ...(options.from ? { caller: { number: options.from } } : {}) });
  return { telephony, people, deps, calls, messages, removed, caller, guarded, done: ringUser(caller, people.ann, deps) };
}

describe('a call to a user', () => {
  it('rings every registered phone and the extra number at once; the first to answer takes the call, the rest hear "answered elsewhere"', async () => {
    const { telephony, caller, calls, done } = setUp({
      contacts: { ann: ['sip:desk@10.0.0.5', 'sip:soft@10.0.0.6'] },
      settings: { ann: { mode: 'simultaneous-ring', alsoRing: { kind: 'phone', number: '+17185550100' } } },
    });
    await eventually(() => expect(telephony.placed).toHaveLength(3));
    expect(caller.ringbacks).toBe(1);
    expect(telephony.placed.map((p) => p.request.to)).toEqual([
      { endpoint: 'ann', contact: 'sip:desk@10.0.0.5' },
      { endpoint: 'ann', contact: 'sip:soft@10.0.0.6' },
      { phone: '+17185550100' },
    ]);
    expect(telephony.placed.every((p) => p.request.callerId === caller.caller && p.request.ringSeconds === 20)).toBe(true);
    const soft = telephony.placed[1]!.answer();
    await eventually(() => expect(caller.bridge).toBeDefined());
    expect(soft.bridge).toBe(caller.bridge);
    expect(telephony.placed.map((p) => p.cancelledWith)).toEqual(['elsewhere', undefined, 'elsewhere']);
    // Kept where a restarted parley finds it.
    await eventually(() => expect([...calls.pairs.values()]).toEqual([{ callId: caller.id, legId: soft.id, userId: 'ann' }]));

    soft.hangUp();
    await done;
    expect(caller.ended.aborted).toBe(true);
    expect(calls.pairs.size).toBe(0);
  });

  it('remembers the answered pair before the other phones are told (a restart meanwhile re-attaches, not re-rings)', async () => {
    const { telephony, caller, calls, deps } = setUp({ contacts: { ann: ['sip:desk@10.0.0.5', 'sip:soft@10.0.0.6'] } });
    const cancelledAtSave: unknown[] = [];
    const save = calls.save;
    (deps as { calls: UserCallStore }).calls.save = async (pair) => {
      cancelledAtSave.push(...telephony.placed.map((p) => p.cancelledWith));
      await save(pair);
    };
    await eventually(() => expect(telephony.placed).toHaveLength(2));
    telephony.placed[0]!.answer();
    await eventually(() => expect(caller.bridge).toBeDefined());
    expect(cancelledAtSave).toEqual([undefined, undefined]);
    expect(telephony.placed[1]!.cancelledWith).toBe('elsewhere');
  });

  it('after a restart, re-attaches both sides of an answered call: whichever hangs up ends the other', async () => {
    const { telephony, deps, calls } = setUp();
    const caller = telephony.newCall({ id: 'in-1', adopted: true, inBridge: 'call-in-1' });
    const leg = telephony.newCall({ id: 'leg-1', adopted: true, placed: true, inBridge: 'call-in-1' });
    const pair = { callId: 'in-1', legId: 'leg-1', userId: 'ann' };
    await calls.save(pair);
    const both = Promise.all([reattachUserCall(caller, pair, deps), reattachUserCall(leg, pair, deps)]);
    leg.hangUp();
    await both;
    expect(caller.ended.aborted).toBe(true);
    expect(calls.pairs.size).toBe(0);
    // Both were in their bridge: neither was added again (Asterisk would take it out and back in).
    expect(telephony.bridge('call-in-1').history.filter((h) => h.startsWith('add'))).toEqual([]);
  });

  it('after a restart between the answer and the bridging, bridges the two itself rather than dropping them', async () => {
    const { telephony, deps, calls } = setUp();
    const caller = telephony.newCall({ id: 'in-4', adopted: true });
    const leg = telephony.newCall({ id: 'leg-4', adopted: true, placed: true });
    const pair = { callId: 'in-4', legId: 'leg-4', userId: 'ann' };
    await calls.save(pair);
    const both = Promise.all([reattachUserCall(caller, pair, deps), reattachUserCall(leg, pair, deps)]);
    await eventually(() => {
      expect(caller.bridge).toBe('parley-call-in-4');
      expect(leg.bridge).toBe('parley-call-in-4');
    });
    expect(caller.ended.aborted || leg.ended.aborted).toBe(false);
    caller.hangUp();
    await both;
    expect(leg.ended.aborted).toBe(true);
    expect(calls.pairs.size).toBe(0);
  });

  it('ends a call whose other side hung up while parley was away', async () => {
    const { telephony, deps, calls } = setUp();
    const survivor = telephony.newCall({ id: 'in-2', adopted: true });
    await calls.save({ callId: 'in-2', legId: 'leg-gone', userId: 'ann' });
    await calls.save({ callId: 'in-3', legId: 'leg-3', userId: 'ann' });
    await settleUserCalls(new Set(['in-2', 'in-3', 'leg-3']), deps);
    expect(survivor.ended.aborted).toBe(true);
    expect([...calls.pairs.keys()]).toEqual(['in-3']);
  });

  it('rings the Team-call group on their own registered phones together with the user’s', async () => {
    const { telephony, caller, done } = setUp({
      contacts: { ann: ['sip:desk@10.0.0.5'], bo: ['sip:bo@10.0.0.7'] },
      settings: { ann: { mode: 'simultaneous-ring', alsoRing: { kind: 'team' }, teamMembers: ['bo'] } },
    });
    await eventually(() => expect(telephony.placed.map((p) => p.request.to)).toEqual([{ endpoint: 'ann', contact: 'sip:desk@10.0.0.5' }, { endpoint: 'bo', contact: 'sip:bo@10.0.0.7' }]));
    telephony.placed[1]!.answer();
    await eventually(() => expect(caller.bridge).toBeDefined());
    expect(telephony.placed[0]!.cancelledWith).toBe('elsewhere');
    caller.hangUp();
    await done;
  });

  it('stops every phone when the caller hangs up while they ring', async () => {
    const { telephony, caller, done } = setUp({ contacts: { ann: ['sip:desk@10.0.0.5', 'sip:soft@10.0.0.6'] } });
    await eventually(() => expect(telephony.placed).toHaveLength(2));
    caller.hangUp();
    await done;
    expect(telephony.placed.map((p) => p.cancelledWith)).toEqual(['normal', 'normal']);
  });

  it('moves an unanswered call on to the number chosen, and the caller hears busy when that fails too', async () => {
    const { telephony, caller, done } = setUp({
      contacts: { ann: ['sip:desk@10.0.0.5'] },
      settings: { ann: { noAnswer: { afterSeconds: 5, then: { kind: 'phone', number: '+12125550100' } } } },
      forwardRingSeconds: 7,
    });
    await eventually(() => expect(telephony.placed).toHaveLength(1));
    telephony.placed[0]!.fail('no-answer');
    await eventually(() => expect(telephony.placed).toHaveLength(2));
    expect(telephony.placed[1]!.request).toMatchObject({ to: { phone: '+12125550100' }, ringSeconds: 7 });
    telephony.placed[1]!.fail('busy');
    await done;
    expect(caller.hungUpWith).toBe('busy');
  });

  it('hands the call to a colleague under their own settings, and ends as busy when nothing answers', async () => {
    const { telephony, caller, done } = setUp({
      settings: { ann: { noAnswer: { afterSeconds: 5, then: { kind: 'user', userId: 'bo' } } }, bo: { noAnswer: { afterSeconds: 5, then: { kind: 'none' } } } },
      contacts: { bo: ['sip:bo@10.0.0.7'] },
    });
    // Ann has no phone registered: Bo's rings at once.
    await eventually(() => expect(telephony.placed.map((p) => p.request.to)).toEqual([{ endpoint: 'bo', contact: 'sip:bo@10.0.0.7' }]));
    telephony.placed[0]!.fail('declined');
    await done;
    expect(caller.hungUpWith).toBe('busy');
  });

  it('in Do Not Disturb rings nothing for a stranger, but rings through for a Team member', async () => {
    const stranger = setUp({ presence: 'do-not-disturb', contacts: { ann: ['sip:desk@10.0.0.5'] }, settings: { ann: { teamMembers: ['bo'], noAnswer: { afterSeconds: 5, then: { kind: 'none' } } } } });
    await stranger.done;
    expect(stranger.telephony.placed).toEqual([]);
    expect(stranger.caller.hungUpWith).toBe('busy');

    const bo = setUp({ from: '+15035552345', presence: 'do-not-disturb', contacts: { ann: ['sip:desk@10.0.0.5'] }, settings: { ann: { teamMembers: ['bo'], noAnswer: { afterSeconds: 5, then: { kind: 'none' } } } } });
    await eventually(() => expect(bo.telephony.placed.map((p) => p.request.to)).toEqual([{ endpoint: 'ann', contact: 'sip:desk@10.0.0.5' }]));
    bo.telephony.placed[0]!.answer();
    await eventually(() => expect(bo.caller.bridge).toBeDefined());
    bo.caller.hangUp();
    await bo.done;
  });

  it('takes a message when the user chose voicemail, and keeps none when the caller hangs up at the beep', async () => {
    const left = setUp({ settings: { ann: { noAnswer: { afterSeconds: 5, then: { kind: 'voicemail' } } } }, voicemailBytes: 44 + 16_000 * 12 });
    await left.done;
    expect(left.caller.heard).toEqual(['parley/voicemail-greeting', '(beep)']);
    expect(left.messages).toEqual([expect.objectContaining({ userId: 'ann', callerNumber: '+14255550123', seconds: 12, recording: expect.stringMatching(/^voicemail-/) })]);
    expect(left.caller.ended.aborted).toBe(true);

    const none = setUp({ settings: { ann: { noAnswer: { afterSeconds: 5, then: { kind: 'voicemail' } } } }, voicemailBytes: 44 + 8_000 });
    await none.done;
    expect(none.messages).toEqual([]);
    expect(none.removed).toEqual([expect.stringMatching(/^voicemail-/)]);
  });

  it('passes every number through the dial-out guard as the forwarding user; a refused number is never dialled', async () => {
    const { telephony, caller, guarded, done } = setUp({
      contacts: { ann: ['sip:desk@10.0.0.5'] },
      settings: { ann: { mode: 'simultaneous-ring', alsoRing: { kind: 'phone', number: '+19005550123' }, noAnswer: { afterSeconds: 5, then: { kind: 'phone', number: '+881631234567' } } } },
      refused: ['+19005550123', '+881631234567'],
    });
    await eventually(() => expect(telephony.placed).toHaveLength(1));
    expect(telephony.placed[0]!.request.to).toEqual({ endpoint: 'ann', contact: 'sip:desk@10.0.0.5' });
    telephony.placed[0]!.fail('no-answer');
    await done;
    expect(telephony.placed).toHaveLength(1);
    expect(guarded).toEqual([
      { userId: 'ann', number: '+19005550123', purpose: 'simultaneous-ring' },
      { userId: 'ann', number: '+881631234567', purpose: 'no-answer' },
    ]);
    expect(caller.hungUpWith).toBe('busy');
  });

  it('shows the original caller on a forwarded leg, with a Diversion naming the user; or the user’s own number when so configured', async () => {
    const forwardAll = { ann: { mode: 'forward-all' as const, forwardTo: { kind: 'phone' as const, number: '+12125550100' } } };
    const original = setUp({ from: '+15035559999', settings: forwardAll });
    await eventually(() => expect(original.telephony.placed).toHaveLength(1));
    expect(original.telephony.placed[0]!.request).toMatchObject({
      to: { phone: '+12125550100' },
      callerId: { number: '+15035559999' },
      diversion: { number: '+15035551234', reason: 'unconditional' },
    });
    original.caller.hangUp();
    await original.done;

    const own = setUp({ from: '+15035559999', settings: forwardAll, forwardCallerId: 'user' });
    await eventually(() => expect(own.telephony.placed).toHaveLength(1));
    expect(own.telephony.placed[0]!.request).toMatchObject({ callerId: { number: '+15035551234' }, diversion: { number: '+15035551234', reason: 'unconditional' } });
    own.caller.hangUp();
    await own.done;
  });
});

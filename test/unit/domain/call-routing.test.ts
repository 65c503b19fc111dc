import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CALL_FORWARDING,
  forwardingLoop,
  planCall,
  presenceAt,
  settingsProblems,
  withoutRemovedUsers,
  type CallForwardingSettings,
  type CallToUser,
} from '../../../src/domain/call-routing.js';

const ANN = 'ann';
const BO = 'bo';
const CY = 'cy';
const DEE = 'dee';
const PHONES = ['sip:ann@10.0.0.5:5060', 'sip:ann@10.0.0.9:5062'];
const MOBILE = { kind: 'phone', number: '+14255550199' } as const;

const settings = (fields: object = {}) =>
  ({ ...DEFAULT_CALL_FORWARDING, teamMembers: [BO], delegates: [CY], ...fields }) as CallForwardingSettings;
const call = (fields: Partial<CallToUser> = {}): CallToUser => ({
  calledUserId: ANN,
  settings: settings(),
  presence: 'available',
  contacts: PHONES,
  ...fields,
});
const endpoints = PHONES.map((contact) => ({ kind: 'endpoint', contact }));

describe('with forwarding off', () => {
  it('rings every registered endpoint for the no-answer time, then voicemail by default', () => {
    expect(planCall(call())).toEqual({ legs: endpoints, ringSeconds: 20, then: { kind: 'voicemail' }, reason: 'ring' });
  });

  it('rings each contact once', () => {
    expect(planCall(call({ contacts: [PHONES[0]!, PHONES[0]!] })).legs).toEqual([endpoints[0]]);
  });

  it('goes straight to the no-answer destination when nothing is registered', () => {
    const plan = planCall(call({ contacts: [], settings: settings({ noAnswer: { afterSeconds: 30, then: MOBILE } }) }));
    expect(plan).toEqual({ legs: [], ringSeconds: 0, then: MOBILE, reason: 'no-endpoints' });
  });

  it.each(['busy', 'away', 'be-right-back', 'offline'] as const)('rings as usual when %s', (presence) => {
    expect(planCall(call({ presence })).reason).toBe('ring');
  });
});

describe('forward-all', () => {
  it('rings nothing of the user and hands the call to the phone number', () => {
    const plan = planCall(call({ settings: settings({ mode: 'forward-all', forwardTo: MOBILE }) }));
    expect(plan).toEqual({ legs: [], ringSeconds: 0, then: MOBILE, reason: 'forward-all' });
  });

  it('hands the call to a colleague, whose own settings apply next', () => {
    const plan = planCall(call({ settings: settings({ mode: 'forward-all', forwardTo: { kind: 'user', userId: DEE } }) }));
    expect(plan.then).toEqual({ kind: 'user', userId: DEE });
    expect(plan.legs).toEqual([]);
  });

  it('does not follow a forward back to a user the call already left: the user rings instead', () => {
    const plan = planCall(call({ settings: settings({ mode: 'forward-all', forwardTo: { kind: 'user', userId: DEE } }), forwardedVia: [DEE] }));
    expect(plan).toMatchObject({ legs: endpoints, reason: 'ring' });
  });

  it('applies even with no endpoint registered', () => {
    expect(planCall(call({ contacts: [], settings: settings({ mode: 'forward-all', forwardTo: MOBILE }) })).then).toEqual(MOBILE);
  });
});

describe('simultaneous ring', () => {
  it('forks to every endpoint and the extra number at once, for the no-answer time', () => {
    const plan = planCall(call({ settings: settings({ mode: 'simultaneous-ring', alsoRing: MOBILE, noAnswer: { afterSeconds: 18, then: { kind: 'user', userId: DEE } } }) }));
    expect(plan).toEqual({ legs: [...endpoints, MOBILE], ringSeconds: 18, then: { kind: 'user', userId: DEE }, reason: 'simultaneous-ring' });
  });

  it('rings the extra number even with no endpoint registered', () => {
    const plan = planCall(call({ contacts: [], settings: settings({ mode: 'simultaneous-ring', alsoRing: MOBILE }) }));
    expect(plan).toMatchObject({ legs: [MOBILE], ringSeconds: 20, reason: 'simultaneous-ring' });
  });

  it('rings the Team-call group with the user', () => {
    const plan = planCall(call({ settings: settings({ mode: 'simultaneous-ring', alsoRing: { kind: 'team' }, teamMembers: [BO, DEE] }) }));
    expect(plan.legs).toEqual([...endpoints, { kind: 'user', userId: BO }, { kind: 'user', userId: DEE }]);
  });

  it('rings the delegates with the user', () => {
    const plan = planCall(call({ settings: settings({ mode: 'simultaneous-ring', alsoRing: { kind: 'delegates' } }) }));
    expect(plan.legs).toEqual([...endpoints, { kind: 'user', userId: CY }]);
  });

  it('does not ring the caller, even when they are in the group', () => {
    const plan = planCall(call({ callerUserId: BO, settings: settings({ mode: 'simultaneous-ring', alsoRing: { kind: 'team' }, teamMembers: [BO, DEE] }) }));
    expect(plan.legs).toEqual([...endpoints, { kind: 'user', userId: DEE }]);
  });

  it('does not ring a user the call was handed on from', () => {
    const plan = planCall(call({ forwardedVia: [DEE], settings: settings({ mode: 'simultaneous-ring', alsoRing: { kind: 'team' }, teamMembers: [BO, DEE] }) }));
    expect(plan.legs).toEqual([...endpoints, { kind: 'user', userId: BO }]);
  });
});

describe('Do Not Disturb', () => {
  it('sends a caller outside the Team straight where unanswered calls go', () => {
    expect(planCall(call({ presence: 'do-not-disturb', callerUserId: DEE }))).toEqual({ legs: [], ringSeconds: 0, then: { kind: 'voicemail' }, reason: 'do-not-disturb' });
  });

  it('does so for an unidentified caller, and with the user’s own destination', () => {
    const plan = planCall(call({ presence: 'do-not-disturb', settings: settings({ noAnswer: { afterSeconds: 20, then: { kind: 'none' } } }) }));
    expect(plan).toMatchObject({ legs: [], then: { kind: 'none' }, reason: 'do-not-disturb' });
  });

  it('lets a Team member ring through', () => {
    expect(planCall(call({ presence: 'do-not-disturb', callerUserId: BO }))).toMatchObject({ legs: endpoints, ringSeconds: 20, reason: 'ring' });
  });

  it('does not let a delegate through: only the Team', () => {
    expect(planCall(call({ presence: 'do-not-disturb', callerUserId: CY })).reason).toBe('do-not-disturb');
  });

  it('comes before forward-all for callers outside the Team; a Team member is forwarded', () => {
    const forwarding = settings({ mode: 'forward-all', forwardTo: MOBILE });
    expect(planCall(call({ presence: 'do-not-disturb', settings: forwarding })).reason).toBe('do-not-disturb');
    expect(planCall(call({ presence: 'do-not-disturb', settings: forwarding, callerUserId: BO }))).toMatchObject({ then: MOBILE, reason: 'forward-all' });
  });
});

describe('a no-answer destination already on the call’s path', () => {
  it('becomes voicemail, so the call cannot circle', () => {
    const plan = planCall(call({ forwardedVia: [DEE], settings: settings({ noAnswer: { afterSeconds: 20, then: { kind: 'user', userId: DEE } } }) }));
    expect(plan.then).toEqual({ kind: 'voicemail' });
  });
});

describe('presence', () => {
  const since = new Date('2027-03-01T13:00:00Z');
  const until = new Date('2027-03-01T17:00:00Z');
  it('is available when never set', () => {
    expect(presenceAt(undefined, since).state).toBe('available');
  });
  it('holds until its end, then is available again', () => {
    const dnd = { state: 'do-not-disturb', since, until } as const;
    expect(presenceAt(dnd, new Date('2027-03-01T16:59:59Z'))).toBe(dnd);
    expect(presenceAt(dnd, until)).toEqual({ state: 'available', since: until, until: null });
  });
});

describe('validation', () => {
  it('accepts the defaults', () => {
    expect(settingsProblems(ANN, DEFAULT_CALL_FORWARDING)).toEqual([]);
  });

  it.each([
    [{ noAnswer: { afterSeconds: 4, then: { kind: 'voicemail' } } }, 'noAnswer.afterSeconds'],
    [{ noAnswer: { afterSeconds: 61, then: { kind: 'voicemail' } } }, 'noAnswer.afterSeconds'],
    [{ noAnswer: { afterSeconds: 7.5, then: { kind: 'voicemail' } } }, 'noAnswer.afterSeconds'],
    [{ teamMembers: [ANN] }, 'teamMembers'],
    [{ delegates: [BO, BO] }, 'delegates'],
    [{ teamMembers: Array.from({ length: 26 }, (_, i) => `u${i}`) }, 'teamMembers'],
    [{ mode: 'simultaneous-ring', alsoRing: { kind: 'team' }, teamMembers: [] }, 'alsoRing'],
    [{ mode: 'simultaneous-ring', alsoRing: { kind: 'delegates' }, delegates: [] }, 'alsoRing'],
  ])('refuses %j, naming %s', (fields, field) => {
    expect(settingsProblems(ANN, settings(fields))).toEqual([expect.objectContaining({ field, code: 'invalid-forwarding' })]);
  });

  it('accepts 5 and 60 seconds', () => {
    for (const afterSeconds of [5, 60]) expect(settingsProblems(ANN, settings({ noAnswer: { afterSeconds, then: { kind: 'voicemail' } } }))).toEqual([]);
  });
});

describe('loops', () => {
  const to = (userId: string) => ({ kind: 'user', userId }) as const;
  const saved = new Map<string, CallForwardingSettings>();
  const others = (id: string) => saved.get(id);

  it('forwarding to oneself is a loop', () => {
    expect(forwardingLoop(ANN, settings({ mode: 'forward-all', forwardTo: to(ANN) }), others)).toEqual([ANN, ANN]);
    expect(forwardingLoop(ANN, settings({ noAnswer: { afterSeconds: 20, then: to(ANN) } }), others)).toEqual([ANN, ANN]);
  });

  it('finds a way back through colleagues, by forward-all or by no answer', () => {
    saved.set(BO, settings({ mode: 'forward-all', forwardTo: to(DEE) }));
    saved.set(DEE, settings({ noAnswer: { afterSeconds: 20, then: to(ANN) } }));
    expect(forwardingLoop(ANN, settings({ mode: 'forward-all', forwardTo: to(BO) }), others)).toEqual([ANN, BO, DEE, ANN]);
  });

  it('is not fooled by a loop among others that never comes back', () => {
    saved.set(BO, settings({ mode: 'forward-all', forwardTo: to(DEE) }));
    saved.set(DEE, settings({ mode: 'forward-all', forwardTo: to(BO) }));
    expect(forwardingLoop(ANN, settings({ mode: 'forward-all', forwardTo: to(BO) }), others)).toBeUndefined();
  });

  it('ringing a Team or delegates with the user is not handing the call on', () => {
    saved.set(BO, settings({ mode: 'simultaneous-ring', alsoRing: { kind: 'team' }, teamMembers: [ANN] }));
    expect(forwardingLoop(ANN, settings({ noAnswer: { afterSeconds: 20, then: to(BO) } }), others)).toBeUndefined();
  });
});

describe('users since removed', () => {
  const gone = (id: string) => id !== DEE;
  it('leave the groups, and what pointed at them falls back', () => {
    const cleaned = withoutRemovedUsers(
      settings({ mode: 'forward-all', forwardTo: { kind: 'user', userId: DEE }, teamMembers: [BO, DEE], noAnswer: { afterSeconds: 20, then: { kind: 'user', userId: DEE } } }),
      gone,
    );
    expect(cleaned).toEqual({ mode: 'off', teamMembers: [BO], delegates: [CY], noAnswer: { afterSeconds: 20, then: { kind: 'voicemail' } } });
  });

  it('turn a simultaneous ring of an emptied group off', () => {
    expect(withoutRemovedUsers(settings({ mode: 'simultaneous-ring', alsoRing: { kind: 'team' }, teamMembers: [DEE] }), gone).mode).toBe('off');
    expect(withoutRemovedUsers(settings({ mode: 'simultaneous-ring', alsoRing: MOBILE }), gone)).toMatchObject({ mode: 'simultaneous-ring', alsoRing: MOBILE });
  });
});

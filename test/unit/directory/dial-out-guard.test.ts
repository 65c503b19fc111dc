// The one dial-out guard every leg parley places passes: parsing, the policy with the owner's scope and
// home country, blocked types, and the limits (the ledger here is in memory; on PostgreSQL in
// test/integration/toll-fraud-api.test.ts).
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIAL_OUT_POLICY, dialOutLimitHit, type DialOutLimits, type DialOutScope } from '../../../src/domain/dial-out-policy.js';
import type { User } from '../../../src/domain/user.js';
import type { DialOutLedger, PlacedLeg, RefusedLeg } from '../../../src/ports/dial-out-ledger.js';
import { DialOutGuard } from '../../../src/directory/dial-out-guard.js';
import { quietLog } from '../harness.js';

const ann = { id: 'ann', displayName: 'Ann', region: 'US', role: 'user', phones: { work: '+14255550123' } } as unknown as User;
const admin = { ...ann, id: 'root', role: 'admin' } as unknown as User;

function guard(options: { scopes?: Record<string, DialOutScope>; limits?: Partial<DialOutLimits> } = {}) {
  const placed: PlacedLeg[] = [];
  const refused: RefusedLeg[] = [];
  const ended: string[] = [];
  const limits = { userPerMinute: 2, userAtOnce: 5, perMinute: 10, atOnce: 10, ...options.limits };
  const ledger: DialOutLedger = {
    admit: async (leg, l) => {
      const mine = placed.filter((p) => p.userId === leg.userId).length;
      const hit = dialOutLimitHit(l, { userLastMinute: mine, userUp: mine, lastMinute: placed.length, up: placed.length }, leg.userId !== null);
      if (!hit) placed.push(leg);
      return hit;
    },
    ended: async (id) => void ended.push(id),
    refused: async (leg) => void refused.push(leg),
  };
  const users = [ann, admin];
  const subject = new DialOutGuard({
    users: {
      get: async (id) => users.find((u) => u.id === id),
      byKeypadIdentity: async (digits) => {
        const user = users.find((u) => Object.values(u.phones).some((p) => p.replace(/\D/g, '') === digits));
        return user ? { user, pinHash: null, pinLength: null } : undefined;
      },
    },
    regions: { get: async (code) => (code === 'US' ? ({ code: 'US', country: 'US' } as never) : undefined) },
    scopes: { get: async (id) => options.scopes?.[id] },
    policy: async () => DEFAULT_DIAL_OUT_POLICY,
    limits,
    ledger,
    log: quietLog(),
  });
  return { subject, placed, refused, ended };
}

const as = (user: User) => ({ kind: 'user' as const, user });

describe('the dial-out guard', () => {
  it('reads a number in the owner’s country and lets the policy’s national scope call home', async () => {
    const { subject } = guard();
    await expect(subject.check(as(ann), '(425) 555-0199')).resolves.toEqual({ e164: '+14255550199', ringSeconds: 30 });
    await expect(subject.check(as(ann), '+44 20 7946 0018')).rejects.toMatchObject({ code: 'dial-out-not-allowed' });
    await expect(subject.check(as(ann), '12')).rejects.toMatchObject({ code: 'invalid-phone-number' });
  });

  it('applies the owner’s own scope; administrators and the service token may call anywhere not blocked', async () => {
    const { subject } = guard({ scopes: { ann: 'none' } });
    await expect(subject.check(as(ann), '+14255550199')).rejects.toMatchObject({ code: 'dial-out-not-allowed' });
    await expect(subject.check(as(admin), '+442079460018')).resolves.toMatchObject({ e164: '+442079460018' });
    await expect(subject.check({ kind: 'service' }, '+442079460018')).resolves.toMatchObject({ e164: '+442079460018' });
  });

  it('refuses premium-rate, shared-cost and satellite numbers to everyone, in every region', async () => {
    const { subject } = guard({ scopes: { ann: 'international' } });
    for (const number of ['+449090901234', '+19005550123', '+33891000000', '+34803123456', '+881631234567', '+870773123456']) {
      await expect(subject.check(as(ann), number), number).rejects.toMatchObject({ code: 'number-blocked' });
      await expect(subject.check({ kind: 'service' }, number), number).rejects.toMatchObject({ code: 'number-blocked' });
    }
  });

  it('at placing: checks again, takes a place within the limits, and records every refusal', async () => {
    const { subject, placed, refused } = guard();
    await subject.place(as(ann), '+14255550101', { id: 'a', purpose: 'dial-out' });
    await subject.place(as(ann), '+14255550102', { id: 'b', purpose: 'dial-out' });
    await expect(subject.place(as(ann), '+14255550103', { id: 'c', purpose: 'dial-out' })).rejects.toMatchObject({ code: 'dial-out-limit' });
    await expect(subject.place(as(ann), '+19005550123', { id: 'd', purpose: 'add-audio' })).rejects.toMatchObject({ code: 'number-blocked' });
    expect(placed.map((p) => p.id)).toEqual(['a', 'b']);
    expect(refused.map((r) => [r.number, r.purpose, r.code])).toEqual([
      ['+14255550103', 'dial-out', 'dial-out-limit'],
      ['+19005550123', 'add-audio', 'number-blocked'],
    ]);
  });

  it('for automatic legs answers undefined instead of throwing: a refused forward is simply not placed', async () => {
    const { subject, placed, refused } = guard();
    await expect(subject.placeFor('ann', '+19005550123', { id: 'f', purpose: 'forward' })).resolves.toBeUndefined();
    await expect(subject.placeFor('gone', '+14255550199', { id: 'g', purpose: 'forward' })).resolves.toBeUndefined();
    await expect(subject.placeFor('ann', '+14255550199', { id: 'h', purpose: 'simultaneous-ring' })).resolves.toMatchObject({ e164: '+14255550199' });
    expect(placed.map((p) => [p.id, p.userId, p.purpose])).toEqual([['h', 'ann', 'simultaneous-ring']]);
    expect(refused.map((r) => r.code)).toEqual(['number-blocked']);
  });
});

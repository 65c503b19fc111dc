// Toll fraud on the real Asterisk: a forwarding rule to a premium-rate number that is already in the
// database (written straight into the table, as one saved before the policy existed would be) is judged
// again when a call comes in. A SIPp caller dials the user's number through the gateway; the premium
// leg is never originated (the SIPp phone network never sees an INVITE for it) and the refusal is kept.
// A permitted forward shows the caller's number with a Diversion header naming the user.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';
import { parleyProcess, type Parley } from '../support/parley-process.js';
import { startPhones, type Phones } from '../support/sipp-phones.js';
import { placeCall } from '../support/sipp.js';

let db: TestDatabase;
let pool: pg.Pool;
let parley: Parley;
let phones: Phones;
const run = Date.now().toString(36);

beforeAll(async () => {
  db = await createTestDatabase();
  parley = await parleyProcess(db.url, { NAME_RECORDING_SECONDS: '0' });
  await parley.start();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  // The database is dropped with force after the file: a connection still closing then hears that, and says so here.
  pool.on('error', () => undefined);
  phones = await startPhones();
}, 60_000);
afterAll(async () => {
  await phones?.stop();
  if (process.env.SHOW_PARLEY_LOG) console.log(parley?.output());
  await parley?.kill();
  await pool?.end();
  await db?.drop();
});

async function user(name: string, work: string): Promise<string> {
  const created = await parley.api('POST', '/api/v1/users', { displayName: name, email: `${name}-${run}@example.com`, sipUri: `sip:${name}-${run}@example.com`, region: 'US', phones: { work } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return (created.body as { id: string }).id;
}

const forwardAll = (number: string) => ({ mode: 'forward-all', forwardTo: { kind: 'phone', number }, noAnswer: { afterSeconds: 20, then: { kind: 'none' } }, teamMembers: [], delegates: [] });

describe('forwarding through the gateway', () => {
  it('never originates a forwarded leg to a premium-rate number already saved in the table; the call is released', async () => {
    const dee = await user('dee', '+15035556701');
    // …200 would answer at once: a leg placed to it would show up as ringing/answered.
    const premium = '+19005550200';
    expect((await parley.api('PUT', `/api/v1/users/${dee}/call-forwarding`, forwardAll(premium))).status).toBe(403);
    await pool.query('insert into call_forwarding (user_id, settings) values ($1, $2)', [dee, JSON.stringify(forwardAll(premium))]);

    const caller = placeCall({ number: '15035556701', holdMs: 3000 });
    const result = await caller.done;
    await eventually(async () => {
      const refusals = await pool.query('select number, purpose, code from dial_out_refusals where user_id = $1', [dee]);
      expect(refusals.rows).toEqual([{ number: premium, purpose: 'forward', code: 'number-blocked' }]);
    }, 10_000);
    expect(phones.events(premium)).toEqual([]);
    expect(phones.from(premium)).toBeUndefined();
    expect(parley.output()).toMatch(/forwarded leg refused by the dial-out policy/);
    expect((await pool.query('select count(*)::int as n from dial_out_legs where user_id = $1', [dee])).rows[0].n).toBe(0);
    // Released, not left ringing: SIPp saw the call end.
    expect(result.log).not.toBe(undefined);
  }, 60_000);

  it('forwards a permitted number showing the original caller, with a Diversion header naming the user', async () => {
    const eve = await user('eve', '+15035556702');
    const allowed = '+12125550200';
    expect((await parley.api('PUT', `/api/v1/users/${eve}/call-forwarding`, forwardAll(allowed))).status).toBe(200);
    const caller = placeCall({ number: '15035556702', callerId: '+15035550999', holdMs: 3000 });
    await eventually(() => expect(phones.events(allowed).slice(0, 2)).toEqual(['ringing', 'answered']), 20_000);
    expect(phones.from(allowed)).toContain('15035550999');
    expect(phones.diversion(allowed)).toMatch(/15035556702.*reason=unconditional/);
    await caller.done;
    const legs = await pool.query('select number, purpose, ended_at from dial_out_legs where user_id = $1', [eve]);
    expect(legs.rows).toMatchObject([{ number: allowed, purpose: 'forward' }]);
    await eventually(async () => expect((await pool.query('select ended_at from dial_out_legs where user_id = $1', [eve])).rows[0].ended_at).not.toBeNull(), 10_000);
  }, 60_000);
});

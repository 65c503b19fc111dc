// Leaders deciding about one waiting caller at the same moment (two panels, the keypad's *8 and a click)
// on real PostgreSQL: exactly one decision is taken, and the caller's flow hears that one.
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgConferenceStore } from '../../src/adapters/pg/conference-store.js';
import { pgParticipantStore } from '../../src/adapters/pg/participant-store.js';
import { createPool } from '../../src/adapters/pg/pool.js';
import { Lobby } from '../../src/conferences/lobby.js';
import { noCalls } from '../support/api-app.js';
import { createMigratedTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createMigratedTestDatabase();
  pool = createPool(db.url);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** A conference with `count` callers waiting in its lobby, and the lobby that holds their wake-ups. */
async function waitingRoom(count: number) {
  const conference = (await pgConferenceStore(pool).insert({
    id: randomBytes(16).toString('hex'),
    conferenceId: String(7_100_000 + Math.floor(Math.random() * 800_000)),
    subject: 'Lobby',
    accessType: 'anonymous',
    passcode: null,
    startsAt: null,
    endsAt: null,
    organizerId: null,
  })) as { id: string };
  const participants = pgParticipantStore(pool);
  const lobby = new Lobby(noCalls, participants);
  const waiting = [];
  for (let i = 0; i < count; i++) {
    const p = await participants.insert({ id: randomUUID(), conferenceId: conference.id, channelId: `chan-${randomUUID()}`, displayName: `Caller ${i}`, callerNumber: '+14255550100' });
    await participants.setState(p.id, 'lobby');
    waiting.push({ id: p.id, admission: lobby.admission(p.id) });
  }
  // Connections open: the decisions below run side by side, not one per new connection.
  await Promise.all(Array.from({ length: 8 }, () => pool.query('select 1')));
  return { conference, participants, lobby, waiting };
}

describe('lobby decisions at the same moment', () => {
  it('of 8 leaders admitting and turning away one caller at once, exactly one is taken, and the roster and the caller agree', async () => {
    const { conference, participants, lobby, waiting } = await waitingRoom(1);
    const [caller] = waiting;
    const decisions = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? lobby.admit(conference.id, caller!.id).then((n) => n === 1) : lobby.deny(conference.id, caller!.id))),
    );
    expect(decisions.filter(Boolean)).toHaveLength(1);
    const heard = await caller!.admission.decided;
    const state = (await participants.get(caller!.id))!.state;
    expect(state).toBe(heard === 'admitted' ? 'connecting' : 'disconnecting');
  });

  it('8 leaders pressing "admit all" at once let each of 5 waiting callers in once, and count them once', async () => {
    const { conference, participants, lobby, waiting } = await waitingRoom(5);
    const counts = await Promise.all(Array.from({ length: 8 }, () => lobby.admit(conference.id)));
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(5);
    for (const caller of waiting) {
      expect(await caller.admission.decided).toBe('admitted');
      expect((await participants.get(caller.id))!.state).toBe('connecting');
    }
  });

  it('a caller of another conference is neither admitted nor turned away from this one', async () => {
    const here = await waitingRoom(0);
    const elsewhere = await waitingRoom(1);
    const [caller] = elsewhere.waiting;
    expect(await here.lobby.admit(here.conference.id, caller!.id)).toBe(0);
    expect(await elsewhere.lobby.deny(here.conference.id, caller!.id)).toBe(false);
    expect((await elsewhere.participants.get(caller!.id))!.state).toBe('lobby');
  });
});

import { readdirSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgAccessNumberStore } from '../../src/adapters/pg/access-number-store.js';
import { pgConferenceStore } from '../../src/adapters/pg/conference-store.js';
import { LATEST_SCHEMA, migrate } from '../../src/adapters/pg/migrate.js';
import { pgParticipantStore } from '../../src/adapters/pg/participant-store.js';
import { createPool } from '../../src/adapters/pg/pool.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  await migrate(pool);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const meetingId = () => randomBytes(16).toString('hex');
const newConference = (conferenceId: string) => ({
  id: meetingId(),
  conferenceId,
  subject: 'Sync',
  accessType: 'anonymous' as const,
  passcode: '1234',
  startsAt: null,
  endsAt: null,
  organizerId: null,
});

describe('migrations', () => {
  it('lead to the schema version the code expects', () => {
    const dir = new URL('../../src/adapters/pg/migrations/', import.meta.url);
    expect(readdirSync(dir).filter((f) => /^\d+\.do\./.test(f))).toHaveLength(LATEST_SCHEMA);
  });

  it('are idempotent and seed the default access number', async () => {
    expect(await migrate(pool)).toBe(LATEST_SCHEMA);
    expect(await pgAccessNumberStore(pool).list()).toEqual([
      { number: '14255550100', display: '+1 (425) 555-0100', region: 'US', languages: ['en-US'] },
    ]);
  });

  it('reject rows the domain would never write', async () => {
    await expect(
      pool.query(`insert into conferences (id, conference_id, subject, access_type) values ('nothex', '1', 's', 'anonymous')`),
    ).rejects.toThrow(/check constraint/);
    await expect(
      pool.query(`insert into conferences (id, conference_id, subject, access_type, passcode) values ($1, '1', 's', 'anonymous', 'abc')`, [
        meetingId(),
      ]),
    ).rejects.toThrow(/check constraint/);
  });
});

describe('the conference store', () => {
  it('keeps a conference ID unique among conferences that can still be joined', async () => {
    const store = pgConferenceStore(pool);
    const first = await store.insert(newConference('7000001'));
    expect(first).toMatchObject({ conferenceId: '7000001', status: 'scheduled', locked: false, passcode: '1234' });
    expect(await store.insert(newConference('7000001'))).toBe(false);

    await pool.query(`update conferences set status = 'ended' where conference_id = '7000001'`);
    expect(await store.liveWithConferenceId('7000001')).toEqual([]);
    expect(await store.insert(newConference('7000001'))).toMatchObject({ conferenceId: '7000001' });
  });

  it('locks, unlocks and marks a conference active once', async () => {
    const store = pgConferenceStore(pool);
    const conference = (await store.insert(newConference('7000002'))) as { id: string };
    expect(await store.setLocked(conference.id, true)).toMatchObject({ locked: true });
    expect(await store.setLocked(meetingId(), true)).toBeUndefined();
    await store.markActive(conference.id);
    expect(await store.get(conference.id)).toMatchObject({ status: 'active', locked: true });
  });
});

describe('the participant store', () => {
  it('tracks a participant from connecting to disconnected, never back', async () => {
    const conference = (await pgConferenceStore(pool).insert(newConference('7000003'))) as { id: string };
    const store = pgParticipantStore(pool);
    const channelId = `chan-${randomUUID()}`;
    const entering = await store.insert({
      id: randomUUID(),
      conferenceId: conference.id,
      channelId,
      displayName: 'Ann',
      callerNumber: '+14255550123',
    });
    expect(entering).toMatchObject({ state: 'connecting', muted: false, role: 'participant', via: 'phone', joinedAt: null });
    expect(await store.byChannel(channelId)).toMatchObject({ id: entering.id });

    const connected = await store.setState(entering.id, 'connected');
    expect(connected?.joinedAt).toBeInstanceOf(Date);
    expect(await store.countConnected(conference.id)).toBe(1);
    expect(await store.setMuted(entering.id, true, 'leader')).toMatchObject({ muted: true, mutedBy: 'leader' });
    expect(await store.setTalking([{ id: entering.id, talking: true }])).toEqual([{ id: entering.id, muted: true }]);
    expect((await store.live()).map((p) => p.id)).toContain(entering.id);

    const left = await store.setState(entering.id, 'disconnected');
    expect(left).toMatchObject({ state: 'disconnected', talking: false });
    expect(left?.leftAt).toBeInstanceOf(Date);
    expect(await store.setState(entering.id, 'connected')).toBeUndefined();
    expect(await store.get(entering.id)).toMatchObject({ state: 'disconnected' });
    expect(await store.byChannel(channelId)).toBeUndefined();
    expect(await store.countConnected(conference.id)).toBe(0);
  });

  it('connects a participant only while the conference is neither locked nor ended', async () => {
    const conferences = pgConferenceStore(pool);
    const conference = (await conferences.insert(newConference('7000005'))) as { id: string };
    const store = pgParticipantStore(pool);
    const enter = () =>
      store.insert({ id: randomUUID(), conferenceId: conference.id, channelId: `c-${randomUUID()}`, displayName: 'C', callerNumber: '1' });

    await conferences.setLocked(conference.id, true);
    const refused = await enter();
    expect(await store.connect(refused.id, { overrideLock: false })).toEqual({ refused: 'locked' });
    expect(await store.get(refused.id)).toMatchObject({ state: 'connecting' });
    // A signed-in leader enters a locked meeting.
    const leader = await enter();
    expect(await store.connect(leader.id, { overrideLock: true })).toMatchObject({ participant: { state: 'connected' } });

    await conferences.setLocked(conference.id, false);
    expect(await store.connect(refused.id, { overrideLock: false })).toMatchObject({ participant: { state: 'connected' } });

    await pool.query(`update conferences set status = 'ended' where id = $1`, [conference.id]);
    expect(await store.connect((await enter()).id, { overrideLock: false })).toEqual({ refused: 'ended' });
  });

  it('refuses the caller beyond the size limit, exactly, however many join at once', async () => {
    const conferences = pgConferenceStore(pool);
    const conference = (await conferences.insert({ ...newConference('7000006'), maxParticipants: 5 })) as { id: string };
    const store = pgParticipantStore(pool);
    const callers = await Promise.all(
      Array.from({ length: 12 }, () =>
        store.insert({ id: randomUUID(), conferenceId: conference.id, channelId: `c-${randomUUID()}`, displayName: 'C', callerNumber: '1' }),
      ),
    );
    const results = await Promise.all(callers.map((c) => store.connect(c.id, { overrideLock: false })));
    expect(results.filter((r) => 'participant' in r)).toHaveLength(5);
    expect(results.filter((r) => 'refused' in r && r.refused === 'full')).toHaveLength(7);
    expect(await store.countConnected(conference.id)).toBe(5);
  });

  it('admits exactly the size limit when eight join at once, and counts each caller once', async () => {
    const conferences = pgConferenceStore(pool);
    const conference = (await conferences.insert({ ...newConference('7000007'), maxParticipants: 3 })) as { id: string };
    const store = pgParticipantStore(pool);
    const enter = () => store.insert({ id: randomUUID(), conferenceId: conference.id, channelId: `c-${randomUUID()}`, displayName: 'C', callerNumber: '1' });
    const callers = await Promise.all(Array.from({ length: 8 }, enter));
    const results = await Promise.all(callers.map((c) => store.connect(c.id, { overrideLock: false })));
    const admitted = results.flatMap((r) => ('participant' in r ? [r] : []));
    expect(admitted).toHaveLength(3);
    expect(results.filter((r) => 'refused' in r)).toEqual(Array.from({ length: 5 }, () => ({ refused: 'full' })));
    expect(admitted[0]).toMatchObject({ conference: { status: 'scheduled', locked: false, audienceMuted: false }, recording: false });
    // Connecting one already in the bridge again neither counts them twice nor refuses them as one too many.
    expect(await store.connect(admitted[0]!.participant.id, { overrideLock: false })).toMatchObject({ participant: { state: 'connected' } });
    expect(await store.countConnected(conference.id)).toBe(3);
  });

  it('keeps the connected count on the conference row equal to the roster through concurrent joins, holds and leaves', async () => {
    const conference = (await pgConferenceStore(pool).insert({ ...newConference('7000008'), maxParticipants: 1000 })) as { id: string };
    const store = pgParticipantStore(pool);
    const callers = await Promise.all(
      Array.from({ length: 24 }, () =>
        store.insert({ id: randomUUID(), conferenceId: conference.id, channelId: `c-${randomUUID()}`, displayName: 'C', callerNumber: '1' }),
      ),
    );
    // Each caller joins, and at the same time some hang up at once, go on hold, or leave after joining.
    await Promise.all(
      callers.map(async (c, i) => {
        const joining = store.connect(c.id, { overrideLock: false });
        if (i % 4 === 0) await store.disconnect(c.id, 'hangup');
        await joining;
        if (i % 4 === 1) await store.setState(c.id, 'on-hold');
        if (i % 4 === 2) await store.disconnect(c.id, 'hangup');
      }),
    );
    const counted = async () =>
      (await pool.query<{ roster: number; kept: number }>(
        `select (select count(*)::int from participants where conference_id = $1 and state in ('connected', 'on-hold')) as roster,
           (select connected from conferences where id = $1) as kept`,
        [conference.id],
      )).rows[0]!;
    const mid = await counted();
    expect(mid.kept).toBe(mid.roster);
    expect(mid.roster).toBeGreaterThanOrEqual(12);
    await Promise.all(callers.map((c) => store.disconnect(c.id, 'hangup')));
    expect(await counted()).toEqual({ roster: 0, kept: 0 });
    // The room may have emptied for a moment while callers came and went: every gathering it had is closed.
    const { rows: sessions } = await pool.query('select ended_at, ended_by from conference_sessions where conference_id = $1', [conference.id]);
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions).toEqual(sessions.map(() => ({ ended_at: expect.any(Date), ended_by: 'last-left' })));
  });

  it('disconnects once: the state left, the first end reason, and what the leave depends on', async () => {
    const conferences = pgConferenceStore(pool);
    const conference = (await conferences.insert(newConference('7000009'))) as { id: string };
    await conferences.setLiveState(conference.id, { audienceMuted: true, announceEntryExit: true });
    const store = pgParticipantStore(pool);
    const p = await store.insert({ id: randomUUID(), conferenceId: conference.id, channelId: `c-${randomUUID()}`, displayName: 'C', callerNumber: '1' });
    await store.connect(p.id, { overrideLock: false });
    await store.setState(p.id, 'disconnecting', 'ejected');
    expect(await store.disconnect(p.id, 'hangup')).toMatchObject({
      participant: { state: 'disconnected', endReason: 'ejected', talking: false },
      was: 'disconnecting',
      conference: { audienceMuted: true, announceEntryExit: true },
    });
    expect(await store.disconnect(p.id, 'hangup')).toMatchObject({ participant: { endReason: 'ejected' }, was: 'disconnected' });
    expect(await store.countConnected(conference.id)).toBe(0);
    // A refused caller is disconnected at once and told why after: the reason comes with the leave.
    const refused = await store.insert({ id: randomUUID(), conferenceId: conference.id, channelId: `c-${randomUUID()}`, displayName: 'R', callerNumber: '1' });
    await store.setState(refused.id, 'disconnected');
    expect(await store.disconnect(refused.id, 'full')).toMatchObject({ participant: { endReason: 'full' }, was: 'disconnected' });
    expect(await store.disconnect(randomUUID(), 'hangup')).toBeUndefined();
  });

  it('allows one live participant per channel', async () => {
    const conference = (await pgConferenceStore(pool).insert(newConference('7000004'))) as { id: string };
    const store = pgParticipantStore(pool);
    const row = { conferenceId: conference.id, channelId: 'chan-dup', displayName: 'Bo', callerNumber: '1' };
    await store.insert({ id: randomUUID(), ...row });
    await expect(store.insert({ id: randomUUID(), ...row })).rejects.toThrow(/duplicate key/);
  });
});

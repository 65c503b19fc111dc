import type pg from 'pg';
import type { Conference } from '../../domain/conference.js';
import type { ConferenceStore, MeetingChanges, NewConference } from '../../ports/store.js';

interface ConferenceRow {
  id: string;
  conference_id: string;
  subject: string;
  access_type: Conference['accessType'];
  passcode: string | null;
  locked: boolean;
  status: Conference['status'];
  starts_at: Date | null;
  ends_at: Date | null;
  created_at: Date;
  organizer_id: string | null;
  uses_personal_id: boolean;
  time_zone: string | null;
  recurrence: string | null;
  join_before_leader: boolean;
  lobby_bypass: boolean;
  announce_entry_exit: boolean;
  announce_with: Conference['announceWith'];
  audience_muted: boolean;
  active_speaker_id: string | null;
  audience_may_unmute: boolean;
  max_participants: number;
  invitees: string[];
  leaders: string[];
  promoted_user_ids: string[];
  sequence: number;
  cancelled_at: Date | null;
  opens_at: Date;
  expires_at: Date | null;
}

function toConference(row: ConferenceRow): Conference {
  return {
    id: row.id,
    conferenceId: row.conference_id,
    subject: row.subject,
    accessType: row.access_type,
    passcode: row.passcode,
    locked: row.locked,
    status: row.status,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    createdAt: row.created_at,
    organizerId: row.organizer_id,
    usesPersonalId: row.uses_personal_id,
    timeZone: row.time_zone,
    recurrence: row.recurrence,
    joinBeforeLeader: row.join_before_leader,
    lobbyBypass: row.lobby_bypass,
    announceEntryExit: row.announce_entry_exit,
    announceWith: row.announce_with,
    audienceMuted: row.audience_muted,
    activeSpeakerId: row.active_speaker_id,
    audienceMayUnmute: row.audience_may_unmute,
    maxParticipants: row.max_participants,
    invitees: row.invitees,
    leaders: row.leaders,
    promotedUserIds: row.promoted_user_ids,
    sequence: row.sequence,
    cancelledAt: row.cancelled_at,
    opensAt: row.opens_at,
    expiresAt: row.expires_at,
  };
}

const UNIQUE_VIOLATION = '23505';
const MEET_NOW = "interval '8 hours'";

const COLUMNS: Record<keyof MeetingChanges, string> = {
  subject: 'subject',
  accessType: 'access_type',
  passcode: 'passcode',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  timeZone: 'time_zone',
  recurrence: 'recurrence',
  joinBeforeLeader: 'join_before_leader',
  lobbyBypass: 'lobby_bypass',
  announceEntryExit: 'announce_entry_exit',
  announceWith: 'announce_with',
  audienceMayUnmute: 'audience_may_unmute',
  maxParticipants: 'max_participants',
  invitees: 'invitees',
  leaders: 'leaders',
  opensAt: 'opens_at',
  expiresAt: 'expires_at',
};

export function pgConferenceStore(pool: pg.Pool): ConferenceStore {
  const one = async (sql: string, params: unknown[]) => {
    const { rows } = await pool.query<ConferenceRow>(sql, params);
    return rows[0] ? toConference(rows[0]) : undefined;
  };
  return {
    async insert(c: NewConference) {
      try {
        return (await one(
          `insert into conferences (id, conference_id, subject, access_type, passcode, starts_at, ends_at, organizer_id,
             uses_personal_id, time_zone, recurrence, join_before_leader, announce_entry_exit, max_participants,
             invitees, leaders, opens_at, expires_at, lobby_bypass, announce_with, audience_may_unmute)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
             coalesce($17, now()), case when $19 then $18 else now() + ${MEET_NOW} end, $20, $21, $22) returning *`,
          [
            c.id, c.conferenceId, c.subject, c.accessType, c.passcode, c.startsAt, c.endsAt, c.organizerId,
            c.usesPersonalId ?? false, c.timeZone ?? null, c.recurrence ?? null, c.joinBeforeLeader ?? true,
            c.announceEntryExit ?? false, c.maxParticipants ?? 250, c.invitees ?? [], c.leaders ?? [],
            c.opensAt ?? null, c.expiresAt ?? null, c.expiresAt !== undefined,
            c.lobbyBypass ?? true, c.announceWith ?? 'names', c.audienceMayUnmute ?? true,
          ],
        ))!;
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) return false;
        throw error;
      }
    },
    get: (id) => one('select * from conferences where id = $1', [id]),
    async liveWithConferenceId(conferenceId) {
      const { rows } = await pool.query<ConferenceRow>(
        `select * from conferences where conference_id = $1 and status <> 'ended' order by opens_at`,
        [conferenceId],
      );
      return rows.map(toConference);
    },
    setLocked: (id, locked) => one('update conferences set locked = $2 where id = $1 returning *', [id, locked]),
    setLiveState: (id, { audienceMuted, announceEntryExit }) =>
      one(
        `update conferences set audience_muted = coalesce($2, audience_muted),
           announce_entry_exit = coalesce($3, announce_entry_exit)
         where id = $1 returning *`,
        [id, audienceMuted ?? null, announceEntryExit ?? null],
      ),
    async setPromoted(id, userId, promoted) {
      await pool.query(
        `update conferences set promoted_user_ids = case when $3 then array_append(array_remove(promoted_user_ids, $2::uuid), $2::uuid)
           else array_remove(promoted_user_ids, $2::uuid) end where id = $1`,
        [id, userId, promoted],
      );
    },
    async endSession(id, by) {
      await pool.query('update conference_sessions set ended_by = $2 where conference_id = $1 and ended_at is null', [id, by]);
    },
    async setActiveSpeaker(id, participantId) {
      await pool.query('update conferences set active_speaker_id = $2 where id = $1', [id, participantId]);
    },
    async markActive(id) {
      await pool.query(`update conferences set status = 'active' where id = $1 and status = 'scheduled'`, [id]);
    },
    update(id, changes) {
      const entries = Object.entries(changes).filter(([, v]) => v !== undefined) as Array<[keyof MeetingChanges, unknown]>;
      const sets = entries.map(([key], i) => `${COLUMNS[key]} = $${i + 2}`);
      return one(
        `update conferences set ${[...sets, 'sequence = sequence + 1'].join(', ')}
         where id = $1 and status <> 'ended' returning *`,
        [id, ...entries.map(([, value]) => value)],
      );
    },
    async expire(before) {
      const { rowCount } = await pool.query(
        `update conferences c set status = 'ended'
         where c.status <> 'ended' and c.expires_at is not null and c.expires_at < $1
           and not exists (select 1 from participants p where p.conference_id = c.id and p.state <> 'disconnected')`,
        [before],
      );
      return rowCount ?? 0;
    },
    cancel: (id, at) =>
      one(
        `update conferences set status = 'ended', cancelled_at = $2, sequence = sequence + 1
         where id = $1 and status <> 'ended' returning *`,
        [id, at],
      ),
  };
}

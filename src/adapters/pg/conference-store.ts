import type pg from 'pg';
import type { Conference } from '../../domain/conference.js';
import type { ConferenceStore, NewConference } from '../../ports/store.js';

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
  };
}

const UNIQUE_VIOLATION = '23505';

export function pgConferenceStore(pool: pg.Pool): ConferenceStore {
  const one = async (sql: string, params: unknown[]) => {
    const { rows } = await pool.query<ConferenceRow>(sql, params);
    return rows[0] ? toConference(rows[0]) : undefined;
  };
  return {
    async insert(c: NewConference) {
      try {
        return (await one(
          `insert into conferences (id, conference_id, subject, access_type, passcode, starts_at, ends_at, organizer_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`,
          [c.id, c.conferenceId, c.subject, c.accessType, c.passcode, c.startsAt, c.endsAt, c.organizerId],
        ))!;
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) return false;
        throw error;
      }
    },
    get: (id) => one('select * from conferences where id = $1', [id]),
    findLiveByConferenceId: (conferenceId) =>
      one(`select * from conferences where conference_id = $1 and status <> 'ended'`, [conferenceId]),
    setLocked: (id, locked) => one('update conferences set locked = $2 where id = $1 returning *', [id, locked]),
    async markActive(id) {
      await pool.query(`update conferences set status = 'active' where id = $1 and status = 'scheduled'`, [id]);
    },
  };
}

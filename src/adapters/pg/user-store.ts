import type pg from 'pg';
import type { Phones, User } from '../../domain/user.js';
import { UniqueConflict, type NewUser, type UserChanges, type UserStore } from '../../ports/directory-store.js';

interface UserRow {
  id: string;
  display_name: string;
  sip_uri: string;
  email: string;
  extension: string | null;
  phones: Phones;
  region: string;
  role: User['role'];
  password_hash: string | null;
  pin_hash: string | null;
  pin_set_at: Date | null;
  pin_locked_until: Date | null;
  pin_locked_out: boolean;
  pin_length: number | null;
  assigned_conference_id: string;
  created_at: Date;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    displayName: row.display_name,
    sipUri: row.sip_uri,
    email: row.email,
    extension: row.extension,
    phones: row.phones,
    region: row.region,
    role: row.role,
    assignedConferenceId: row.assigned_conference_id,
    hasPin: row.pin_hash !== null,
    pinSetAt: row.pin_set_at,
    pinLockedUntil: row.pin_locked_until,
    pinLockedOut: row.pin_locked_out,
    createdAt: row.created_at,
  };
}

const COLUMNS: Record<keyof UserChanges, string> = {
  displayName: 'display_name',
  sipUri: 'sip_uri',
  email: 'email',
  extension: 'extension',
  phones: 'phones',
  region: 'region',
  role: 'role',
  passwordHash: 'password_hash',
};

// afterWrongPin (domain/pin-lockout.ts) as one UPDATE: every expression reads the row as it is when this
// statement holds its lock, so concurrent wrong PINs each count. $2 local and $3 global thresholds,
// $4 failure window and $5 lockout in minutes, $6 now.
const TEMPORARILY_LOCKED = 'coalesce(pin_locked_until > $6::timestamptz, false)';
const NEXT_LOCAL = `(case when pin_last_failed_at > $6::timestamptz - make_interval(mins => $4::int) then pin_local_failures + 1 else 1 end)`;
const RECORD_PIN_FAILURE = `
  update users set
    pin_global_failures = pin_global_failures + 1,
    pin_locked_out = pin_locked_out or pin_global_failures + 1 >= $3,
    pin_local_failures = case when ${TEMPORARILY_LOCKED} then pin_local_failures when ${NEXT_LOCAL} >= $2 then 0 else ${NEXT_LOCAL} end,
    pin_last_failed_at = case when ${TEMPORARILY_LOCKED} then pin_last_failed_at else $6 end,
    pin_locked_until = case when not ${TEMPORARILY_LOCKED} and ${NEXT_LOCAL} >= $2 then $6::timestamptz + make_interval(mins => $5::int) else pin_locked_until end
  where id = $1 returning *`;

const CLEAR_PIN_FAILURES = 'pin_local_failures = 0, pin_last_failed_at = null, pin_global_failures = 0';
const CLEAR_PIN_LOCKS = `${CLEAR_PIN_FAILURES}, pin_locked_until = null, pin_locked_out = false`;

const CONFLICTS: Record<string, UniqueConflict['field']> = {
  users_email_key: 'email',
  users_sip_uri_key: 'sipUri',
  users_extension_key: 'extension',
  users_assigned_conference_id_key: 'assignedConferenceId',
};

/** A unique violation becomes a UniqueConflict naming the field; anything else is rethrown. */
export async function mapUniqueViolation<T>(fn: () => Promise<T>, names: Record<string, UniqueConflict['field']>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    const field = constraint ? names[constraint] : undefined;
    if (code === '23505' && field) throw new UniqueConflict(field);
    throw error;
  }
}

export function pgUserStore(pool: pg.Pool): UserStore {
  const one = async (sql: string, params: unknown[]) => {
    const { rows } = await pool.query<UserRow>(sql, params);
    return rows[0] ? toUser(rows[0]) : undefined;
  };
  return {
    insertMany: (users: readonly NewUser[]) =>
      mapUniqueViolation(async () => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          const inserted: User[] = [];
          for (const u of users) {
            const { rows } = await client.query<UserRow>(
              `insert into users (id, display_name, sip_uri, email, extension, phones, region, role, password_hash, assigned_conference_id)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning *`,
              [u.id, u.displayName, u.sipUri, u.email, u.extension, JSON.stringify(u.phones), u.region, u.role, u.passwordHash, u.assignedConferenceId],
            );
            inserted.push(toUser(rows[0]!));
          }
          await client.query('commit');
          return inserted;
        } catch (error) {
          await client.query('rollback');
          throw error;
        } finally {
          client.release();
        }
      }, CONFLICTS),
    get: (id) => one('select * from users where id = $1', [id]),
    async credentials(email) {
      const { rows } = await pool.query<UserRow>('select * from users where email = $1', [email.toLowerCase()]);
      return rows[0] ? { user: toUser(rows[0]), passwordHash: rows[0].password_hash } : undefined;
    },
    async list({ limit, offset }) {
      const { rows } = await pool.query<UserRow>('select * from users order by display_name, id limit $1 offset $2', [limit, offset]);
      return rows.map(toUser);
    },
    update: (id, changes) =>
      mapUniqueViolation(() => {
        const entries = Object.entries(changes).filter(([, value]) => value !== undefined) as Array<[keyof UserChanges, unknown]>;
        if (entries.length === 0) return one('select * from users where id = $1', [id]);
        const sets = entries.map(([key], i) => `${COLUMNS[key]} = $${i + 2}`);
        const values = entries.map(([key, value]) => (key === 'phones' ? JSON.stringify(value) : value));
        return one(`update users set ${sets.join(', ')} where id = $1 returning *`, [id, ...values]);
      }, CONFLICTS),
    async remove(id) {
      return ((await pool.query('delete from users where id = $1', [id])).rowCount ?? 0) > 0;
    },
    async taken({ emails, sipUris, extensions }, exceptUserId) {
      const { rows } = await pool.query<{ email: string; sip_uri: string; extension: string | null }>(
        `select email, sip_uri, extension from users
         where (email = any($1) or sip_uri = any($2) or extension = any($3)) and id is distinct from $4`,
        [emails, sipUris, extensions, exceptUserId ?? null],
      );
      const has = <T>(values: T[], wanted: T[]) => new Set(values.filter((v) => wanted.includes(v)));
      return {
        emails: has(rows.map((r) => r.email), emails),
        sipUris: has(rows.map((r) => r.sip_uri), sipUris),
        extensions: has(rows.flatMap((r) => (r.extension ? [r.extension] : [])), extensions),
      };
    },
    setAssignedConferenceId: (id, conferenceId) =>
      mapUniqueViolation(
        () => one('update users set assigned_conference_id = $2 where id = $1 returning *', [id, conferenceId]),
        CONFLICTS,
      ),
    async withPinSetBetween(from, to) {
      const { rows } = await pool.query<UserRow>(
        'select * from users where pin_set_at >= $1 and pin_set_at < $2',
        [from, to],
      );
      return rows.map((row) => ({ user: toUser(row), pinSetAt: row.pin_set_at! }));
    },
    async byDirectNumber(digits) {
      const { rows } = await pool.query<UserRow>(`select * from users where extension = $1 or ltrim(phones->>'work', '+') = $1 limit 2`, [digits]);
      // A number two people share reaches neither.
      return rows.length === 1 ? toUser(rows[0]!) : undefined;
    },
    async byKeypadIdentity(digits) {
      const { rows } = await pool.query<UserRow>(
        `select * from users where extension = $1
           or (length($1) >= 7 and exists (select 1 from jsonb_each_text(phones) p where regexp_replace(p.value, '[^0-9]', '', 'g') like '%' || $1))
         order by (extension = $1) desc nulls last limit 2`,
        [digits],
      );
      // Two users sharing a phone number cannot be told apart by it: neither is identified.
      if (rows.length !== 1 && rows[0]?.extension !== digits) return undefined;
      return { user: toUser(rows[0]!), pinHash: rows[0]!.pin_hash, pinLength: rows[0]!.pin_length };
    },
    recordPinFailure: (id, rule, now) =>
      one(RECORD_PIN_FAILURE, [id, rule.localThreshold, rule.globalThreshold, rule.failureWindowMinutes, rule.lockoutMinutes, now]),
    async clearPinFailures(id) {
      // Most right PINs find nothing to clear: skip the write then.
      await pool.query(`update users set ${CLEAR_PIN_FAILURES} where id = $1 and (pin_local_failures > 0 or pin_global_failures > 0)`, [id]);
    },
    unlockPin: (id) => one(`update users set ${CLEAR_PIN_LOCKS} where id = $1 returning *`, [id]),
    async recentPinHashes(id, count) {
      const { rows } = await pool.query<{ pin_hash: string }>(
        `(select pin_hash from users where id = $1 and pin_hash is not null)
         union all (select pin_hash from pin_history where user_id = $1 order by set_at desc limit $2)`,
        [id, count],
      );
      return rows.map((r) => r.pin_hash);
    },
    async setPin(id, pin, at, keep) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(
          `insert into pin_history (user_id, pin_hash, set_at) select id, pin_hash, pin_set_at from users where id = $1 and pin_hash is not null`,
          [id],
        );
        const { rows } = await client.query<UserRow>(
          `update users set pin_hash = $2, pin_length = $3, pin_set_at = $4, ${CLEAR_PIN_LOCKS} where id = $1 returning *`,
          [id, pin.hash, pin.length, at],
        );
        await client.query(
          `delete from pin_history where user_id = $1 and set_at not in (select set_at from pin_history where user_id = $1 order by set_at desc limit $2)`,
          [id, keep],
        );
        await client.query('commit');
        return rows[0] ? toUser(rows[0]) : undefined;
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
    async isConferenceIdInUse(conferenceId) {
      const { rows } = await pool.query(
        `select 1 from users where assigned_conference_id = $1
         union all select 1 from conferences where conference_id = $1 and status <> 'ended' limit 1`,
        [conferenceId],
      );
      return rows.length > 0;
    },
  };
}

import type pg from 'pg';
import type { DialOutScope } from '../../domain/dial-out-policy.js';
import type { DialOutScopeStore } from '../../ports/dial-out-scope-store.js';

export function pgDialOutScopeStore(pool: pg.Pool): DialOutScopeStore {
  return {
    async get(userId) {
      return (await pool.query<{ scope: DialOutScope }>('select scope from dial_out_scopes where user_id = $1', [userId])).rows[0]?.scope;
    },
    async set(userId, scope) {
      if (scope === null) await pool.query('delete from dial_out_scopes where user_id = $1', [userId]);
      else await pool.query('insert into dial_out_scopes (user_id, scope) values ($1, $2) on conflict (user_id) do update set scope = excluded.scope', [userId, scope]);
    },
  };
}

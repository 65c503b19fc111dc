import type pg from 'pg';
import type { TokenStore } from '../../ports/directory-store.js';
import { toUser } from './user-store.js';

export function pgTokenStore(pool: pg.Pool): TokenStore {
  return {
    async insert(tokenHash, userId, expiresAt) {
      await pool.query('insert into api_tokens (token_hash, user_id, expires_at) values ($1, $2, $3)', [tokenHash, userId, expiresAt]);
    },
    async user(tokenHash, now) {
      const { rows } = await pool.query(
        `select u.* from api_tokens t join users u on u.id = t.user_id where t.token_hash = $1 and t.expires_at > $2`,
        [tokenHash, now],
      );
      return rows[0] ? toUser(rows[0]) : undefined;
    },
    async remove(tokenHash) {
      await pool.query('delete from api_tokens where token_hash = $1', [tokenHash]);
    },
  };
}

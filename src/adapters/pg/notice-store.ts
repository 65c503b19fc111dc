import type pg from 'pg';
import type { NoticeStore } from '../../ports/jobs.js';

export function pgNoticeStore(pool: pg.Pool): NoticeStore {
  return {
    async insertOnce(notice) {
      const { rowCount } = await pool.query(
        `insert into notifications (user_id, kind, key, payload) values ($1, $2, $3, $4)
         on conflict (user_id, kind, key) do nothing`,
        [notice.userId, notice.kind, notice.key, JSON.stringify(notice.payload)],
      );
      return (rowCount ?? 0) > 0;
    },
  };
}

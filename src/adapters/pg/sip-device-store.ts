import type pg from 'pg';
import type { SipDeviceStore, UserSipDevice } from '../../ports/sip-device-store.js';

interface DeviceRow {
  user_id: string;
  username: string;
  ha1: string;
}

const toDevice = (row: DeviceRow): UserSipDevice => ({ userId: row.user_id, username: row.username, ha1: row.ha1 });
const COLUMNS = 'user_id, username, ha1';

export function pgSipDeviceStore(pool: pg.Pool): SipDeviceStore {
  return {
    async get(userId) {
      const row = (await pool.query<DeviceRow>(`select ${COLUMNS} from sip_devices where user_id = $1`, [userId])).rows[0];
      return row && toDevice(row);
    },
    async byUsername(username) {
      const row = (await pool.query<DeviceRow>(`select ${COLUMNS} from sip_devices where username = $1`, [username])).rows[0];
      return row && toDevice(row);
    },
    async all() {
      return (await pool.query<DeviceRow>(`select ${COLUMNS} from sip_devices order by username`)).rows.map(toDevice);
    },
    async save(device) {
      const result = await pool.query(
        `insert into sip_devices (user_id, username, ha1) values ($1, $2, $3)
         on conflict (user_id) do update set username = excluded.username, ha1 = excluded.ha1`,
        [device.userId, device.username, device.ha1],
      ).catch((error: { code?: string }) => {
        // The username is another user's (the only other unique column).
        if (error.code === '23505') return { rowCount: 0 };
        throw error;
      });
      return (result.rowCount ?? 0) > 0;
    },
    async remove(userId) {
      const row = (await pool.query<DeviceRow>(`delete from sip_devices where user_id = $1 returning ${COLUMNS}`, [userId])).rows[0];
      return row && toDevice(row);
    },
  };
}

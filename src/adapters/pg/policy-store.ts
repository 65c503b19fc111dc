import type pg from 'pg';
import type { PolicySet, PolicyStore } from '../../directory/policies.js';

export function pgPolicyStore(pool: pg.Pool): PolicyStore {
  return {
    async read() {
      const { rows } = await pool.query<{ name: keyof PolicySet; value: never }>('select name, value from policies');
      return Object.fromEntries(rows.map((row) => [row.name, row.value]));
    },
    async write(policies) {
      for (const [name, value] of Object.entries(policies)) {
        await pool.query(
          `insert into policies (name, value) values ($1, $2)
           on conflict (name) do update set value = excluded.value, updated_at = now()`,
          [name, JSON.stringify(value)],
        );
      }
    },
  };
}

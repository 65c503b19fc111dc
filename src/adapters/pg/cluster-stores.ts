import type pg from 'pg';
import type { Lease, MediaNode, NodeLeaseStore, PlacementStore, RelayLeg, RelayLegStore } from '../../ports/cluster.js';

interface NodeRow {
  name: string;
  sip_uri: string;
  owner: string | null;
  owner_url: string | null;
  fencing_token: string;
  lease_until: Date | null;
  reachable: boolean;
  max_calls: number;
  home_alive: boolean;
}

const toNode = (row: NodeRow): MediaNode => ({
  name: row.name,
  sipUri: row.sip_uri,
  owner: row.owner ?? undefined,
  ownerUrl: row.owner_url ?? undefined,
  fencingToken: Number(row.fencing_token),
  leaseUntil: row.lease_until ?? undefined,
  reachable: row.reachable,
  maxCalls: row.max_calls,
  homeAlive: row.home_alive,
});

/** Leases are judged by the database's clock, never by the instances' (theirs may drift apart). */
export function pgNodeLeaseStore(pool: pg.Pool): NodeLeaseStore {
  return {
    async declare(nodes) {
      for (const node of nodes) {
        await pool.query(
          `insert into media_nodes (name, sip_uri, max_calls) values ($1, $2, $3)
           on conflict (name) do update set sip_uri = excluded.sip_uri, max_calls = excluded.max_calls`,
          [node.name, node.sipUri, node.maxCalls],
        );
      }
    },
    async acquire(node, owner, ownerUrl, ttlMs) {
      // A new owner gets a new token; one renewing its own lease keeps it.
      const row = (
        await pool.query<{ fencing_token: string }>(
          `update media_nodes
              set fencing_token = case when owner = $2 and lease_until > now() then fencing_token else fencing_token + 1 end,
                  owner = $2, owner_url = $3, lease_until = now() + make_interval(secs => $4::float / 1000)
            where name = $1 and (owner is null or owner = $2 or lease_until is null or lease_until <= now())
        returning fencing_token`,
          [node, owner, ownerUrl, ttlMs],
        )
      ).rows[0];
      return row && { node, token: Number(row.fencing_token) };
    },
    async renew(lease: Lease, owner, ttlMs, reachable) {
      const { rowCount } = await pool.query(
        `update media_nodes set lease_until = now() + make_interval(secs => $4::float / 1000), reachable = $5
          where name = $1 and owner = $2 and fencing_token = $3 and lease_until > now()`,
        [lease.node, owner, lease.token, ttlMs, reachable],
      );
      return rowCount === 1;
    },
    async release(lease, owner) {
      await pool.query(`update media_nodes set owner = null, owner_url = null, lease_until = null where name = $1 and owner = $2 and fencing_token = $3`, [
        lease.node,
        owner,
        lease.token,
      ]);
    },
    async wantHome(node, ttlMs) {
      await pool.query('update media_nodes set home_alive_until = now() + make_interval(secs => $2::float / 1000) where name = $1', [node, ttlMs]);
    },
    async all() {
      return (await pool.query<NodeRow>('select *, coalesce(home_alive_until > now(), false) as home_alive from media_nodes order by name')).rows.map(toNode);
    },
  };
}

/** New conferences go to nodes whose owner holds an unexpired lease and reaches their Asterisk. */
const ALIVE = `n.lease_until > now() and n.reachable`;
/**
 * A conference stays where it is while its node's Asterisk is reachable, and also while its lease has
 * only just run out (its owner died and another instance is taking the node over, calls still up):
 * re-placing it then would split it in two.
 */
const STILL_ALIVE = `n.reachable and n.lease_until > now() - interval '30 seconds'`;

export function pgPlacementStore(pool: pg.Pool): PlacementStore {
  return {
    async place(conferenceId, preferred) {
      // One statement: concurrent first callers on different nodes meet at the primary key, and every
      // one of them reads back the same node. A placement on a dead node is replaced by the next caller.
      const placed = await pool.query<{ node: string }>(
        `with load as (
           select n.name, n.max_calls,
                  (select count(*) from participants p join conference_placements cp on cp.conference_id = p.conference_id
                    where cp.node = n.name and p.state <> 'disconnected') as calls
             from media_nodes n where ${ALIVE}
         ), choice as (
           select name from load
            order by (name = $2 and calls < max_calls) desc, calls::float / greatest(max_calls, 1), name
            limit 1
         )
         insert into conference_placements as cp (conference_id, node)
         select $1, name from choice
         on conflict (conference_id) do update set node = excluded.node, placed_at = now()
          where not exists (select 1 from media_nodes n where n.name = cp.node and ${STILL_ALIVE})
         returning node`,
        [conferenceId, preferred],
      );
      if (placed.rows[0]) return placed.rows[0].node;
      const existing = await pool.query<{ node: string }>(
        `select cp.node from conference_placements cp join media_nodes n on n.name = cp.node where cp.conference_id = $1 and ${STILL_ALIVE}`,
        [conferenceId],
      );
      return existing.rows[0]?.node;
    },
    async conferencesOn(nodes) {
      return (await pool.query<{ conference_id: string }>('select conference_id from conference_placements where node = any($1)', [nodes])).rows.map((r) => r.conference_id);
    },
    async nodeOf(conferenceId) {
      return (await pool.query<{ node: string }>('select node from conference_placements where conference_id = $1', [conferenceId])).rows[0]?.node;
    },
  };
}

interface LegRow {
  ticket: string;
  conference_id: string;
  from_node: string;
  to_node: string;
  caller_channel: string;
  relay_channel: string;
  caller: RelayLeg['caller'];
}

const LEG = 'ticket, conference_id, from_node, to_node, caller_channel, relay_channel, caller';
const toLeg = (row: LegRow): RelayLeg => ({
  ticket: row.ticket,
  conferenceId: row.conference_id,
  fromNode: row.from_node,
  toNode: row.to_node,
  callerChannel: row.caller_channel,
  relayChannel: row.relay_channel,
  caller: row.caller,
});

export function pgRelayLegStore(pool: pg.Pool): RelayLegStore {
  return {
    async open(leg) {
      await pool.query(`insert into relay_legs (${LEG}) values ($1, $2, $3, $4, $5, $6, $7)`, [
        leg.ticket,
        leg.conferenceId,
        leg.fromNode,
        leg.toNode,
        leg.callerChannel,
        leg.relayChannel,
        JSON.stringify(leg.caller),
      ]);
    },
    async redeem(ticket, toNode, channelId, maxAgeMs) {
      const row = (
        await pool.query<LegRow>(
          `update relay_legs set redeemed_at = now(), arrived_channel = $3
            where ticket = $1 and to_node = $2 and redeemed_at is null and created_at > now() - make_interval(secs => $4::float / 1000)
        returning ${LEG}`,
          [ticket, toNode, channelId, maxAgeMs],
        )
      ).rows[0];
      return row && toLeg(row);
    },
    async byChannel(channelId) {
      const row = (await pool.query<LegRow>(`select ${LEG} from relay_legs where caller_channel = $1 or relay_channel = $1 or arrived_channel = $1`, [channelId])).rows[0];
      return row && toLeg(row);
    },
    async from(nodes) {
      return (await pool.query<LegRow>(`select ${LEG} from relay_legs where from_node = any($1)`, [nodes])).rows.map(toLeg);
    },
    async close(ticket) {
      await pool.query('delete from relay_legs where ticket = $1', [ticket]);
    },
  };
}

-- parley past one media server (README, "Beyond one media server").
-- Each Asterisk media node is owned by exactly one parley instance at a time: a lease with an expiry
-- and a fencing token that grows with every change of owner, so a former owner that wakes up late can
-- tell (and is told, by every renewal it attempts) that the node is no longer its own.
create table media_nodes (
  name           text primary key,
  -- Where relay legs from other nodes reach this node's SIP (sip:127.0.0.3:5060).
  sip_uri        text not null,
  owner          text,
  -- Where the owner serves the API: conference commands for this node's conferences go there.
  owner_url      text,
  fencing_token  bigint not null default 0,
  lease_until    timestamptz,
  -- The owner's ARI connection to the node is up (a node whose Asterisk died is not placed on).
  reachable      boolean not null default false,
  max_calls      integer not null default 400,
  -- The instance this node is for says it is alive (a heartbeat): another holding the node gives it back.
  home_alive_until timestamptz
);

-- Where a conference lives: decided once, by the first caller (their node if it has room, else the
-- least loaded), so that first callers arriving at once on different nodes agree on one bridge.
create table conference_placements (
  conference_id  text primary key references conferences (id) on delete cascade,
  node           text not null references media_nodes (name),
  placed_at      timestamptz not null default now()
);
create index conference_placements_node on conference_placements (node);

-- A caller whose call landed on another node than their conference's: the leg from that node to the
-- conference's node carries a one-time ticket; the pair is kept so that either end's hang-up ends the
-- other, also after a restart or a takeover.
create table relay_legs (
  ticket          text primary key,
  conference_id   text not null references conferences (id) on delete cascade,
  from_node       text not null,
  to_node         text not null,
  caller_channel  text not null unique,
  relay_channel   text not null unique,
  -- The leg's channel on the conference's node, once it arrived there.
  arrived_channel text unique,
  -- What the conference's node needs to go on as if the caller had called it (language, device).
  caller          jsonb not null,
  created_at      timestamptz not null default now(),
  redeemed_at     timestamptz
);
create index relay_legs_to_node on relay_legs (to_node);

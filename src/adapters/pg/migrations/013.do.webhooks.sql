-- Outgoing webhooks: subscriptions, one delivery per (subscription, conference event), and how far the
-- fan-out has read each conference's event stream.

-- Event types added later (invitations sent, calls placed out) are already allowed here.
alter table conference_events drop constraint conference_events_type_check;
alter table conference_events add constraint conference_events_type_check
  check (type in ('participant', 'conference', 'session', 'recording', 'invitation', 'dial-out'));

create table webhook_subscriptions (
  id             uuid primary key default gen_random_uuid(),
  url            text not null check (url ~ '^https?://'),
  -- Kept in clear: it is the HMAC key every delivery is signed with, not a password to check.
  secret         text not null,
  -- Empty: every type.
  event_types    text[] not null default '{}',
  -- Null: every conference.
  conference_id  text references conferences (id) on delete cascade,
  active         boolean not null default true,
  created_at     timestamptz not null default now(),
  -- Null: the deployment's service token (or a user since removed).
  created_by     uuid references users (id) on delete set null
);

create table webhook_deliveries (
  id               uuid primary key default gen_random_uuid(),
  subscription_id  uuid not null references webhook_subscriptions (id) on delete cascade,
  conference_id    text not null,
  seq              bigint not null,
  type             text not null,
  -- The event's data as sent (frozen at fan-out: later purges of conference_events do not matter).
  payload          jsonb not null,
  event_at         timestamptz not null,
  state            text not null default 'pending' check (state in ('pending', 'delivered', 'dead')),
  attempts         integer not null default 0,
  next_attempt_at  timestamptz not null default now(),
  -- Set while one instance is sending it; a crashed sender's claim simply runs out.
  leased_until     timestamptz,
  last_status      integer,
  last_error       text,
  created_at       timestamptz not null default now(),
  delivered_at     timestamptz,
  -- A fan-out that runs twice over the same events creates nothing twice.
  unique (subscription_id, conference_id, seq)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'pending';
create index webhook_deliveries_listing on webhook_deliveries (subscription_id, state, created_at);
create index webhook_deliveries_delivered on webhook_deliveries (delivered_at) where state = 'delivered';

-- Per conference, not one global (at, seq) cursor: seq commits in order within a conference (it is taken
-- under the conference row's lock), while `at` is a transaction's start and can commit behind a later one.
create table webhook_cursors (
  conference_id  text primary key,
  seq            bigint not null
);
-- Webhooks start from now: events already stored are not sent to the first subscribers.
insert into webhook_cursors (conference_id, seq) select id, event_seq from conferences where event_seq > 0;

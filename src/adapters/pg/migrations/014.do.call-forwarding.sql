-- Each user's call-forwarding settings (domain/call-routing.ts, validated before they are written) and
-- presence. No row: forwarding off, available. Users named inside the settings are not foreign keys:
-- a removed colleague is dropped when the settings are read.
create table call_forwarding (
  user_id     uuid primary key references users (id) on delete cascade,
  settings    jsonb not null,
  updated_at  timestamptz not null default now()
);

create table user_presence (
  user_id  uuid primary key references users (id) on delete cascade,
  state    text not null check (state in ('available', 'busy', 'do-not-disturb', 'be-right-back', 'away', 'offline')),
  since    timestamptz not null,
  -- Null: until changed.
  until    timestamptz check (until > since)
);

-- Conference recordings, as Asterisk stored recordings (<recording dir>/<name>.<format>). Purging past
-- retention deletes the file and sets purged_at; the row stays for the audit trail.
create table recordings (
  id             uuid primary key default gen_random_uuid(),
  conference_id  text not null references conferences (id),
  -- The files adapter checks names again before touching the disk; this keeps bad ones out of the table.
  name           text not null unique check (name ~ '^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$' and name !~ '\.\.'),
  format         text not null default 'wav' check (format ~ '^[a-z0-9]{1,10}$'),
  started_at     timestamptz not null,
  ended_at       timestamptz check (ended_at >= started_at),
  purged_at      timestamptz,
  created_by     uuid references users (id) on delete set null
);

create index recordings_conference on recordings (conference_id, started_at);
create index recordings_to_purge on recordings (ended_at) where purged_at is null;

-- Callers' recorded names are purged with the same retention, counted from when the caller left.
create index participants_name_recordings on participants (left_at) where name_recording is not null;

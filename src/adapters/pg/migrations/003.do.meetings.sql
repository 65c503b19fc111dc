-- Meetings as Outlook schedules them. A conference ID is either new for the meeting, or the
-- organiser's personal one, which their meetings share as long as their join windows do not overlap.
alter table conferences
  add column uses_personal_id     boolean not null default false,
  add column time_zone            text,
  add column recurrence           text,
  add column join_before_leader   boolean not null default true,
  add column announce_entry_exit  boolean not null default false,
  add column max_participants     integer not null default 250 check (max_participants between 2 and 1000),
  add column invitees             text[] not null default '{}',
  add column leaders              text[] not null default '{}',
  add column sequence             integer not null default 0,
  add column cancelled_at         timestamptz,
  -- The join window (see scheduling/join-window.ts); expires_at null: a recurrence without end.
  add column opens_at             timestamptz,
  add column expires_at           timestamptz;

update conferences set opens_at = created_at, expires_at = created_at + interval '8 hours';
alter table conferences alter column opens_at set not null, alter column opens_at set default now();

drop index conferences_live_conference_id;
-- A new conference ID still names one live conference; personal IDs are checked for overlap by the app.
create unique index conferences_live_new_id on conferences (conference_id)
  where status <> 'ended' and not uses_personal_id;
create index conferences_live_by_id on conferences (conference_id) where status <> 'ended';

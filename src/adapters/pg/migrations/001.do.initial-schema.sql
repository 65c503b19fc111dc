create table access_numbers (
  number     text primary key check (number ~ '^[0-9]{4,15}$'),
  display    text not null,
  region     text not null,
  languages  text[] not null check (cardinality(languages) between 1 and 5)
);

insert into access_numbers (number, display, region, languages)
values ('14255550100', '+1 (425) 555-0100', 'US', array['en-US']);

create table conferences (
  id             text primary key check (id ~ '^[0-9a-f]{32}$'),
  conference_id  text not null check (conference_id ~ '^[0-9]{1,16}$'),
  subject        text not null,
  access_type    text not null check (access_type in ('anonymous', 'open', 'closed')),
  passcode       text check (passcode ~ '^[0-9]{4,12}$'),
  locked         boolean not null default false,
  status         text not null default 'scheduled' check (status in ('scheduled', 'active', 'ended')),
  starts_at      timestamptz,
  ends_at        timestamptz,
  created_at     timestamptz not null default now()
);

-- A conference ID names one conference among those that can still be joined.
create unique index conferences_live_conference_id on conferences (conference_id) where status <> 'ended';

create table participants (
  id              uuid primary key,
  conference_id   text not null references conferences (id),
  channel_id      text not null,
  display_name    text not null,
  caller_number   text not null,
  role            text not null default 'participant' check (role in ('leader', 'participant')),
  state           text not null default 'connecting' check (state in ('connecting', 'connected', 'disconnected')),
  muted           boolean not null default false,
  muted_by        text check (muted_by in ('self', 'leader')),
  talking         boolean not null default false,
  via             text not null default 'phone' check (via in ('phone', 'voip')),
  created_at      timestamptz not null default now(),
  joined_at       timestamptz,
  left_at         timestamptz
);

create index participants_conference on participants (conference_id, created_at);
-- One live participant per Asterisk channel.
create unique index participants_live_channel on participants (channel_id) where state <> 'disconnected';

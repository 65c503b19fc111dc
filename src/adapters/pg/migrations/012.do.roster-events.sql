-- Leader control: the full roster state model, active speaker and noise, one ordered event stream per
-- conference, call detail records and the audit log.

alter table participants drop constraint participants_state_check;
alter table participants add constraint participants_state_check
  check (state in ('inviting', 'ringing', 'connecting', 'lobby', 'connected', 'on-hold', 'disconnecting', 'disconnected'));
-- Talking without a pause since then (TALK_DETECT); the noise rule needs how long.
alter table participants add column talking_since timestamptz;
-- A line that keeps producing sound while others speak (the seed's background traffic noise).
alter table participants add column noisy boolean not null default false;
-- Call detail: how the caller got in, and how the call ended.
alter table participants add column auth_method text not null default 'none' check (auth_method in ('none', 'passcode', 'pin'));
alter table participants add column end_reason text
  check (end_reason in ('hangup', 'ejected', 'ended-by-leader', 'refused', 'lobby-timeout', 'failed', 'abandoned'));

alter table conferences add column event_seq bigint not null default 0;
alter table conferences add column active_speaker_id uuid;
-- Directory users a leader promoted during the meeting: they get the role back when they dial in again.
alter table conferences add column promoted_user_ids uuid[] not null default '{}';

-- Every visible change, in order: seq is per conference and taken under the conference row's lock, so
-- events commit in seq order and a client resuming after seq N misses nothing.
create table conference_events (
  conference_id  text not null references conferences (id),
  seq            bigint not null,
  type           text not null check (type in ('participant', 'conference', 'session', 'recording')),
  data           jsonb not null,
  at             timestamptz not null default now(),
  primary key (conference_id, seq)
);
create index conference_events_at on conference_events (at);

-- Call detail per gathering: from the first caller connected to the last one gone (or a leader ending it).
create table conference_sessions (
  id                 uuid primary key default gen_random_uuid(),
  conference_id      text not null references conferences (id),
  started_at         timestamptz not null default now(),
  ended_at           timestamptz,
  peak_participants  integer not null default 1,
  ended_by           text check (ended_by in ('last-left', 'leader'))
);
create unique index conference_sessions_open on conference_sessions (conference_id) where ended_at is null;
create index conference_sessions_conference on conference_sessions (conference_id, started_at);

-- Who did what, when: every leader action, from the API, the panel or the keypad.
create table audit_log (
  id              bigserial primary key,
  conference_id   text not null references conferences (id),
  actor_user_id   uuid references users (id) on delete set null,
  actor           text not null,
  action          text not null,
  participant_id  uuid,
  detail          jsonb not null default '{}',
  at              timestamptz not null default now()
);
create index audit_log_conference on audit_log (conference_id, id);

create function parley_event(conference text, kind text, payload jsonb) returns void language plpgsql as $$
declare
  next_seq bigint;
begin
  update conferences set event_seq = event_seq + 1 where id = conference returning event_seq into next_seq;
  insert into conference_events (conference_id, seq, type, data) values (conference, next_seq, kind, payload);
end $$;

create function parley_participant_changed() returns trigger language plpgsql as $$
declare
  present integer;
begin
  perform parley_event(new.conference_id, 'participant', to_jsonb(new) - 'caller_number');
  -- On hold is still in the conference: a gathering ends when nobody is connected or on hold.
  if new.state in ('connected', 'on-hold') and (tg_op = 'INSERT' or old.state not in ('connected', 'on-hold')) then
    select count(*) into present from participants where conference_id = new.conference_id and state in ('connected', 'on-hold');
    update conference_sessions set peak_participants = greatest(peak_participants, present)
      where conference_id = new.conference_id and ended_at is null;
    if not found then
      insert into conference_sessions (conference_id, peak_participants) values (new.conference_id, greatest(present, 1));
      perform parley_event(new.conference_id, 'session', jsonb_build_object('started', true));
    end if;
  elsif tg_op = 'UPDATE' and old.state in ('connected', 'on-hold') and new.state not in ('connected', 'on-hold') then
    if not exists (select 1 from participants where conference_id = new.conference_id and state in ('connected', 'on-hold')) then
      update conference_sessions set ended_at = now(), ended_by = coalesce(ended_by, 'last-left')
        where conference_id = new.conference_id and ended_at is null;
      if found then
        perform parley_event(new.conference_id, 'session', jsonb_build_object('ended', true));
      end if;
    end if;
  end if;
  return null;
end $$;

create trigger participants_inserted after insert on participants
  for each row execute function parley_participant_changed();
create trigger participants_updated after update on participants
  for each row when (old.* is distinct from new.*) execute function parley_participant_changed();

create function parley_conference_changed() returns trigger language plpgsql as $$
begin
  perform parley_event(new.id, 'conference', jsonb_build_object(
    'locked', new.locked, 'status', new.status, 'audience_muted', new.audience_muted,
    'announce_entry_exit', new.announce_entry_exit, 'active_speaker_id', new.active_speaker_id));
  return null;
end $$;

create trigger conferences_events after update of locked, status, audience_muted, announce_entry_exit, active_speaker_id on conferences
  for each row when (
    old.locked is distinct from new.locked or old.status is distinct from new.status
    or old.audience_muted is distinct from new.audience_muted or old.announce_entry_exit is distinct from new.announce_entry_exit
    or old.active_speaker_id is distinct from new.active_speaker_id)
  execute function parley_conference_changed();

-- One conference recording at a time.
create unique index recordings_running on recordings (conference_id) where ended_at is null and name like 'parley-conf-%';

create function parley_recording_changed() returns trigger language plpgsql as $$
begin
  perform parley_event(new.conference_id, 'recording', jsonb_build_object('id', new.id, 'recording', new.ended_at is null));
  return null;
end $$;

create trigger recordings_events after insert or update of ended_at on recordings
  for each row execute function parley_recording_changed();

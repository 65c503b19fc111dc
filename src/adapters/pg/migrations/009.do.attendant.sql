-- The attendant in full: the lobby, name recordings, audience mute, announcements, remembered languages.
alter table participants drop constraint participants_state_check;
alter table participants add constraint participants_state_check
  check (state in ('connecting', 'lobby', 'connected', 'disconnected'));
-- The Asterisk stored-recording name of what the caller said ("after the tone, say your name").
alter table participants add column name_recording text;
alter table participants add column language text;

-- PstnCallersBypassLobby: false keeps unauthenticated callers in the lobby until a leader admits them.
alter table conferences add column lobby_bypass boolean not null default true;
alter table conferences add column announce_with text not null default 'names' check (announce_with in ('names', 'tones'));
alter table conferences add column audience_muted boolean not null default false;
alter table conferences add column audience_may_unmute boolean not null default true;

-- "Greet them in it next time": the language a caller chose, by caller ID.
create table caller_languages (
  caller_number  text primary key,
  language       text not null,
  updated_at     timestamptz not null default now()
);

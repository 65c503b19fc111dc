-- A browser's audio session (WebRTC): the SIP endpoint parley made for it in Asterisk, and who calls
-- through it. A signed-in user joins as themselves; a guest from an invitation's join page joins that
-- conference only, under the name they typed, with its passcode known to the page.
create table browser_audio (
  username       text primary key,
  conference_id  text not null references conferences (id) on delete cascade,
  user_id        uuid references users (id) on delete cascade,
  display_name   text not null,
  created_at     timestamptz not null default now()
);
create index browser_audio_created on browser_audio (created_at);

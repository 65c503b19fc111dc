-- Directory users' SIP devices (desk phones, softphones): the name each registers with at Asterisk and
-- its digest HA1 = MD5(username:realm:password). The password itself is shown once and never stored.
create table sip_devices (
  user_id     uuid primary key references users (id) on delete cascade,
  username    text not null unique,
  ha1         text not null,
  created_at  timestamptz not null default now()
);

-- Calls to a user that were answered: the caller's channel and the leg that answered, in a bridge of
-- their own. A restarted parley finds each pair here and ends the one when the other hangs up.
create table user_calls (
  call_id     text primary key,
  leg_id      text not null unique,
  user_id     uuid references users (id) on delete set null,
  started_at  timestamptz not null default now()
);

-- Messages callers left when nobody answered a call to a user (the no-answer destination "voicemail"):
-- each an Asterisk stored recording <recording>.wav, kept until the user deletes it.
create table voicemails (
  id             uuid primary key,
  user_id        uuid not null references users (id) on delete cascade,
  caller_number  text not null,
  caller_name    text not null,
  recording      text not null unique,
  seconds        numeric(7, 1) not null,
  created_at     timestamptz not null default now()
);
create index voicemails_user on voicemails (user_id, created_at desc);

-- A user's own dial-out scope (e.g. no international calls for some users), instead of the policy's.
create table dial_out_scopes (
  user_id  uuid primary key references users (id) on delete cascade,
  scope    text not null check (scope in ('none', 'internal', 'national', 'international'))
);

-- Every call that reaches parley asks whether its number is a user's (extension or work number).
create index users_work_number on users ((ltrim(phones->>'work', '+')));

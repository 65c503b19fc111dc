-- Directory users' SIP devices (desk phones, softphones): the name each registers with at Asterisk and
-- its digest HA1 = MD5(username:realm:password). The password itself is shown once and never stored.
create table sip_devices (
  user_id     uuid primary key references users (id) on delete cascade,
  username    text not null unique,
  ha1         text not null,
  created_at  timestamptz not null default now()
);

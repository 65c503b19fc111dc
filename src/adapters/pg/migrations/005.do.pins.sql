-- The hashes of earlier PINs (a new PIN may not repeat the last few) and the keypad lockout.
create table pin_history (
  user_id     uuid not null references users (id) on delete cascade,
  pin_hash    text not null,
  set_at      timestamptz not null default now()
);
create index pin_history_user on pin_history (user_id, set_at desc);

alter table users
  add column pin_failed_attempts  integer not null default 0,
  add column pin_locked_until     timestamptz;

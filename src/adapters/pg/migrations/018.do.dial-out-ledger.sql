-- Calls parley placed through the gateway (leader dial-out, add-audio, forwarding, simultaneous ring):
-- counted for the dial-out limits (per user and per deployment, per minute and at once) by every
-- instance alike. A leg whose end was never written (parley died) stops counting as up after 4 hours.
create table dial_out_legs (
  id          text primary key,
  user_id     uuid references users (id) on delete set null,
  number      text not null,
  purpose     text not null,
  placed_at   timestamptz not null default now(),
  ended_at    timestamptz
);
create index dial_out_legs_placed on dial_out_legs (placed_at);
create index dial_out_legs_user_placed on dial_out_legs (user_id, placed_at);

-- Legs parley refused to place (blocked number, scope, limit): the audit trail of attempted toll fraud.
create table dial_out_refusals (
  id          bigserial primary key,
  user_id     uuid references users (id) on delete set null,
  number      text not null,
  purpose     text not null,
  code        text not null,
  detail      text,
  at          timestamptz not null default now()
);
create index dial_out_refusals_at on dial_out_refusals (at);

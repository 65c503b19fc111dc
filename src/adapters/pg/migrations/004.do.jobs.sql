-- Notices for users (PIN about to expire, ...); `key` makes each notice once-only.
create table notifications (
  id          uuid primary key default gen_random_uuid(),
  user_id     uuid not null references users (id) on delete cascade,
  kind        text not null,
  key         text not null,
  payload     jsonb not null default '{}',
  created_at  timestamptz not null default now(),
  sent_at     timestamptz,
  unique (user_id, kind, key)
);

-- Deployment-wide policies administrators change through the API; absent: the configured defaults.
create table policies (
  name        text primary key,
  value       jsonb not null,
  updated_at  timestamptz not null default now()
);

-- Regions group users and access numbers (the seed's pools and regions). `country` is the
-- ISO 3166 country whose numbering plan reads a region's national phone numbers.
create table regions (
  code     text primary key check (code ~ '^[A-Za-z0-9-]{1,32}$'),
  name     text not null,
  country  text not null check (country ~ '^[A-Z]{2}$')
);
insert into regions (code, name, country) values ('US', 'United States', 'US');

alter table access_numbers
  add constraint access_numbers_region_fk foreign key (region) references regions (code);

create table users (
  id                      uuid primary key,
  display_name            text not null check (length(display_name) between 1 and 200),
  sip_uri                 text not null unique,
  email                   text not null unique check (email = lower(email)),
  extension               text unique check (extension ~ '^[0-9]{2,10}$'),
  phones                  jsonb not null default '{}',
  region                  text not null references regions (code),
  role                    text not null default 'organizer' check (role in ('admin', 'organizer')),
  password_hash           text,
  pin_hash                text,
  pin_set_at              timestamptz,
  assigned_conference_id  text not null unique check (assigned_conference_id ~ '^[0-9]{1,16}$'),
  created_at              timestamptz not null default now()
);

-- Bearer tokens: only their SHA-256 is kept. Sessions expire; deleting a user ends them.
create table api_tokens (
  token_hash   bytea primary key,
  user_id      uuid not null references users (id) on delete cascade,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null
);
create index api_tokens_user on api_tokens (user_id);

alter table conferences add column organizer_id uuid references users (id) on delete set null;

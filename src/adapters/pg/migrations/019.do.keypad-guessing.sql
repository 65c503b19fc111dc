-- Keypad brute force: wrong conference IDs, passcodes and PINs counted across calls per caller number
-- (callers who withhold theirs share 'anonymous') and access number, and across the whole deployment
-- per minute, for the alarm.
create table keypad_guesses (
  access_number      text not null,
  caller             text not null,
  failures           integer not null,
  window_started_at  timestamptz not null,
  refused_until      timestamptz,
  primary key (access_number, caller)
);
-- Old windows are of no use: the retention job may delete rows whose window and refusal are over.
create index keypad_guesses_window on keypad_guesses (window_started_at);

-- One row: the deployment's wrong entries in the current one-minute window.
create table keypad_guess_rate (
  id                 boolean primary key default true check (id),
  failures           integer not null,
  window_started_at  timestamptz not null
);

-- A deployment-wide alarm belongs to no conference.
alter table audit_log alter column conference_id drop not null;
create index audit_log_deployment on audit_log (id) where conference_id is null;

-- Webhook events of the deployment (conference_id '' in webhook_deliveries) are numbered here.
create sequence deployment_event_seq;

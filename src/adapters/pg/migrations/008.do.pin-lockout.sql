-- The keypad PIN lockout as Lync has it (src/domain/pin-lockout.ts): a local counter of wrong PINs that
-- came close together (each within the failure window of the last) and a temporary lock, and a global
-- counter of every wrong PIN since the last right one and a lock only an administrator lifts.
alter table users rename column pin_failed_attempts to pin_local_failures;
alter table users
  add column pin_last_failed_at   timestamptz,
  add column pin_global_failures  integer not null default 0,
  add column pin_locked_out       boolean not null default false,
  -- The thresholds grow with the PIN's length; only the length is kept, never the PIN. Null for PINs set
  -- before this migration: the 5-digit thresholds apply until the next PIN.
  add column pin_length           integer check (pin_length > 0);

-- The fixed attempt count gave way to thresholds by PIN length, and the lockout now follows only wrong
-- PINs close together. A stored PIN policy holds every field, changed or not (the old 30-minute default
-- among them): both go, so the configured defaults (PIN_LOCKOUT_MINUTES, 60) apply until changed again.
update policies set value = value - 'maxFailedAttempts' - 'lockoutMinutes' where name = 'pin';

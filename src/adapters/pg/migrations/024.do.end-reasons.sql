-- Each way a call ends has its own reason (src/domain/participant.ts END_REASONS). 'refused' stays for
-- rows written before, when every refusal had that one reason.
alter table participants drop constraint participants_end_reason_check;
alter table participants add constraint participants_end_reason_check
  check (end_reason in ('hangup', 'abandoned', 'ejected', 'ended-by-leader', 'lobby-timeout', 'lobby-denied', 'lost', 'failed',
                        'wrong-passcode', 'sign-in-failed', 'pin-locked', 'keypad-refused', 'sign-in-required',
                        'not-invited', 'locked', 'full', 'meeting-ended',
                        'busy', 'no-answer', 'declined', 'cancelled', 'not-accepted', 'refused'));

-- Callers who named a conference but were turned away before the roster (wrong passcode, PIN, ...):
-- for its leaders' call records. The number is stored masked, as the roster shows it.
create table door_refusals (
  id             bigserial primary key,
  conference_id  text not null references conferences (id),
  at             timestamptz not null default now(),
  caller         text not null,
  reason         text not null check (reason in ('wrong-passcode', 'sign-in-failed', 'pin-locked', 'keypad-refused',
                                                 'sign-in-required', 'not-invited', 'locked', 'full', 'meeting-ended')),
  language       text
);
create index door_refusals_conference on door_refusals (conference_id, at desc);

-- A cancelled meeting's live state says so on the event stream and to webhooks (the row keeps 'ended'
-- for the bridge).
create or replace function parley_conference_changed() returns trigger language plpgsql as $$
begin
  perform parley_event(new.id, 'conference', jsonb_build_object(
    'locked', new.locked,
    'status', case when new.cancelled_at is not null then 'cancelled' else new.status end,
    'audience_muted', new.audience_muted,
    'announce_entry_exit', new.announce_entry_exit, 'active_speaker_id', new.active_speaker_id));
  return null;
end $$;

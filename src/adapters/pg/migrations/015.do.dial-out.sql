-- Calls parley places: how an invitation ended, for the roster and the call record.
alter table participants drop constraint participants_end_reason_check;
alter table participants add constraint participants_end_reason_check
  check (end_reason in ('hangup', 'ejected', 'ended-by-leader', 'refused', 'lobby-timeout', 'failed', 'abandoned',
                        'busy', 'no-answer', 'declined', 'cancelled', 'not-accepted'));

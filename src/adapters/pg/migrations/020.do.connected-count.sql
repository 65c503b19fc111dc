-- Callers in the bridge (connected or on hold), kept on the conference row by the participant trigger
-- in the same update that numbers the event: admission checks it under that row's lock in one
-- statement, and the bridge settles on it, instead of counting the roster each time.
alter table conferences add column connected integer not null default 0 check (connected >= 0);
update conferences c set connected = (
  select count(*) from participants p where p.conference_id = c.id and p.state in ('connected', 'on-hold'));

create or replace function parley_participant_changed() returns trigger language plpgsql as $$
declare
  -- On hold is still in the conference: a gathering ends when nobody is connected or on hold.
  delta integer := (new.state in ('connected', 'on-hold'))::integer
    - (case when tg_op = 'UPDATE' then (old.state in ('connected', 'on-hold'))::integer else 0 end);
  next_seq bigint;
  present integer;
begin
  update conferences set event_seq = event_seq + 1, connected = connected + delta
    where id = new.conference_id returning event_seq, connected into next_seq, present;
  insert into conference_events (conference_id, seq, type, data)
    values (new.conference_id, next_seq, 'participant', to_jsonb(new) - 'caller_number');
  if delta > 0 then
    update conference_sessions set peak_participants = greatest(peak_participants, present)
      where conference_id = new.conference_id and ended_at is null;
    if not found then
      insert into conference_sessions (conference_id, peak_participants) values (new.conference_id, greatest(present, 1));
      perform parley_event(new.conference_id, 'session', jsonb_build_object('started', true));
    end if;
  elsif delta < 0 and present = 0 then
    update conference_sessions set ended_at = now(), ended_by = coalesce(ended_by, 'last-left')
      where conference_id = new.conference_id and ended_at is null;
    if found then
      perform parley_event(new.conference_id, 'session', jsonb_build_object('ended', true));
    end if;
  end if;
  return null;
end $$;

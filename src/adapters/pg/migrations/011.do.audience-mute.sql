-- Muted with the audience (*4) is told apart from muted by a leader one by one: lifting the audience
-- mute must not unmute callers a leader silenced on purpose.
alter table participants drop constraint participants_muted_by_check;
alter table participants add constraint participants_muted_by_check check (muted_by in ('self', 'leader', 'audience'));

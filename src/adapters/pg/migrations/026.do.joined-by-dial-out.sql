-- How a caller joined, as the leader's panel shows it: a phone line that dialled in, a phone line parley
-- called (dial-out, "Call me", add audio, an accepted invitation), or a browser or SIP device.
alter table participants drop constraint participants_via_check;
alter table participants add constraint participants_via_check check (via in ('phone', 'dial-out', 'voip'));

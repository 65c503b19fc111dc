-- A directory user's registered SIP device joins as that user: SIP's digest authenticated them, not a
-- PIN at the keypad. The call record says so.
alter table participants drop constraint participants_auth_method_check;
alter table participants add constraint participants_auth_method_check check (auth_method in ('none', 'passcode', 'pin', 'sip'));

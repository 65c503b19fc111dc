-- A caller who authenticated at the keypad (extension or phone number + PIN) is a directory user.
alter table participants add column user_id uuid references users (id) on delete set null;

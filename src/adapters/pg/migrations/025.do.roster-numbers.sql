-- The number a roster shows, masked ("+1 425 •••• 0123"): set on insert from the caller's number. Unlike
-- caller_number (removed from the event log's copies), this one travels in the event stream to the panel.
alter table participants add column roster_number text;

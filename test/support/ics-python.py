#!/usr/bin/python3
"""Reads one iCalendar file on stdin with Debian's python3-icalendar and prints what it understood as JSON.

Exits 1 (with the parser's complaints) when the library found anything it could not parse.
"""
import json
import sys

import icalendar


def text(value):
    return None if value is None else str(value)


def when(value):
    if value is None:
        return None
    dt = value.dt
    return {"iso": dt.isoformat(), "tzid": text(value.params.get("TZID"))}


def main():
    raw = sys.stdin.buffer.read()
    calendar = icalendar.Calendar.from_ical(raw)
    errors = [f"{c.name}: {e}" for c in calendar.walk() for e in getattr(c, "errors", [])]
    events = []
    for event in calendar.walk("VEVENT"):
        attendees = event.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        events.append({
            "uid": text(event.get("UID")),
            "sequence": int(event.get("SEQUENCE", 0)),
            "status": text(event.get("STATUS")),
            "summary": text(event.get("SUMMARY")),
            "description": text(event.get("DESCRIPTION")),
            "dtstamp": when(event.get("DTSTAMP")),
            "start": when(event.get("DTSTART")),
            "end": when(event.get("DTEND")),
            "rrule": event["RRULE"].to_ical().decode() if "RRULE" in event else None,
            "organizer": text(event.get("ORGANIZER")),
            "attendees": [{"address": str(a), "role": text(a.params.get("ROLE"))} for a in attendees],
        })
    print(json.dumps({
        "method": text(calendar.get("METHOD")),
        "timezones": [text(tz.get("TZID")) for tz in calendar.walk("VTIMEZONE")],
        "events": events,
        "errors": errors,
    }))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

import type pg from 'pg';
import type { ConferenceEvent, EventFeed, EventLog, InvitationEvent } from '../../ports/events.js';
import type { Log } from '../../ports/log.js';
import { toParticipant } from './participant-store.js';
import { runInBackground } from '../../ports/background.js';

interface EventRow {
  seq: string;
  type: ConferenceEvent['type'];
  data: Record<string, unknown>;
  at: Date;
}

const date = (value: unknown) => (typeof value === 'string' ? new Date(value) : null);

/** The trigger stores rows as JSON (see migration 012); this turns them back into domain values. */
function toEvent(row: EventRow): ConferenceEvent {
  const base = { seq: Number(row.seq), at: row.at };
  const d = row.data;
  switch (row.type) {
    case 'participant':
      return { ...base, type: 'participant', participant: toParticipant({ ...d, joined_at: date(d.joined_at), left_at: date(d.left_at) } as never) };
    case 'conference':
      return {
        ...base,
        type: 'conference',
        conference: {
          locked: d.locked as boolean,
          status: d.status as never,
          audienceMuted: d.audience_muted as boolean,
          announceEntryExit: d.announce_entry_exit as boolean,
          activeSpeakerId: (d.active_speaker_id as string | null) ?? null,
        },
      };
    case 'recording':
      return { ...base, type: 'recording', recording: { id: d.id as string, recording: d.recording as boolean } };
    case 'invitation':
      return { ...base, type: 'invitation', invitation: d as unknown as InvitationEvent };
    default:
      return { ...base, type: 'session', session: d as { started?: boolean; ended?: boolean } };
  }
}

export function pgEventLog(pool: pg.Pool): EventLog {
  const latest = async (conferenceId: string) => {
    const { rows } = await pool.query<{ seq: string }>('select event_seq as seq from conferences where id = $1', [conferenceId]);
    return Number(rows[0]?.seq ?? 0);
  };
  return {
    latest,
    async after(conferenceId, seq, limit) {
      // One statement, so the conference's latest seq and its events come from the same snapshot: read
      // apart, an event committed in between looked like a gap (a purge) and cost the stream a snapshot.
      const { rows } = await pool.query<Partial<EventRow> & { latest: string }>(
        `select c.event_seq as latest, e.seq, e.type, e.data, e.at
           from conferences c
           left join lateral (select seq, type, data, at from conference_events
                               where conference_id = c.id and seq > $2 order by seq limit $3) e on true
          where c.id = $1
          order by e.seq`,
        [conferenceId, seq, limit],
      );
      const latestSeq = Number(rows[0]?.latest ?? 0);
      const events = rows.filter((row): row is EventRow & { latest: string } => row.seq !== null && row.seq !== undefined);
      // A gap right after `seq` means those events were purged, not that none happened.
      if (events.length > 0 && Number(events[0]!.seq) !== seq + 1) return 'gone';
      if (events.length === 0 && seq < latestSeq) return 'gone';
      return events.map(toEvent);
    },
    async purge(before) {
      return (await pool.query('delete from conference_events where at < $1', [before])).rowCount ?? 0;
    },
  };
}

/**
 * Wakes a conference's streams when its event_seq moved, looking for all subscribed conferences in one
 * query every `intervalMs` while anyone listens. Polling, not LISTEN/NOTIFY: NOTIFY serialises the
 * commits of every notifying transaction in the database, which a 300-caller join storm felt (p50 DTMF
 * to bridge 32 → 143 ms); a fifth of a second is well within what a panel needs, from any instance.
 */
export function pgEventFeed(pool: pg.Pool, log: Log, intervalMs = 200): EventFeed {
  const listeners = new Map<string, Set<() => void>>();
  const seen = new Map<string, number>();
  let busy = false;
  const poll = async () => {
    if (busy || listeners.size === 0) return;
    busy = true;
    try {
      const { rows } = await pool.query<{ id: string; seq: string }>('select id, event_seq as seq from conferences where id = any($1)', [[...listeners.keys()]]);
      for (const { id, seq } of rows) {
        if (Number(seq) === seen.get(id)) continue;
        seen.set(id, Number(seq));
        listeners.get(id)?.forEach((wake) => wake());
      }
    } catch (error) {
      log.warn({ err: error }, 'event feed could not look for new events');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => runInBackground(log, 'event feed poll', poll()), intervalMs);
  timer.unref();
  return {
    subscribe(conferenceId, wake) {
      const set = listeners.get(conferenceId) ?? new Set();
      set.add(wake);
      listeners.set(conferenceId, set);
      return () => {
        set.delete(wake);
        if (set.size > 0) return;
        listeners.delete(conferenceId);
        seen.delete(conferenceId);
      };
    },
    async close() {
      clearInterval(timer);
    },
  };
}

import pg from 'pg';
import type { ConferenceEvent, EventFeed, EventLog } from '../../ports/events.js';
import type { Log } from '../../ports/log.js';
import { toParticipant } from './participant-store.js';

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
      const { rows } = await pool.query<EventRow>(
        'select seq, type, data, at from conference_events where conference_id = $1 and seq > $2 order by seq limit $3',
        [conferenceId, seq, limit],
      );
      // A gap right after `seq` means those events were purged, not that none happened.
      if (rows.length > 0 && Number(rows[0]!.seq) !== seq + 1) return 'gone';
      if (rows.length === 0 && seq < (await latest(conferenceId))) return 'gone';
      return rows.map(toEvent);
    },
    async purge(before) {
      return (await pool.query('delete from conference_events where at < $1', [before])).rowCount ?? 0;
    },
  };
}

class Listeners {
  private readonly byConference = new Map<string, Set<() => void>>();

  subscribe(conferenceId: string, wake: () => void): () => void {
    const set = this.byConference.get(conferenceId) ?? new Set();
    set.add(wake);
    this.byConference.set(conferenceId, set);
    return () => {
      set.delete(wake);
      if (set.size === 0) this.byConference.delete(conferenceId);
    };
  }

  wake(conferenceId: string): void {
    this.byConference.get(conferenceId)?.forEach((wake) => wake());
  }

  wakeAll(): void {
    this.byConference.forEach((set) => set.forEach((wake) => wake()));
  }
}

/** Looks for new events on a timer: without LISTEN (the embedded database), and in API tests. */
export function pollingEventFeed(intervalMs = 500): EventFeed {
  const listeners = new Listeners();
  const timer = setInterval(() => listeners.wakeAll(), intervalMs).unref();
  return {
    subscribe: (conferenceId, wake) => listeners.subscribe(conferenceId, wake),
    async close() {
      clearInterval(timer);
    },
  };
}

/**
 * One LISTEN connection per process wakes every conference's streams at commit. If LISTEN is not
 * available (the embedded PGlite server) or the connection drops, a timer wakes them instead.
 */
export async function pgEventFeed(connectionString: string, log: Log): Promise<EventFeed> {
  const listeners = new Listeners();
  let timer: NodeJS.Timeout | undefined;
  const poll = (error: unknown, message: string) => {
    log.warn({ err: error }, message);
    timer ??= setInterval(() => listeners.wakeAll(), 500).unref();
  };
  const client = new pg.Client({ connectionString });
  client.on('error', (error) => poll(error, 'event feed connection lost; polling instead'));
  client.on('notification', (message) => listeners.wake(message.payload ?? ''));
  try {
    await client.connect();
    await client.query('listen parley_events');
  } catch (error) {
    poll(error, 'LISTEN is not available; the event feed polls instead');
  }
  return {
    subscribe: (conferenceId, wake) => listeners.subscribe(conferenceId, wake),
    async close() {
      clearInterval(timer);
      await client.end().catch(() => undefined);
    },
  };
}

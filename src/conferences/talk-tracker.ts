import { TalkMonitor, type TalkChanges, type TalkRules } from '../domain/talk-monitor.js';
import type { Log } from '../ports/log.js';
import type { ConferenceStore, ParticipantStore, TalkChange } from '../ports/store.js';
import { Serial } from './serial.js';

/** While anyone talks, noise marks are re-checked this often (they appear with time alone). */
const TICK_MS = 1000;
/**
 * Talk events of one conference are written together at most this often: a quiet conference's first
 * event goes at once, a room full of talkers costs a few statements a second, not one per event.
 */
export const TALK_WRITE_MS = 250;

interface TalkEvent {
  readonly participantId: string;
  readonly talking: boolean;
  readonly at: number;
  readonly done: (stored: { muted: boolean } | undefined) => void;
}

interface Batch {
  events: TalkEvent[];
  timer: NodeJS.Timeout | undefined;
  lastWrite: number;
}

/**
 * Talk state on the roster, and a TalkMonitor per conference whose decisions (active speaker, noise
 * marks) it writes to the store, where the roster and the event stream see them. Talk events are
 * gathered per conference and written in one statement (the latest word per line), then applied to
 * the monitor in the order they came. The monitors are derived state: after a restart they rebuild
 * from the next talk events.
 */
export class TalkTracker {
  private readonly monitors = new Map<string, TalkMonitor>();
  private readonly batches = new Map<string, Batch>();
  private readonly serial = new Serial();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      conferences: Pick<ConferenceStore, 'setActiveSpeaker'>;
      participants: Pick<ParticipantStore, 'setNoisy' | 'setTalking'>;
      log: Log;
      now: () => number;
      rules?: TalkRules;
    },
  ) {}

  /** Talk detection on a line; resolves once written, with whether the line is muted (undefined: not connected). */
  talk(conferenceId: string, participantId: string, talking: boolean): Promise<{ muted: boolean } | undefined> {
    return new Promise((done) => {
      const batch = this.batchOf(conferenceId);
      batch.events.push({ participantId, talking, at: this.deps.now(), done });
      this.scheduleWrite(conferenceId, batch);
    });
  }

  mute(conferenceId: string, participantId: string, muted: boolean): Promise<void> {
    return this.apply(conferenceId, (m, at) => m.mute(participantId, muted, at));
  }

  /** The line has left: its talk events not yet written are dropped, and it leaves the monitor after any write under way. */
  leave(conferenceId: string, participantId: string): Promise<void> {
    const batch = this.batches.get(conferenceId);
    if (batch) {
      for (const event of batch.events.filter((e) => e.participantId === participantId)) event.done(undefined);
      batch.events = batch.events.filter((e) => e.participantId !== participantId);
    }
    if (!this.monitors.has(conferenceId) && !this.batches.has(conferenceId)) return Promise.resolve();
    return this.apply(conferenceId, (m, at) => m.leave(participantId, at));
  }

  /** Writes every talk event gathered so far (before the process stops). */
  async drain(): Promise<void> {
    await Promise.all([...this.batches.keys()].map((conferenceId) => this.write(conferenceId)));
    await this.serial.idle();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private batchOf(conferenceId: string): Batch {
    let batch = this.batches.get(conferenceId);
    if (!batch) {
      batch = { events: [], timer: undefined, lastWrite: -Infinity };
      this.batches.set(conferenceId, batch);
    }
    return batch;
  }

  private scheduleWrite(conferenceId: string, batch: Batch): void {
    if (batch.timer) return;
    // At once (after the events of this turn of the loop) unless a write went out less than TALK_WRITE_MS ago.
    const wait = Math.max(0, batch.lastWrite + TALK_WRITE_MS - this.deps.now());
    batch.timer = setTimeout(() => {
      batch.timer = undefined;
      this.write(conferenceId).catch((error: unknown) => this.deps.log.warn({ err: error, conference: conferenceId }, 'talk state could not be written'));
    }, wait);
    batch.timer.unref();
  }

  private write(conferenceId: string): Promise<void> {
    return this.serial.run(conferenceId, async () => {
      const batch = this.batches.get(conferenceId);
      if (!batch || batch.events.length === 0) return;
      const events = batch.events;
      batch.events = [];
      clearTimeout(batch.timer);
      batch.timer = undefined;
      batch.lastWrite = this.deps.now();
      let stored: Map<string, boolean>;
      try {
        const latest = new Map(events.map((e) => [e.participantId, e.talking]));
        const changes: TalkChange[] = [...latest].map(([id, talking]) => ({ id, talking }));
        stored = new Map((await this.deps.participants.setTalking(changes)).map((row) => [row.id, row.muted]));
      } catch (error) {
        for (const event of events) event.done(undefined);
        throw error;
      } finally {
        if (batch.events.length > 0) this.scheduleWrite(conferenceId, batch);
      }
      const monitor = this.monitorOf(conferenceId);
      const speaker = monitor.activeSpeaker;
      const noisy = new Map<string, boolean>();
      for (const event of events) {
        const muted = stored.get(event.participantId);
        if (muted === undefined) continue;
        for (const [id, mark] of monitor.talk(event.participantId, event.talking, muted, event.at).noisy) noisy.set(id, mark);
      }
      // Only where the batch ends counts: a floor passed back and forth inside it is not written.
      await this.persist(conferenceId, monitor.activeSpeaker === speaker ? { noisy } : { activeSpeaker: monitor.activeSpeaker, noisy });
      this.settled(conferenceId, monitor);
      for (const event of events) {
        const muted = stored.get(event.participantId);
        event.done(muted === undefined ? undefined : { muted });
      }
    });
  }

  private apply(conferenceId: string, change: (monitor: TalkMonitor, at: number) => TalkChanges): Promise<void> {
    return this.serial.run(conferenceId, async () => {
      const monitor = this.monitorOf(conferenceId);
      await this.persist(conferenceId, change(monitor, this.deps.now()));
      this.settled(conferenceId, monitor);
    });
  }

  private monitorOf(conferenceId: string): TalkMonitor {
    let monitor = this.monitors.get(conferenceId);
    if (!monitor) {
      monitor = new TalkMonitor(this.deps.rules);
      this.monitors.set(conferenceId, monitor);
    }
    return monitor;
  }

  private settled(conferenceId: string, monitor: TalkMonitor): void {
    if (!monitor.busy && monitor.activeSpeaker === null) {
      this.monitors.delete(conferenceId);
      // A quiet conference's next talk event is written at once.
      const batch = this.batches.get(conferenceId);
      if (batch && batch.events.length === 0 && !batch.timer) this.batches.delete(conferenceId);
    }
    this.schedule();
  }

  private async persist(conferenceId: string, changes: TalkChanges): Promise<void> {
    for (const [participantId, noisy] of changes.noisy) {
      await this.deps.participants.setNoisy(participantId, noisy);
      if (noisy) this.deps.log.info({ conference: conferenceId, participant: participantId }, 'line marked as a noise source');
    }
    if (changes.activeSpeaker !== undefined) await this.deps.conferences.setActiveSpeaker(conferenceId, changes.activeSpeaker);
  }

  private schedule(): void {
    const busy = [...this.monitors.values()].some((m) => m.busy);
    if (busy && !this.timer) {
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.timer.unref();
    } else if (!busy) {
      this.stop();
    }
  }

  private tick(): void {
    for (const conferenceId of this.monitors.keys()) {
      this.apply(conferenceId, (m, at) => m.tick(at)).catch((error: unknown) =>
        this.deps.log.warn({ err: error, conference: conferenceId }, 'talk tracking failed'),
      );
    }
  }
}

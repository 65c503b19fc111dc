import { TalkMonitor, type TalkChanges, type TalkRules } from '../domain/talk-monitor.js';
import type { Log } from '../ports/log.js';
import type { ConferenceStore, ParticipantStore } from '../ports/store.js';
import { Serial } from './serial.js';

/** While anyone talks, noise marks are re-checked this often (they appear with time alone). */
const TICK_MS = 1000;

/**
 * Runs a TalkMonitor per conference and writes what it decides (active speaker, noise marks) to the
 * store, where the roster and the event stream see it. The monitors are derived state: after a restart
 * they rebuild from the next talk events.
 */
export class TalkTracker {
  private readonly monitors = new Map<string, TalkMonitor>();
  private readonly serial = new Serial();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      conferences: Pick<ConferenceStore, 'setActiveSpeaker'>;
      participants: Pick<ParticipantStore, 'setNoisy'>;
      log: Log;
      now: () => number;
      rules?: TalkRules;
    },
  ) {}

  talk(conferenceId: string, participantId: string, talking: boolean, muted: boolean): Promise<void> {
    return this.apply(conferenceId, (m, at) => m.talk(participantId, talking, muted, at));
  }

  mute(conferenceId: string, participantId: string, muted: boolean): Promise<void> {
    return this.apply(conferenceId, (m, at) => m.mute(participantId, muted, at));
  }

  leave(conferenceId: string, participantId: string): Promise<void> {
    if (!this.monitors.has(conferenceId)) return Promise.resolve();
    return this.apply(conferenceId, (m, at) => m.leave(participantId, at));
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private apply(conferenceId: string, change: (monitor: TalkMonitor, at: number) => TalkChanges): Promise<void> {
    return this.serial.run(conferenceId, async () => {
      let monitor = this.monitors.get(conferenceId);
      if (!monitor) {
        monitor = new TalkMonitor(this.deps.rules);
        this.monitors.set(conferenceId, monitor);
      }
      await this.persist(conferenceId, change(monitor, this.deps.now()));
      if (!monitor.busy && monitor.activeSpeaker === null) this.monitors.delete(conferenceId);
      this.schedule();
    });
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

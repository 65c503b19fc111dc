import { DomainError } from '../domain/errors.js';
import type { Participant } from '../domain/participant.js';
import { inBridge } from '../domain/roster.js';
import type { Clock } from '../ports/clock.js';
import type { Log } from '../ports/log.js';
import { RecordingRunning, type Recording, type RecordingStore } from '../ports/recordings.js';
import type { ParticipantStore } from '../ports/store.js';
import type { Call, Telephony } from '../ports/telephony.js';
import { PROMPTS } from '../prompts/catalog.js';
import { tellEveryone } from './tell-everyone.js';
import { runInBackground } from '../ports/background.js';

export interface RecorderDeps {
  readonly recordings: Pick<RecordingStore, 'insert' | 'running' | 'finish'>;
  readonly participants: Pick<ParticipantStore, 'list'>;
  readonly telephony: Telephony;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * Conference recording: the bridge's mix as an Asterisk stored recording. Everyone is told when it starts
 * and stops, and everyone who joins while it runs is told on arrival. The row in PostgreSQL is the
 * truth about whether a recording runs (one at a time per conference).
 */
export class Recorder {
  constructor(private readonly deps: RecorderDeps) {}

  async start(conferenceId: string, createdBy: string | null): Promise<Recording> {
    const present = await this.present(conferenceId);
    if (present.length === 0) throw new DomainError('conference-empty', 'nobody is in the conference: there is nothing to record');
    const now = this.deps.clock.now();
    let recording: Recording;
    try {
      recording = await this.deps.recordings.insert({ conferenceId, name: `parley-conf-${conferenceId}-${now.getTime()}`, startedAt: now, createdBy });
    } catch (error) {
      if (error instanceof RecordingRunning) throw new DomainError('recording-running', 'this conference is being recorded already');
      throw error;
    }
    try {
      await this.deps.telephony.bridge(conferenceId).record(recording.name);
    } catch (error) {
      await this.deps.recordings.finish(recording.id, this.deps.clock.now());
      throw error;
    }
    this.deps.log.info({ conference: conferenceId, recording: recording.id }, 'recording started');
    runInBackground(this.deps.log, 'announce recording', this.tell(conferenceId, present, PROMPTS.recordingStarted), { conference: conferenceId });
    return recording;
  }

  async stop(conferenceId: string): Promise<Recording> {
    const running = await this.deps.recordings.running(conferenceId);
    if (!running) throw new DomainError('recording-not-running', 'this conference is not being recorded');
    await this.deps.telephony.bridge(conferenceId).stopRecording(running.name);
    const finished = (await this.deps.recordings.finish(running.id, this.deps.clock.now())) ?? running;
    this.deps.log.info({ conference: conferenceId, recording: running.id }, 'recording stopped');
    runInBackground(this.deps.log, 'announce recording', this.tell(conferenceId, await this.present(conferenceId), PROMPTS.recordingStopped), { conference: conferenceId });
    return finished;
  }

  /** A caller who joins while the conference is being recorded (their admission says so) is told, privately. */
  joined(call: Call): void {
    call.play([PROMPTS.recordingNotice]);
  }

  /** The bridge went away with the last caller (Asterisk ends its recording): the row ends too. */
  async emptied(conferenceId: string): Promise<void> {
    const running = await this.deps.recordings.running(conferenceId);
    if (running) await this.deps.recordings.finish(running.id, this.deps.clock.now());
  }

  private async present(conferenceId: string): Promise<Participant[]> {
    return (await this.deps.participants.list(conferenceId)).filter((p) => inBridge(p.state));
  }

  private async tell(conferenceId: string, listeners: Participant[], prompt: string): Promise<void> {
    try {
      await tellEveryone(this.deps.telephony, conferenceId, listeners, [prompt]);
    } catch (error) {
      this.deps.log.warn({ err: error, conference: conferenceId }, 'could not tell the conference about its recording');
    }
  }
}

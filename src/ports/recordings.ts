/** A conference recording: an Asterisk stored recording, `<name>.<format>` in Asterisk's recording directory. */
export interface Recording {
  readonly id: string;
  readonly conferenceId: string;
  readonly name: string;
  readonly format: string;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  /** When its file was deleted for retention; the row stays for the audit trail. */
  readonly purgedAt: Date | null;
  readonly createdBy: string | null;
}

export interface NewRecording {
  readonly conferenceId: string;
  readonly name: string;
  readonly format?: string;
  readonly startedAt: Date;
  readonly createdBy?: string | null;
}

/** A caller's recorded name, as the participant row keeps it: the prompt `recording:<name>`. */
export interface NameRecording {
  readonly participantId: string;
  readonly prompt: string;
}

export interface RecordingStore {
  /** Throws RecordingRunning when the conference is being recorded already. */
  insert(recording: NewRecording): Promise<Recording>;
  get(id: string): Promise<Recording | undefined>;
  /** The conference's recording still running, if any. */
  running(conferenceId: string): Promise<Recording | undefined>;
  /** The conference's recordings, oldest first. */
  list(conferenceId: string): Promise<Recording[]>;
  /** Sets the end once; undefined when there is no such recording. */
  finish(id: string, endedAt: Date): Promise<Recording | undefined>;
  /** Recordings that ended before `before` and whose files have not been purged, oldest first. */
  endedBefore(before: Date): Promise<Recording[]>;
  markPurged(id: string, at: Date): Promise<void>;
  /** The recorded names of participants who left before `before`. */
  nameRecordingsLeftBefore(before: Date): Promise<NameRecording[]>;
  /** Clears a participant's recorded name, unless it was replaced meanwhile. */
  forgetNameRecording(participantId: string, prompt: string): Promise<void>;
}

/** A second recording of a conference already being recorded. */
export class RecordingRunning extends Error {
  constructor() {
    super('the conference is being recorded already');
    this.name = 'RecordingRunning';
  }
}

/** A recording name that could reach outside the recording directory (a `/`, a `..`, ...). */
export class UnsafeRecordingName extends Error {
  constructor(readonly recordingName: string) {
    super('unsafe recording name');
    this.name = 'UnsafeRecordingName';
  }
}

/** The files Asterisk wrote for stored recordings. */
export interface RecordingFiles {
  /**
   * Deletes `<name>.<format>` (format: wav, the one parley records in, unless given); false when there
   * was no such file. Throws UnsafeRecordingName, before touching the filesystem, for an unsafe name.
   */
  remove(name: string, format?: string): Promise<boolean>;
  /** The file's size in bytes; undefined when it is not there. */
  size(name: string, format?: string): Promise<number | undefined>;
  /** The file to download; undefined when it is not there (purged, or never written). */
  open(name: string, format?: string): Promise<NodeJS.ReadableStream | undefined>;
}

import type { DoorRefusal } from '../domain/participant.js';

/** One gathering of a conference, for the call detail records. */
export interface ConferenceSession {
  readonly id: string;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly peakParticipants: number;
  readonly endedBy: 'last-left' | 'leader' | null;
}

export interface SessionStore {
  list(conferenceId: string): Promise<ConferenceSession[]>;
}

/** Callers turned away before the roster (DoorRefusal), for the leaders' call records. */
export interface RefusalLog {
  record(refusal: DoorRefusal): Promise<void>;
  /** The latest first, at most `limit`. */
  list(conferenceId: string, limit: number): Promise<DoorRefusal[]>;
}

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

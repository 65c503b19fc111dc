import type { Conference, ReportedStatus } from '../domain/conference.js';
import type { Participant } from '../domain/participant.js';

/**
 * What leaders change live, as the event stream carries it. `cancelled`: ended by its organiser's cancel
 * (the stored status says `ended`; see reportedStatus).
 */
export type LiveState = Pick<Conference, 'locked' | 'audienceMuted' | 'announceEntryExit' | 'activeSpeakerId'> & { readonly status: ReportedStatus };

/** One change in a conference, numbered in the order it was committed (seq is per conference). */
export type ConferenceEvent = { readonly seq: number; readonly at: Date } & (
  | { readonly type: 'participant'; readonly participant: Participant }
  | { readonly type: 'conference'; readonly conference: LiveState }
  | { readonly type: 'session'; readonly session: { started?: boolean; ended?: boolean } }
  | { readonly type: 'recording'; readonly recording: { id: string; recording: boolean } }
  | { readonly type: 'invitation'; readonly invitation: InvitationEvent }
);

/** An add-audio invitation as the stream carries it: who, and how it stands (no number, no e-mail). */
export interface InvitationEvent {
  readonly id: string;
  readonly conversationId: string | null;
  readonly inviteeUserId: string | null;
  readonly displayName: string;
  readonly guest: boolean;
  readonly state: string;
  readonly participantId: string | null;
  readonly expiresAt: string;
}

export interface EventLog {
  /** The last seq written for the conference (0: none yet). */
  latest(conferenceId: string): Promise<number>;
  /** Events after `seq`, oldest first; 'gone' when some of them were purged (the client needs a snapshot). */
  after(conferenceId: string, seq: number, limit: number): Promise<ConferenceEvent[] | 'gone'>;
  /** Deletes events older than `before`; returns how many. */
  purge(before: Date): Promise<number>;
}

/** Wakes listeners when a conference has new events (from any parley instance). */
export interface EventFeed {
  subscribe(conferenceId: string, wake: () => void): () => void;
  close(): Promise<void>;
}

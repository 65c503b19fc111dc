import type { AudioInvitation, InvitationState } from '../domain/audio-invitation.js';

/** What an invitation is made with: the row's fields, before any answer or call. */
export type NewInvitation = Pick<AudioInvitation, 'id' | 'conferenceId' | 'conversationId' | 'inviterUserId' | 'inviteeUserId' | 'email' | 'displayName' | 'expiresAt'> & {
  readonly state: Extract<InvitationState, 'pending' | 'sent'>;
};

export interface AudioInvitationStore {
  /** A directory user with an invitation to this conference still pending keeps that one (returned). */
  insert(invitation: NewInvitation): Promise<AudioInvitation>;
  get(id: string): Promise<AudioInvitation | undefined>;
  forConference(conferenceId: string): Promise<AudioInvitation[]>;
  /** The user's invitations still waiting for an answer, newest first. */
  pendingFor(userId: string, now: Date): Promise<AudioInvitation[]>;
  /** pending → `state`, only while pending and unexpired at `now`; undefined when it was not. */
  answer(id: string, state: InvitationState, phone: string | null, now: Date): Promise<AudioInvitation | undefined>;
  /** Placing the call failed after the answer was taken: the invitation can be answered again. */
  reopen(id: string): Promise<void>;
  linkCall(id: string, participantId: string): Promise<AudioInvitation | undefined>;
  /** Every pending invitation due by `now` becomes `expired`; returns them. */
  expire(now: Date): Promise<AudioInvitation[]>;
  /** The conference ended: its pending invitations are `cancelled`. */
  cancelPending(conferenceId: string): Promise<number>;
  /** When the next pending invitation is due, if any. */
  nextExpiry(): Promise<Date | undefined>;
}

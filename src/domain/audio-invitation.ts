import { DomainError } from './errors.js';
import type { PhoneKind } from './user.js';

/**
 * An invitation to an audio conference ("add audio to a conversation"). A directory user's stays
 * `pending` until they accept (parley calls them), decline (no phone rings), redirect (parley calls
 * the number they give), or nobody answers it in time (`expired`); a guest outside the directory
 * gets a join link and dial-in details (`sent`). A leader ending the conference cancels the pending.
 */
export type InvitationState = 'pending' | 'accepted' | 'declined' | 'redirected' | 'expired' | 'cancelled' | 'sent';

export interface AudioInvitation {
  readonly id: string;
  /** The meeting (conference) it invites to. */
  readonly conferenceId: string;
  /** The IM/web side's conversation, echoed back so it can match events to its window. */
  readonly conversationId: string | null;
  readonly inviterUserId: string | null;
  readonly inviteeUserId: string | null;
  /** Guests only. */
  readonly email: string | null;
  readonly displayName: string;
  readonly state: InvitationState;
  /** The number parley called for it. */
  readonly phone: string | null;
  /** That call's roster row. */
  readonly participantId: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly respondedAt: Date | null;
}

/** Which number to call: one of the person's published numbers, or one they type. */
export type NumberChoice = { readonly phone: string } | { readonly published: PhoneKind };

export type InvitationAnswer = { readonly answer: 'accept'; readonly number?: NumberChoice } | { readonly answer: 'decline' } | { readonly answer: 'redirect'; readonly phone: string };

/** Whether the invitation can still be answered at `now`; throws the reason when it cannot. */
export function requireAnswerable(invitation: AudioInvitation, now: Date): void {
  if (invitation.state === 'pending' && invitation.expiresAt > now) return;
  if (invitation.state === 'pending' || invitation.state === 'expired') {
    throw new DomainError('invitation-expired', 'this invitation was not answered in time; ask to be invited again');
  }
  if (invitation.state === 'cancelled') throw new DomainError('invitation-expired', 'this invitation was withdrawn: the conference ended');
  throw new DomainError('invitation-answered', `this invitation was already answered (${invitation.state})`);
}

/** The state an answer leads to. */
export function stateAfter(answer: InvitationAnswer['answer']): InvitationState {
  return answer === 'accept' ? 'accepted' : answer === 'decline' ? 'declined' : 'redirected';
}

/**
 * The number to call for an accept: the one chosen, else the first published one in the order a
 * person is most likely to answer (mobile, work, home, other).
 */
export function numberToCall(choice: NumberChoice | undefined, published: Partial<Record<PhoneKind, string>>): string {
  if (choice && 'phone' in choice) return choice.phone;
  const kinds: readonly PhoneKind[] = choice ? [choice.published] : ['mobile', 'work', 'home', 'other'];
  for (const kind of kinds) {
    const number = published[kind];
    if (number) return number;
  }
  throw new DomainError('no-published-number', choice ? `no ${choice.published} number is published` : 'no published phone number; give one');
}

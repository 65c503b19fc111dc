import { randomUUID } from 'node:crypto';
import { numberToCall, requireAnswerable, stateAfter, type AudioInvitation, type InvitationAnswer, type NumberChoice } from '../domain/audio-invitation.js';
import type { Conference } from '../domain/conference.js';
import { DomainError } from '../domain/errors.js';
import type { Participant } from '../domain/participant.js';
import { canActFor, type Principal, type User } from '../domain/user.js';
import type { LeaderControl } from '../conferences/leader-control.js';
import type { Clock } from '../ports/clock.js';
import type { UserStore } from '../ports/directory-store.js';
import type { AudioInvitationStore } from '../ports/audio-invitation-store.js';
import type { Log } from '../ports/log.js';
import type { ConferenceStore } from '../ports/store.js';
import type { Meeting, Meetings } from '../meetings/meetings.js';
import type { DialOut } from './dial-out.js';
import { runInBackground } from '../ports/background.js';

/** Someone in the conversation: a directory user, a guest by e-mail, or a phone number to call. */
export type Person = { readonly userId: string } | { readonly email: string; readonly displayName?: string } | { readonly phone: string; readonly displayName?: string };

export interface AddAudioRequest {
  readonly conversationId?: string;
  readonly subject?: string;
  /** Who asks, when the IM side calls with the service token on its user's behalf. */
  readonly requesterUserId?: string;
  /** Where parley calls the requester: one of their published numbers, or a new one. */
  readonly callMe?: NumberChoice;
  readonly participants: readonly Person[];
}

export interface Invited {
  readonly invitations: AudioInvitation[];
  /** Roster rows of the phone numbers parley is calling (they hear the invitation and press 1). */
  readonly called: Participant[];
}

export interface AudioInvitationsDeps {
  readonly meetings: Pick<Meetings, 'create' | 'withDialIn'>;
  readonly dialOut: Pick<DialOut, 'check' | 'callBack' | 'invite'>;
  readonly control: Pick<LeaderControl, 'requireLeader' | 'access' | 'record'>;
  readonly conferences: Pick<ConferenceStore, 'get'>;
  readonly users: Pick<UserStore, 'get' | 'credentials'>;
  readonly store: AudioInvitationStore;
  readonly clock: Clock;
  readonly log: Log;
  /** How long an invitation waits for an answer. */
  readonly ttlMs: number;
}

type Resolved = { kind: 'user'; user: User } | { kind: 'guest'; email: string; displayName: string } | { kind: 'phone'; phone: string; displayName?: string };

/**
 * The seed's "add audio to a conversation": the IM/web side turns a conversation into an unscheduled
 * audio conference. parley calls the requester, and every other person gets an invitation they
 * accept (parley calls the number they choose), decline (no phone rings) or redirect (parley calls
 * the number they give); guests get a join link; phone numbers are called at once. All in parallel:
 * the seed orders nothing between invitees. An invitation nobody answers expires by itself.
 */
export class AudioInvitations {
  private timer: NodeJS.Timeout | undefined;
  private wakeAt: number | undefined;
  private stopped = false;

  constructor(private readonly deps: AudioInvitationsDeps) {}

  async addAudio(principal: Principal, request: AddAudioRequest): Promise<{ meeting: Meeting; requester: Participant } & Invited> {
    const requester = await this.requester(principal, request.requesterUserId);
    const asRequester: Principal = { kind: 'user', user: requester };
    const people = await this.resolve(request.participants, requester.id);
    // Every refusal comes before the conference exists: nothing is half made.
    const checked = await this.deps.dialOut.check(asRequester, undefined, numberToCall(request.callMe, requester.phones));
    for (const person of people) if (person.kind === 'phone') await this.deps.dialOut.check(asRequester, undefined, person.phone);

    const meeting = await this.deps.meetings.create(asRequester, {
      subject: request.subject?.trim() || `Conversation with ${requester.displayName}`,
      accessType: 'anonymous',
      passcode: true,
      leaders: [requester.email],
      joinBeforeLeader: true,
    });
    const conference = meeting.conference;
    const called = await this.deps.dialOut.callBack(asRequester, conference, checked, { displayName: requester.displayName, userId: requester.id, role: 'leader' });
    const invited = await this.send(asRequester, conference, people, request.conversationId ?? null);
    return { meeting, requester: called, ...invited };
  }

  /** A leader invites more people to a conference in progress. */
  async invite(principal: Principal, conferenceId: string, people: readonly Person[], conversationId?: string): Promise<Invited> {
    const conference = await this.deps.control.requireLeader(principal, conferenceId);
    const resolved = await this.resolve(people, principal.kind === 'user' ? principal.user.id : undefined);
    for (const person of resolved) if (person.kind === 'phone') await this.deps.dialOut.check(principal, conference, person.phone);
    return this.send(principal, conference, resolved, conversationId ?? null);
  }

  /** Everyone invited to the conference and how each invitation stands (leaders and participants). */
  async list(principal: Principal, conferenceId: string): Promise<AudioInvitation[]> {
    await this.deps.control.access(principal, conferenceId);
    return this.deps.store.forConference(conferenceId);
  }

  /** The invitations waiting for this user's answer. */
  async pendingFor(principal: Principal, userId?: string): Promise<AudioInvitation[]> {
    const id = userId ?? (principal.kind === 'user' ? principal.user.id : undefined);
    if (!id) throw new DomainError('validation-failed', 'say whose invitations (userId)');
    if (!canActFor(principal, id)) throw new DomainError('forbidden', 'you may read only your own invitations');
    return this.deps.store.pendingFor(id, this.deps.clock.now());
  }

  async get(principal: Principal, id: string): Promise<AudioInvitation> {
    const invitation = await this.deps.store.get(id);
    if (!invitation) throw new DomainError('invitation-not-found', 'no such invitation');
    if (invitation.inviteeUserId && canActFor(principal, invitation.inviteeUserId)) return invitation;
    await this.deps.control.access(principal, invitation.conferenceId);
    return invitation;
  }

  /** The invitee (or the IM side for them) accepts, declines or redirects. */
  async answer(principal: Principal, id: string, answer: InvitationAnswer): Promise<AudioInvitation> {
    const invitation = await this.deps.store.get(id);
    if (!invitation) throw new DomainError('invitation-not-found', 'no such invitation');
    if (!invitation.inviteeUserId || !canActFor(principal, invitation.inviteeUserId)) {
      throw new DomainError('forbidden', 'only the person invited may answer this invitation');
    }
    const now = this.deps.clock.now();
    requireAnswerable(invitation, now);
    if (answer.answer === 'decline') return this.take(invitation, 'decline', null);

    const invitee = await this.deps.users.get(invitation.inviteeUserId);
    const conference = await this.deps.conferences.get(invitation.conferenceId);
    if (!invitee || !conference) throw new DomainError('invitation-not-found', 'no such invitation');
    const asInvitee: Principal = { kind: 'user', user: invitee };
    const phone = answer.answer === 'redirect' ? answer.phone : numberToCall(answer.number, invitee.phones);
    const checked = await this.deps.dialOut.check(asInvitee, conference, phone);
    const taken = await this.take(invitation, answer.answer, checked.e164);
    const inviter = invitation.inviterUserId ? await this.deps.users.get(invitation.inviterUserId) : undefined;
    try {
      const called = await this.deps.dialOut.callBack(asInvitee, conference, checked, {
        displayName: invitee.displayName,
        userId: invitee.id,
        ...(inviter ? { inviterName: inviter.displayName } : {}),
      });
      return (await this.deps.store.linkCall(id, called.id)) ?? taken;
    } catch (error) {
      await this.deps.store.reopen(id);
      throw error;
    }
  }

  /**
   * What the join link shows a guest (or anyone holding an invitation's ID, an unguessable UUID): the
   * conference's dial-in numbers, ID and passcode. Withdrawn invitations and ended conferences show nothing.
   */
  async joinDetails(id: string): Promise<Meeting> {
    const invitation = await this.deps.store.get(id);
    const conference = invitation && invitation.state !== 'cancelled' ? await this.deps.conferences.get(invitation.conferenceId) : undefined;
    if (!conference || conference.status === 'ended') throw new DomainError('invitation-not-found', 'this link is no longer valid');
    return this.deps.meetings.withDialIn(conference);
  }

  /** A leader ended the conference for everyone: invitations still open are withdrawn. */
  async conferenceEnded(conferenceId: string): Promise<void> {
    await this.deps.store.cancelPending(conferenceId);
  }

  /** Expires what is due now and whenever the next invitation falls due (also after a restart). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.expireDue();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async take(invitation: AudioInvitation, answer: InvitationAnswer['answer'], phone: string | null): Promise<AudioInvitation> {
    const taken = await this.deps.store.answer(invitation.id, stateAfter(answer), phone, this.deps.clock.now());
    if (taken) return taken;
    // Answered, expired or withdrawn in the meantime: say which.
    requireAnswerable((await this.deps.store.get(invitation.id)) ?? invitation, this.deps.clock.now());
    throw new DomainError('invitation-answered', 'this invitation was already answered');
  }

  private async send(principal: Principal, conference: Conference, people: readonly Resolved[], conversationId: string | null): Promise<Invited> {
    const inviterUserId = principal.kind === 'user' ? principal.user.id : null;
    const expiresAt = new Date(this.deps.clock.now().getTime() + this.deps.ttlMs);
    const invitations: AudioInvitation[] = [];
    const called: Participant[] = [];
    for (const person of people) {
      if (person.kind === 'phone') {
        called.push(await this.deps.dialOut.invite(principal, conference.id, { phone: person.phone, ...(person.displayName ? { displayName: person.displayName } : {}) }));
        continue;
      }
      const invitation = await this.deps.store.insert({
        id: randomUUID(),
        conferenceId: conference.id,
        conversationId,
        inviterUserId,
        inviteeUserId: person.kind === 'user' ? person.user.id : null,
        email: person.kind === 'guest' ? person.email : null,
        displayName: person.kind === 'user' ? person.user.displayName : person.displayName,
        state: person.kind === 'user' ? 'pending' : 'sent',
        expiresAt,
      });
      invitations.push(invitation);
      await this.deps.control.record(principal, conference.id, 'invite', null, { invitation: invitation.id });
    }
    this.arm(expiresAt);
    return { invitations, called };
  }

  private async requester(principal: Principal, requesterUserId: string | undefined): Promise<User> {
    if (principal.kind === 'user' && (!requesterUserId || requesterUserId === principal.user.id)) return principal.user;
    if (!requesterUserId) throw new DomainError('validation-failed', 'say on whose behalf (requesterUserId)');
    if (!canActFor(principal, requesterUserId)) throw new DomainError('forbidden', 'you may add audio only for yourself');
    const user = await this.deps.users.get(requesterUserId);
    if (!user) throw new DomainError('user-not-found', 'no such user');
    return user;
  }

  /** Directory users by ID or e-mail; anyone else by e-mail is a guest. The requester is not invited. */
  private async resolve(people: readonly Person[], requesterId: string | undefined): Promise<Resolved[]> {
    const resolved: Resolved[] = [];
    for (const person of people) {
      if ('userId' in person) {
        const user = await this.deps.users.get(person.userId);
        if (!user) throw new DomainError('user-not-found', `no user ${person.userId}`);
        if (user.id !== requesterId && !resolved.some((r) => r.kind === 'user' && r.user.id === user.id)) resolved.push({ kind: 'user', user });
      } else if ('email' in person) {
        const user = (await this.deps.users.credentials(person.email))?.user;
        if (user) {
          if (user.id !== requesterId && !resolved.some((r) => r.kind === 'user' && r.user.id === user.id)) resolved.push({ kind: 'user', user });
        } else resolved.push({ kind: 'guest', email: person.email, displayName: person.displayName?.trim() || person.email });
      } else resolved.push({ kind: 'phone', phone: person.phone, ...(person.displayName ? { displayName: person.displayName } : {}) });
    }
    return resolved;
  }

  private arm(at: Date): void {
    if (this.stopped) return;
    if (this.wakeAt !== undefined && this.wakeAt <= at.getTime()) return;
    clearTimeout(this.timer);
    this.wakeAt = at.getTime();
    // Timers past ~24 days overflow; a shorter nap is harmless.
    const delay = Math.min(Math.max(at.getTime() - this.deps.clock.now().getTime(), 0) + 50, 86_400_000);
    this.timer = setTimeout(() => runInBackground(this.deps.log, 'expire invitations', this.expireDue()), delay);
  }

  private async expireDue(): Promise<void> {
    this.timer = undefined;
    this.wakeAt = undefined;
    try {
      const expired = await this.deps.store.expire(this.deps.clock.now());
      if (expired.length > 0) this.deps.log.info({ invitations: expired.map((i) => i.id) }, 'invitations expired unanswered');
      const next = await this.deps.store.nextExpiry();
      if (next) this.arm(next);
    } catch (error) {
      this.deps.log.warn({ err: error }, 'could not expire invitations; trying again shortly');
      this.arm(new Date(this.deps.clock.now().getTime() + 5000));
    }
  }
}

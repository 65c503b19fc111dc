import {
  CONFERENCE_ID_LENGTH,
  PASSCODE_LENGTH,
  isValidPasscode,
  type AccessType,
  type AnnounceWith,
  type Conference,
} from '../domain/conference.js';
import { DomainError } from '../domain/errors.js';
import { newMeetingId, newNumericId, type RandomBytes } from '../domain/ids.js';
import { isAdmin, type Principal } from '../domain/user.js';
import type { Clock } from '../ports/clock.js';
import type { UserStore } from '../ports/directory-store.js';
import type { AccessNumber, ConferenceStore, MeetingChanges } from '../ports/store.js';
import type { DialInNumbers } from '../directory/dial-in-numbers.js';
import { checkRecurrence, overlaps, windowBounds, type Schedule } from './join-window.js';

export interface MeetingSettings {
  readonly subject?: string;
  readonly accessType?: AccessType;
  /** true: generate one; a string: these digits; null: none. */
  readonly passcode?: true | string | null;
  readonly startsAt?: Date | null;
  readonly endsAt?: Date | null;
  readonly timeZone?: string | null;
  readonly recurrence?: string | null;
  readonly invitees?: readonly string[];
  readonly leaders?: readonly string[];
  readonly joinBeforeLeader?: boolean;
  readonly lobbyBypass?: boolean;
  readonly announceEntryExit?: boolean;
  readonly announceWith?: AnnounceWith;
  readonly audienceMayUnmute?: boolean;
  readonly maxParticipants?: number;
}

export interface MeetingRequest extends MeetingSettings {
  readonly subject: string;
  /** "Use my assigned conference ID" (personal) or "use a new conference ID" (new, the default). */
  readonly conferenceId?: 'new' | 'personal';
}

export interface Meeting {
  readonly conference: Conference;
  readonly dialIn: readonly AccessNumber[];
  readonly organizer?: { readonly displayName: string; readonly email: string } | undefined;
}

export interface MeetingsDeps {
  readonly conferences: ConferenceStore;
  readonly users: Pick<UserStore, 'get' | 'isConferenceIdInUse'>;
  readonly dialInNumbers: Pick<DialInNumbers, 'forRegion'>;
  readonly random: RandomBytes;
  readonly clock?: Clock;
  /** Policy: anonymous meetings get a passcode unless the organiser asks for none (`passcode: null`). */
  readonly passcodeForAnonymous?: () => Promise<boolean>;
}

const ID_ATTEMPTS = 20;
const DEFAULT_LENGTH_MS = 60 * 60_000;

/** Schedules conferences the way a calendar client does: one call returns everything an invitation needs. */
export class Meetings {
  private readonly clock: Clock;

  constructor(private readonly deps: MeetingsDeps) {
    this.clock = deps.clock ?? { now: () => new Date() };
  }

  async create(principal: Principal, request: MeetingRequest): Promise<Meeting> {
    const settings = this.settled(request, undefined, await this.passcodePolicy());
    const organizerId = principal.kind === 'user' ? principal.user.id : null;
    if (request.conferenceId === 'personal') {
      if (principal.kind !== 'user') throw new DomainError('validation-failed', 'only a directory user has a personal conference ID');
      const conferenceId = principal.user.assignedConferenceId;
      await this.refuseOverlap(conferenceId, settings, undefined);
      const conference = await this.deps.conferences.insert({ id: newMeetingId(this.deps.random), conferenceId, organizerId, usesPersonalId: true, ...settings });
      if (!conference) throw new DomainError('conference-id-exhausted', 'could not store the meeting; try again');
      return this.withDialIn(conference);
    }
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const conferenceId = newNumericId(this.deps.random, CONFERENCE_ID_LENGTH);
      // Someone's personal conference ID is theirs even while none of their meetings is live.
      if (await this.deps.users.isConferenceIdInUse(conferenceId)) continue;
      const conference = await this.deps.conferences.insert({ id: newMeetingId(this.deps.random), conferenceId, organizerId, ...settings });
      if (conference) return this.withDialIn(conference);
    }
    throw new DomainError('conference-id-exhausted', 'no free conference ID found; try again');
  }

  /** Changes what invitees see; the invitation's SEQUENCE goes up by one. */
  async update(principal: Principal, id: string, changes: MeetingSettings): Promise<Meeting> {
    const current = await this.authorize(principal, id);
    if (current.status === 'ended') throw new DomainError('conference-cancelled', 'this meeting was cancelled or has ended');
    // A meeting that becomes anonymous gets the policy's passcode unless the change says otherwise.
    const becomesAnonymous = current.accessType !== 'anonymous' && changes.accessType === 'anonymous' && changes.passcode === undefined;
    const request = becomesAnonymous ? { ...current, ...changes, passcode: undefined } : { ...current, ...changes };
    const settings = this.settled(request, current, await this.passcodePolicy());
    if (current.usesPersonalId) await this.refuseOverlap(current.conferenceId, settings, current.id);
    const updated = await this.deps.conferences.update(id, settings);
    if (!updated) throw new DomainError('conference-cancelled', 'this meeting was cancelled meanwhile');
    return this.withDialIn(updated);
  }

  /** No one can join any more; the invitation becomes a METHOD:CANCEL. */
  async cancel(principal: Principal, id: string): Promise<Meeting> {
    await this.authorize(principal, id);
    const cancelled = await this.deps.conferences.cancel(id, this.clock.now());
    if (!cancelled) throw new DomainError('conference-cancelled', 'this meeting was already cancelled or has ended');
    return this.withDialIn(cancelled);
  }

  /** The meeting with its dial-in numbers, if this principal may see it. */
  async get(principal: Principal, id: string): Promise<Meeting> {
    return this.withDialIn(await this.authorize(principal, id));
  }

  /** The conference if this principal may act on it: administrators all, organisers their own; else not found. */
  async authorize(principal: Principal, id: string): Promise<Conference> {
    const conference = await this.deps.conferences.get(id);
    const visible = conference && (isAdmin(principal) || (principal.kind === 'user' && conference.organizerId === principal.user.id));
    if (!visible) throw new DomainError('conference-not-found', `no conference ${id}`);
    return conference;
  }

  /** Validates the whole meeting as it would be stored, and derives its join window. */
  private async passcodePolicy(): Promise<boolean> {
    return (await this.deps.passcodeForAnonymous?.()) ?? false;
  }

  private settled(request: MeetingSettings, current: Conference | undefined, passcodeForAnonymous: boolean): Required<Omit<MeetingChanges, 'subject'>> & { subject: string } {
    const startsAt = request.startsAt ?? null;
    const endsAt = startsAt ? (request.endsAt ?? new Date(startsAt.getTime() + DEFAULT_LENGTH_MS)) : null;
    if (!startsAt && request.endsAt) throw new DomainError('validation-failed', 'endsAt needs startsAt');
    if (startsAt && endsAt && endsAt <= startsAt) throw new DomainError('validation-failed', 'endsAt must be after startsAt');
    const timeZone = request.timeZone ?? null;
    if (timeZone !== null && !isTimeZone(timeZone)) throw new DomainError('invalid-time-zone', `unknown time zone "${timeZone}"; use an IANA name such as Europe/Paris`);
    const recurrence = request.recurrence ? request.recurrence.replace(/^RRULE:/i, '') : null;
    if (recurrence && !startsAt) throw new DomainError('invalid-recurrence', 'a recurring meeting needs startsAt');
    const createdAt = current?.createdAt ?? this.clock.now();
    if (recurrence) checkRecurrence(recurrence, startsAt!, createdAt);
    const accessType = request.accessType ?? 'anonymous';
    const schedule: Schedule = { startsAt, endsAt, recurrence, createdAt };
    const { opensAt, expiresAt } = windowBounds(schedule);
    return {
      subject: request.subject ?? current?.subject ?? '',
      accessType,
      passcode: this.passcodeFor(request.passcode, accessType, current, passcodeForAnonymous),
      startsAt,
      endsAt,
      timeZone,
      recurrence,
      invitees: [...(request.invitees ?? [])],
      leaders: [...(request.leaders ?? [])],
      joinBeforeLeader: request.joinBeforeLeader ?? true,
      lobbyBypass: request.lobbyBypass ?? true,
      announceEntryExit: request.announceEntryExit ?? false,
      announceWith: request.announceWith ?? 'names',
      audienceMayUnmute: request.audienceMayUnmute ?? true,
      maxParticipants: request.maxParticipants ?? 250,
      opensAt,
      expiresAt,
    };
  }

  private passcodeFor(
    requested: MeetingSettings['passcode'],
    accessType: AccessType,
    current: Conference | undefined,
    passcodeForAnonymous: boolean,
  ): string | null {
    if (requested === true) return current?.passcode ?? newNumericId(this.deps.random, PASSCODE_LENGTH.generated);
    if (typeof requested === 'string') {
      if (!isValidPasscode(requested)) {
        throw new DomainError('validation-failed', `passcode must be ${PASSCODE_LENGTH.min} to ${PASSCODE_LENGTH.max} digits`);
      }
      return requested;
    }
    // The policy is the default: an organiser's explicit null turns the passcode off for this meeting.
    if (requested === null) return null;
    if (accessType === 'anonymous' && passcodeForAnonymous) return current?.passcode ?? newNumericId(this.deps.random, PASSCODE_LENGTH.generated);
    return null;
  }

  /** Meetings sharing a personal conference ID must never be joinable at the same time. */
  private async refuseOverlap(conferenceId: string, schedule: Omit<Schedule, 'createdAt'>, except: string | undefined) {
    const now = this.clock.now();
    const others = (await this.deps.conferences.liveWithConferenceId(conferenceId)).filter((c) => c.id !== except);
    const clash = others.find((other) => overlaps(other, { ...schedule, createdAt: now }, now));
    if (clash) {
      throw new DomainError('overlapping-personal-meeting', `"${clash.subject}" uses the same personal conference ID at an overlapping time`);
    }
  }

  /** The meeting with its dial-in numbers; the caller has already decided who may see it. */
  async withDialIn(conference: Conference): Promise<Meeting> {
    const organizer = conference.organizerId ? await this.deps.users.get(conference.organizerId) : undefined;
    return {
      conference,
      dialIn: await this.deps.dialInNumbers.forRegion(organizer?.region),
      organizer: organizer && { displayName: organizer.displayName, email: organizer.email },
    };
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

import {
  CONFERENCE_ID_LENGTH,
  PASSCODE_LENGTH,
  isValidPasscode,
  type AccessType,
  type Conference,
} from '../domain/conference.js';
import { DomainError } from '../domain/errors.js';
import { newMeetingId, newNumericId, type RandomBytes } from '../domain/ids.js';
import { isAdmin, type Principal } from '../domain/user.js';
import type { UserStore } from '../ports/directory-store.js';
import type { AccessNumber, ConferenceStore } from '../ports/store.js';
import type { DialInNumbers } from './dial-in-numbers.js';

export interface MeetingRequest {
  readonly subject: string;
  readonly accessType?: AccessType;
  /** true: generate one; a string: use these digits; absent: no passcode. */
  readonly passcode?: true | string;
  readonly startsAt?: Date;
  readonly endsAt?: Date;
}

export interface Meeting {
  readonly conference: Conference;
  readonly dialIn: readonly AccessNumber[];
}

const ID_ATTEMPTS = 20;

/** Schedules conferences the way a calendar client does: one call returns everything an invitation needs. */
export class Meetings {
  constructor(
    private readonly deps: {
      conferences: ConferenceStore;
      users: Pick<UserStore, 'get' | 'isConferenceIdInUse'>;
      dialInNumbers: Pick<DialInNumbers, 'forRegion'>;
      random: RandomBytes;
    },
  ) {}

  async create(principal: Principal, request: MeetingRequest): Promise<Meeting> {
    const passcode = this.passcodeFor(request.passcode);
    if (request.startsAt && request.endsAt && request.endsAt <= request.startsAt) {
      throw new DomainError('validation-failed', 'endsAt must be after startsAt');
    }
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const conferenceId = newNumericId(this.deps.random, CONFERENCE_ID_LENGTH);
      // Someone's personal conference ID is theirs even while none of their meetings is live.
      if (await this.deps.users.isConferenceIdInUse(conferenceId)) continue;
      const conference = await this.deps.conferences.insert({
        id: newMeetingId(this.deps.random),
        conferenceId,
        subject: request.subject,
        accessType: request.accessType ?? 'anonymous',
        passcode,
        startsAt: request.startsAt ?? null,
        endsAt: request.endsAt ?? null,
        organizerId: principal.kind === 'user' ? principal.user.id : null,
      });
      if (conference) return this.withDialIn(conference);
    }
    throw new DomainError('conference-id-exhausted', 'no free conference ID found; try again');
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

  private async withDialIn(conference: Conference): Promise<Meeting> {
    const organizer = conference.organizerId ? await this.deps.users.get(conference.organizerId) : undefined;
    return { conference, dialIn: await this.deps.dialInNumbers.forRegion(organizer?.region) };
  }

  private passcodeFor(requested: MeetingRequest['passcode']): string | null {
    if (requested === undefined) return null;
    if (requested === true) return newNumericId(this.deps.random, PASSCODE_LENGTH.generated);
    if (!isValidPasscode(requested)) {
      throw new DomainError(
        'validation-failed',
        `passcode must be ${PASSCODE_LENGTH.min} to ${PASSCODE_LENGTH.max} digits`,
      );
    }
    return requested;
  }
}

import {
  CONFERENCE_ID_LENGTH,
  PASSCODE_LENGTH,
  isValidPasscode,
  type AccessType,
  type Conference,
} from '../domain/conference.js';
import { DomainError } from '../domain/errors.js';
import { newMeetingId, newNumericId, type RandomBytes } from '../domain/ids.js';
import type { AccessNumber, AccessNumberStore, ConferenceStore } from '../ports/store.js';

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
    private readonly deps: { conferences: ConferenceStore; accessNumbers: AccessNumberStore; random: RandomBytes },
  ) {}

  async create(request: MeetingRequest): Promise<Meeting> {
    const passcode = this.passcodeFor(request.passcode);
    if (request.startsAt && request.endsAt && request.endsAt <= request.startsAt) {
      throw new DomainError('validation-failed', 'endsAt must be after startsAt');
    }
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const conference = await this.deps.conferences.insert({
        id: newMeetingId(this.deps.random),
        conferenceId: newNumericId(this.deps.random, CONFERENCE_ID_LENGTH),
        subject: request.subject,
        accessType: request.accessType ?? 'anonymous',
        passcode,
        startsAt: request.startsAt ?? null,
        endsAt: request.endsAt ?? null,
      });
      if (conference) return { conference, dialIn: await this.deps.accessNumbers.list() };
    }
    throw new DomainError('conference-id-exhausted', 'no free conference ID found; try again');
  }

  async get(id: string): Promise<Meeting> {
    const conference = await this.deps.conferences.get(id);
    if (!conference) throw new DomainError('conference-not-found', `no conference ${id}`);
    return { conference, dialIn: await this.deps.accessNumbers.list() };
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

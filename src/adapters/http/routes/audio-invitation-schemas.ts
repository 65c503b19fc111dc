import { Type } from 'typebox';
import { PHONE_KINDS } from '../../../domain/user.js';
import { ConferenceView, DialInNumber, Nullable, ParticipantView } from './common-schemas.js';

const Phone = Type.String({ minLength: 3, maxLength: 32, description: 'E.164 (+14255550123), or national in the caller\'s country' });
const NumberType = Type.Union(PHONE_KINDS.map((kind) => Type.Literal(kind)), { description: 'one of the person\'s published numbers' });

export const Person = Type.Union(
  [
    Type.Object({ userId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
    Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }), displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }, { additionalProperties: false }),
    Type.Object({ phone: Phone, displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }, { additionalProperties: false }),
  ],
  { description: 'a directory user (by ID, or by e-mail); a guest by e-mail (gets a join link); or a phone number parley calls at once' },
);

const NumberChoice = Type.Union([
  Type.Object({ phone: Phone }, { additionalProperties: false }),
  Type.Object({ published: NumberType }, { additionalProperties: false }),
]);

export const AddAudioBody = Type.Object(
  {
    conversationId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the IM side\'s conversation; echoed in every invitation and its events' })),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    requesterUserId: Type.Optional(Type.String({ format: 'uuid', description: 'with the service token: the user on whose behalf' })),
    callMe: Type.Optional(Type.Union([NumberChoice], { description: 'where parley calls the requester; else their first published number (mobile, work, home, other)' })),
    participants: Type.Array(Person, { maxItems: 100 }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        conversationId: 'im-7f3a',
        callMe: { published: 'mobile' },
        participants: [{ userId: '3f0e8a52-7c1d-4b6e-9a2f-5d4c3b2a1908' }, { email: 'guest@example.org', displayName: 'Pat (Contoso)' }, { phone: '+14255550123' }],
      },
    ],
  },
);

export const InviteMoreBody = Type.Object(
  { conversationId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), participants: Type.Array(Person, { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false, examples: [{ participants: [{ userId: '3f0e8a52-7c1d-4b6e-9a2f-5d4c3b2a1908' }] }] },
);

export const AnswerBody = Type.Union(
  [
    Type.Object({ answer: Type.Literal('accept'), number: Type.Optional(NumberChoice) }, { additionalProperties: false }),
    Type.Object({ answer: Type.Literal('decline') }, { additionalProperties: false }),
    Type.Object({ answer: Type.Literal('redirect'), phone: Phone }, { additionalProperties: false }),
  ],
  { examples: [{ answer: 'accept', number: { published: 'work' } }, { answer: 'decline' }, { answer: 'redirect', phone: '+14255550199' }] },
);

export const InvitationParams = Type.Object({ invitationId: Type.String({ format: 'uuid' }) });

export const InvitationView = Type.Object(
  {
    id: Type.String(),
    conference: Type.String({ description: '32-hex meeting ID' }),
    conversationId: Nullable(Type.String()),
    inviteeUserId: Nullable(Type.String()),
    displayName: Type.String(),
    guest: Type.Boolean({ description: 'outside the directory: invited by e-mail with the join link' }),
    state: Type.String({ description: 'pending, accepted, declined, redirected, expired (nobody answered in time), cancelled (the conference ended), sent (guests)' }),
    participantId: Nullable(Type.String({ description: 'the roster row of the call parley placed for it' })),
    createdAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
    respondedAt: Nullable(Type.String({ format: 'date-time' })),
    joinUrl: Type.String({ description: 'a page with the dial-in numbers, conference ID and passcode' }),
  },
  {
    examples: [
      {
        id: '0c8f8b0e-5b7e-4d7a-9a57-1f8a3c2b4d6e',
        conference: 'f3a1c2d4e5f60718293a4b5c6d7e8f90',
        conversationId: 'im-7f3a',
        inviteeUserId: '3f0e8a52-7c1d-4b6e-9a2f-5d4c3b2a1908',
        displayName: 'Bo Chen',
        guest: false,
        state: 'pending',
        participantId: null,
        createdAt: '2026-12-01T17:00:00.000Z',
        expiresAt: '2026-12-01T17:02:00.000Z',
        respondedAt: null,
        joinUrl: 'https://parley.example.com/join/0c8f8b0e-5b7e-4d7a-9a57-1f8a3c2b4d6e',
      },
    ],
  },
);

// The shared views carry an $id, which may appear only once in a response schema.
const RosterRow = Type.Object(ParticipantView.properties);
export const InvitedView = Type.Object({ invitations: Type.Array(InvitationView), called: Type.Array(RosterRow) });
export const AddAudioView = Type.Object({ conference: ConferenceView, requester: RosterRow, invitations: Type.Array(InvitationView), called: Type.Array(RosterRow) });

export const JoinView = Type.Object(
  {
    subject: Type.String(),
    conferenceId: Type.String(),
    passcode: Nullable(Type.String()),
    dialIn: Type.Array(Type.Object({ ...DialInNumber.properties, tel: Type.String({ description: 'one tap: the number, the conference ID and #' }) })),
    sipUri: Type.String({ description: 'the conference’s SIP address: a directory user’s registered SIP phone dials it and joins as that user, with no ID or PIN to key' }),
    startsAt: Nullable(Type.String({ format: 'date-time', description: 'when the meeting starts (null: an ad hoc conference, open now)' })),
    endsAt: Nullable(Type.String({ format: 'date-time' })),
    timeZone: Nullable(Type.String({ description: 'the organiser’s IANA zone for the times' })),
    organizer: Nullable(Type.String({ description: 'the organiser’s name' })),
  },
  { examples: [{ subject: 'Conversation with Ann Lee', conferenceId: '4821937', passcode: '73915', dialIn: [{ number: '+14255550100', display: '+1 (425) 555-0100', region: 'US', languages: ['en-US'], tel: 'tel:+14255550100,,4821937%23,,73915%23' }], sipUri: 'sip:4821937@pbx.example.com:5060', startsAt: null, endsAt: null, timeZone: null, organizer: 'Ann Lee' }] },
);

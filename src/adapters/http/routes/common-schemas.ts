import { Type } from 'typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({
        description: [
          'A stable code. Besides each route\'s own (e.g. validation-failed, invalid-recurrence, conference-not-found), any route may answer:',
          'invalid-json, body-too-large, unsupported-media-type (the body); invalid-character (400: a NUL, U+0000, in the body, path or query);',
          'bad-url (400: bad percent-encoding); uri-too-long (414: a path segment over 100 characters); route-not-found (404);',
          'unauthorized (401); rate-limited (429); internal-error (500).',
        ].join(' '),
      }),
      message: Type.String(),
      problems: Type.Optional(
        Type.Array(
          Type.Object({
            row: Type.Optional(Type.Integer()),
            field: Type.String(),
            code: Type.String(),
            message: Type.String(),
          }),
        ),
      ),
    }),
  },
  { $id: 'Error' },
);

export const MeetingIdParams = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f]{32}$', description: '32-hex meeting ID' }),
});

export const ParticipantParams = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f]{32}$' }),
  participantId: Type.String({ format: 'uuid' }),
});


export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const DialInNumber = Type.Object({
  number: Type.String(),
  display: Type.String(),
  region: Type.String(),
  languages: Type.Array(Type.String()),
});

export const ConferenceView = Type.Object(
  {
    id: Type.String(),
    conferenceId: Type.String(),
    subject: Type.String(),
    accessType: Type.String(),
    passcode: Type.Optional(Type.String()),
    locked: Type.Boolean(),
    status: Type.String({ description: 'scheduled, active, ended, or cancelled (by its organiser: cancelledAt says when)' }),
    startsAt: Nullable(Type.String({ format: 'date-time' })),
    endsAt: Nullable(Type.String({ format: 'date-time' })),
    createdAt: Type.String({ format: 'date-time' }),
    usesPersonalId: Type.Boolean(),
    timeZone: Nullable(Type.String()),
    recurrence: Nullable(Type.String()),
    invitees: Type.Array(Type.String()),
    leaders: Type.Array(Type.String()),
    joinBeforeLeader: Type.Boolean(),
    lobbyBypass: Type.Boolean(),
    announceEntryExit: Type.Boolean(),
    announceWith: Type.String(),
    audienceMuted: Type.Boolean(),
    audienceMayUnmute: Type.Boolean(),
    maxParticipants: Type.Integer(),
    sequence: Type.Integer(),
    cancelledAt: Nullable(Type.String({ format: 'date-time' })),
    joinWindow: Type.Object({ opensAt: Type.String({ format: 'date-time' }), expiresAt: Nullable(Type.String({ format: 'date-time' })) }),
    dialIn: Type.Array(DialInNumber),
  },
  {
    $id: 'Conference',
    examples: [
      {
        id: '5f1c0a3e9b7d4c2a8e6f1b3d5a7c9e0f',
        conferenceId: '4711042',
        subject: 'Weekly sync',
        accessType: 'anonymous',
        passcode: '520391',
        locked: false,
        status: 'scheduled',
        startsAt: '2026-12-01T17:00:00.000Z',
        endsAt: '2026-12-01T18:00:00.000Z',
        createdAt: '2026-11-22T09:00:00.000Z',
        usesPersonalId: false,
        timeZone: 'America/Los_Angeles',
        recurrence: 'FREQ=WEEKLY;COUNT=10',
        invitees: ['bo@example.com'],
        leaders: [],
        joinBeforeLeader: true,
        lobbyBypass: true,
        announceEntryExit: false,
        announceWith: 'names',
        audienceMuted: false,
        audienceMayUnmute: true,
        maxParticipants: 250,
        sequence: 0,
        cancelledAt: null,
        joinWindow: { opensAt: '2026-12-01T16:45:00.000Z', expiresAt: '2027-02-02T19:00:00.000Z' },
        dialIn: [{ number: '14255550100', display: '+1 (425) 555-0100', region: 'US', languages: ['en-US'] }],
      },
    ],
  },
);

export const ParticipantView = Type.Object(
  {
    id: Type.String(),
    displayName: Type.String(),
    role: Type.String(),
    state: Type.String(),
    muted: Type.Boolean(),
    mutedBy: Nullable(Type.String()),
    talking: Type.Boolean({ description: 'sound from this line now (also while muted: the muted-but-talking signal)' }),
    noisy: Type.Boolean({ description: 'keeps producing sound while others speak: a noise source to mute' }),
    via: Type.String({ description: 'how the caller joined: phone (a phone line that dialled in), dial-out (a phone line parley called: a leader calling someone in, Call me, add audio) or voip (a browser or SIP device)' }),
    number: Nullable(
      Type.String({
        description: 'the caller\'s number masked ("+1 425 •••• 0123"), the same for every viewer (the full number is only in call records); null for none',
      }),
    ),
    joinedAt: Nullable(Type.String({ format: 'date-time' })),
    leftAt: Nullable(Type.String({ format: 'date-time' })),
    endReason: Nullable(
      Type.String({
        description:
          'how the call ended: hangup (in the conference), abandoned (hung up before joining), ejected, ended-by-leader, lobby-timeout, lobby-denied, lost (gone when parley looked again), failed; ' +
          'refused as not-invited, sign-in-required, locked, full or meeting-ended; for calls parley placed also busy, no-answer, declined, cancelled, not-accepted (answered, 1 never pressed); refused: rows from before these reasons existed',
      }),
    ),
  },
  {
    $id: 'Participant',
    examples: [
      {
        id: '0b6f6c1e-8d1a-4e0f-9a57-3c2d1e0f4a5b',
        displayName: 'Ann Lee',
        role: 'participant',
        state: 'connected',
        muted: false,
        mutedBy: null,
        talking: true,
        noisy: false,
        via: 'phone',
        number: '+1 425 •••• 0123',
        joinedAt: '2026-12-01T17:01:12.000Z',
        leftAt: null,
      },
    ],
  },
);

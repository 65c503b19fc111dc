import { Type, type Static } from 'typebox';
import { LOCALES } from '../../../domain/locales.js';

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

const MeetingSettingsFields = {
  accessType: Type.Optional(Type.Union([Type.Literal('anonymous'), Type.Literal('open'), Type.Literal('closed')])),
  passcode: Type.Optional(
    // `const` without a `type`: ajv's type coercion turned null into false in a boolean `true` branch
    // (refusing `passcode: null`), and would turn false into null in a `type: null` one.
    Type.Union([Type.Unsafe<null>({ const: null }), Type.Unsafe<true>({ const: true }), Type.String({ pattern: '^[0-9]{4,12}$' })], {
      description: 'true to generate one, 4 to 12 digits, or null for none',
    }),
  ),
  startsAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'absent or null: Meet Now' })),
  endsAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'default: an hour after startsAt' })),
  timeZone: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()], { description: 'IANA zone, e.g. America/Los_Angeles' })),
  recurrence: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()], { description: 'RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO;COUNT=10. Limits (else 400 invalid-recurrence): FREQ DAILY, WEEKLY, MONTHLY or YEARLY; INTERVAL ≤ 99; COUNT ≤ 1000; UNTIL ≤ 5 years after startsAt; no BYHOUR/BYMINUTE/BYSECOND (the time comes from startsAt); startsAt at most 5 years before the meeting was scheduled' })),
  invitees: Type.Optional(Type.Array(Type.String({ maxLength: 320 }), { maxItems: 1000 })),
  leaders: Type.Optional(Type.Array(Type.String({ maxLength: 320 }), { maxItems: 100 })),
  joinBeforeLeader: Type.Optional(Type.Boolean({ description: 'false: callers who do not sign in wait in the lobby until a leader is present' })),
  lobbyBypass: Type.Optional(Type.Boolean({ description: 'false: callers who do not sign in wait in the lobby until a leader admits them (default true)' })),
  announceEntryExit: Type.Optional(Type.Boolean({ description: 'entry and exit announcements (default false); leaders toggle them with *9' })),
  announceWith: Type.Optional(Type.Union([Type.Literal('names'), Type.Literal('tones')], { description: 'announce with recorded names (default) or a tone only' })),
  audienceMayUnmute: Type.Optional(Type.Boolean({ description: 'whether callers muted with the audience (*4) may unmute themselves (default true)' })),
  maxParticipants: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, description: 'callers beyond this are told the meeting is full (default 250)' })),
};

export const CreateConferenceBody = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    conferenceId: Type.Optional(
      Type.Union([Type.Literal('new'), Type.Literal('personal')], {
        description: '"personal": use my assigned conference ID; "new" (default): a new one for this meeting',
      }),
    ),
    ...MeetingSettingsFields,
  },
  {
    additionalProperties: false,
    examples: [
      {
        subject: 'Weekly sync',
        startsAt: '2026-12-01T17:00:00Z',
        endsAt: '2026-12-01T18:00:00Z',
        timeZone: 'America/Los_Angeles',
        recurrence: 'FREQ=WEEKLY;COUNT=10',
        passcode: true,
        invitees: ['bo@example.com'],
      },
    ],
  },
);
export type CreateConferenceBody = Static<typeof CreateConferenceBody>;

export const UpdateConferenceBody = Type.Object(
  {
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    locked: Type.Optional(Type.Boolean({ description: 'live: a locked meeting refuses new callers except signed-in leaders' })),
    audienceMuted: Type.Optional(Type.Boolean({ description: 'live: mute everyone but the leaders, and later joiners (as *4)' })),
    ...MeetingSettingsFields,
  },
  {
    additionalProperties: false,
    minProperties: 1,
    examples: [{ locked: true }, { startsAt: '2026-12-02T17:00:00Z', endsAt: '2026-12-02T18:00:00Z' }],
  },
);
export const AdmitBody = Type.Object(
  { participantId: Type.Optional(Type.String({ format: 'uuid', description: 'absent: everyone waiting' })) },
  { additionalProperties: false, examples: [{}, { participantId: '0b7c8f2e-4a51-4d2b-9c55-2f6f3c1d9e10' }] },
);
export const AdmitView = Type.Object({ admitted: Type.Integer({ description: 'how many callers were let in' }) });
export const InviteBody = Type.Object(
  {
    phone: Type.String({ minLength: 3, maxLength: 32, description: 'E.164 (+14255550123), or national in the inviting leader\'s country' }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'how the roster shows the person until they join; the number otherwise' })),
    language: Type.Optional(Type.Union(LOCALES.map((locale) => Type.Literal(locale)), { description: 'what the called person hears; else the language they chose before, else the conference\'s' })),
  },
  { additionalProperties: false, examples: [{ phone: '+14255550123', displayName: 'Dana (mobile)' }] },
);

export const UpdateParticipantBody = Type.Object(
  {
    muted: Type.Optional(Type.Boolean()),
    role: Type.Optional(Type.Union([Type.Literal('leader'), Type.Literal('participant')], { description: 'promote or demote on the call' })),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ muted: true }, { role: 'leader' }] },
);

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
    status: Type.String(),
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
    via: Type.String(),
    joinedAt: Nullable(Type.String({ format: 'date-time' })),
    leftAt: Nullable(Type.String({ format: 'date-time' })),
    endReason: Nullable(
      Type.String({
        description:
          'how the call ended: hangup, ejected, ended-by-leader, refused, lobby-timeout, failed, abandoned; for calls parley placed also busy, no-answer, declined, cancelled, not-accepted (answered, 1 never pressed)',
      }),
    ),
  },
  {
    $id: 'Participant',
    examples: [
      {
        id: '0b6f6c1e-8d1a-4e0f-9a57-3c2d1e0f4a5b',
        displayName: '+1425555••••',
        role: 'participant',
        state: 'connected',
        muted: false,
        mutedBy: null,
        talking: true,
        noisy: false,
        via: 'phone',
        joinedAt: '2026-12-01T17:01:12.000Z',
        leftAt: null,
      },
    ],
  },
);

export const Health = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
    asterisk: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  },
  { examples: [{ status: 'ok', asterisk: 'up', database: 'up' }] },
);

import { Type, type Static } from 'typebox';

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

import { Type, type Static } from 'typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
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

export const CreateConferenceBody = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    accessType: Type.Optional(Type.Union([Type.Literal('anonymous'), Type.Literal('open'), Type.Literal('closed')])),
    passcode: Type.Optional(
      Type.Union([Type.Literal(true), Type.String({ pattern: '^[0-9]{4,12}$' })], {
        description: 'true to generate one, or 4 to 12 digits',
      }),
    ),
    startsAt: Type.Optional(Type.String({ format: 'date-time' })),
    endsAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type CreateConferenceBody = Static<typeof CreateConferenceBody>;

export const UpdateConferenceBody = Type.Object({ locked: Type.Boolean() }, { additionalProperties: false });
export const UpdateParticipantBody = Type.Object({ muted: Type.Boolean() }, { additionalProperties: false });

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

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
    dialIn: Type.Array(DialInNumber),
  },
  { $id: 'Conference' },
);

export const ParticipantView = Type.Object(
  {
    id: Type.String(),
    displayName: Type.String(),
    role: Type.String(),
    state: Type.String(),
    muted: Type.Boolean(),
    mutedBy: Nullable(Type.String()),
    talking: Type.Boolean(),
    via: Type.String(),
    joinedAt: Nullable(Type.String({ format: 'date-time' })),
    leftAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'Participant' },
);

export const Health = Type.Object({
  status: Type.Literal('ok'),
  asterisk: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
});

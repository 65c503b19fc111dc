import { Type } from 'typebox';
import { LOCALES } from '../../../domain/locales.js';

const Phones = Type.Object(
  {
    work: Type.Optional(Type.String()),
    mobile: Type.Optional(Type.String()),
    home: Type.Optional(Type.String()),
    other: Type.Optional(Type.String()),
  },
  { additionalProperties: false, description: 'national or international form; stored as E.164' },
);

const Role = Type.Union([Type.Literal('admin'), Type.Literal('organizer')]);

export const UserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const CreateUserBody = Type.Object(
  {
    displayName: Type.String(),
    email: Type.String(),
    sipUri: Type.String(),
    extension: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    phones: Type.Optional(Phones),
    region: Type.String(),
    role: Type.Optional(Role),
    password: Type.Optional(Type.String()),
  },
  {
    additionalProperties: false,
    examples: [
      {
        displayName: 'Ann Lee',
        email: 'ann@example.com',
        sipUri: 'sip:ann@example.com',
        extension: '4711',
        phones: { work: '(425) 555-0123', mobile: '+1 425 555 0199' },
        region: 'US',
        password: 'correct horse battery',
      },
    ],
  },
);

export const UpdateUserBody = Type.Partial(CreateUserBody, { additionalProperties: false, examples: [{ region: 'US', phones: { mobile: '425 555 0199' } }] });

export const ImportUsersBody = Type.Union([Type.Array(Type.Object({}, { additionalProperties: true })), Type.String()], {
  description: 'a JSON array of users (as POST /users), or text/csv with a header row',
  examples: [
    [
      { displayName: 'Ann Lee', email: 'ann@example.com', sipUri: 'sip:ann@example.com', region: 'US', extension: '4711' },
      { displayName: 'Bo Chen', email: 'bo@example.com', sipUri: 'sip:bo@example.com', region: 'US', phones: { work: '(425) 555-0123' } },
    ],
  ],
});

export const UserView = Type.Object(
  {
    id: Type.String(),
    displayName: Type.String(),
    email: Type.String(),
    sipUri: Type.String(),
    extension: Type.Union([Type.String(), Type.Null()]),
    phones: Phones,
    region: Type.String(),
    role: Type.String(),
    assignedConferenceId: Type.String(),
    hasPin: Type.Boolean(),
    pinSetAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    pinLockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'a temporary lock after wrong PINs close together at the keypad; locked while in the future',
    }),
    pinLockedOut: Type.Boolean({ description: 'locked after too many wrong PINs in all, until an administrator unlocks it or a new PIN is set' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  {
    $id: 'User',
    examples: [
      {
        id: '7d3f1a2b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
        displayName: 'Ann Lee',
        email: 'ann@example.com',
        sipUri: 'sip:ann@example.com',
        extension: '4711',
        phones: { work: '+14255550123' },
        region: 'US',
        role: 'organizer',
        assignedConferenceId: '3820517',
        hasPin: true,
        pinSetAt: '2026-11-20T08:00:00.000Z',
        pinLockedUntil: null,
        pinLockedOut: false,
        createdAt: '2026-11-01T08:00:00.000Z',
      },
    ],
  },
);

export const Paging = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
});

export const SignInBody = Type.Object(
  { email: Type.String({ maxLength: 320 }), password: Type.String({ maxLength: 1024 }) },
  { additionalProperties: false, examples: [{ email: 'ann@example.com', password: 'correct horse battery' }] },
);

export const SessionView = Type.Object({
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  user: UserView,
});

export const RegionBody = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Za-z0-9-]{1,32}$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166 country whose numbering plan reads national numbers' }),
  },
  { additionalProperties: false, examples: [{ code: 'EMEA', name: 'Europe', country: 'GB' }] },
);
export const RegionParams = Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9-]{1,32}$' }) });
export const UpdateRegionBody = Type.Partial(Type.Omit(RegionBody, ['code']), { additionalProperties: false, examples: [{ name: 'Europe, Middle East and Africa' }] });

const Locale = Type.Union(LOCALES.map((l) => Type.Literal(l)));

export const AccessNumberBody = Type.Object(
  {
    number: Type.String({ pattern: '^[0-9]{4,15}$', description: 'the dialled digits, E.164 without +' }),
    display: Type.String({ minLength: 1, maxLength: 64 }),
    region: Type.String(),
    primaryLanguage: Locale,
    secondaryLanguages: Type.Optional(Type.Array(Locale, { maxItems: 4 })),
  },
  {
    additionalProperties: false,
    examples: [
      { number: '442071230000', display: '+44 20 7123 0000', region: 'EMEA', primaryLanguage: 'en-GB', secondaryLanguages: ['fr-FR', 'de-DE'] },
    ],
  },
);
export const AccessNumberParams = Type.Object({ number: Type.String({ pattern: '^[0-9]{4,15}$' }) });
export const UpdateAccessNumberBody = Type.Partial(Type.Omit(AccessNumberBody, ['number']), { additionalProperties: false, examples: [{ secondaryLanguages: ['es-MX', 'fr-CA'] }] });
export const AccessNumberView = Type.Object(
  {
    number: Type.String(),
    display: Type.String(),
    region: Type.String(),
    primaryLanguage: Type.String(),
    secondaryLanguages: Type.Array(Type.String()),
    languages: Type.Array(Type.String()),
  },
  { examples: [{ number: '14255550100', display: '+1 (425) 555-0100', region: 'US', primaryLanguage: 'en-US', secondaryLanguages: ['es-MX'], languages: ['en-US', 'es-MX'] }] },
);

export const SetPinBody = Type.Object({ pin: Type.String({ maxLength: 64 }) }, { additionalProperties: false, examples: [{ pin: '80417' }] });

export const PinPolicyView = Type.Object({
  minLength: Type.Integer(),
  maxLength: Type.Integer(),
  historySize: Type.Integer(),
  failureWindowMinutes: Type.Integer(),
  lockoutMinutes: Type.Integer(),
  expiryDays: Type.Integer(),
  rules: Type.Array(Type.String()),
});

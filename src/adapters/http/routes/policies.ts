import { Type } from 'typebox';
import { BLOCKABLE_NUMBER_TYPES } from '../../../domain/dial-out-policy.js';
import { UserIdParams } from './directory-schemas.js';
import { ErrorBody } from './common-schemas.js';
import type { HttpApp } from '../types.js';

const PinPolicy = Type.Object(
  {
    minLength: Type.Integer({ minimum: 4, maximum: 24 }),
    historySize: Type.Integer({ minimum: 0, maximum: 24 }),
    failureWindowMinutes: Type.Integer({
      minimum: 1,
      maximum: 1440,
      description: 'wrong PINs each within this many minutes of the last count towards a temporary lock (how many: by PIN length)',
    }),
    lockoutMinutes: Type.Integer({ minimum: 1, maximum: 1440, description: 'how long that temporary lock lasts' }),
    expiryDays: Type.Integer({ minimum: 0, maximum: 3650 }),
  },
  { additionalProperties: false },
);
const MeetingPolicy = Type.Object({ passcodeForAnonymous: Type.Boolean() }, { additionalProperties: false });
const Scope = Type.Union([Type.Literal('none'), Type.Literal('internal'), Type.Literal('national'), Type.Literal('international')], {
  description: 'what leaders may have parley call: none, directory numbers only, their own country too, or anywhere',
});
const NumberType = Type.Union([
  Type.Literal('premium-rate'),
  Type.Literal('shared-cost'),
  Type.Literal('satellite'),
  Type.Literal('personal-number'),
  Type.Literal('uan'),
  Type.Literal('voip'),
  Type.Literal('pager'),
  Type.Literal('voicemail'),
  Type.Literal('toll-free'),
]);
const DialOutPolicy = Type.Object(
  {
    scope: Scope,
    blockedPrefixes: Type.Array(Type.String({ pattern: '^\\+[0-9]{1,15}$' }), { maxItems: 100, description: 'E.164 prefixes nobody may call' }),
    blockedTypes: Type.Array(NumberType, {
      maxItems: BLOCKABLE_NUMBER_TYPES.length,
      uniqueItems: true,
      description: 'number types nobody may call, in every region (satellite: +870, +881, +882, +883)',
    }),
    ringSeconds: Type.Integer({ minimum: 5, maximum: 120, description: 'how long an invitation rings before it counts as not answered' }),
  },
  { additionalProperties: false },
);
const PolicySet = Type.Object({ pin: PinPolicy, meetings: MeetingPolicy, dialOut: DialOutPolicy });
const PolicyChanges = Type.Object(
  {
    pin: Type.Optional(Type.Partial(PinPolicy, { additionalProperties: false })),
    meetings: Type.Optional(Type.Partial(MeetingPolicy, { additionalProperties: false })),
    dialOut: Type.Optional(Type.Partial(DialOutPolicy, { additionalProperties: false })),
  },
  { additionalProperties: false, examples: [{ pin: { minLength: 6, lockoutMinutes: 120 }, meetings: { passcodeForAnonymous: true } }] },
);

const UserDialOut = Type.Object(
  {
    scope: Type.Union([Scope, Type.Null()], { description: 'the user’s own scope; null: the policy’s' }),
    effective: Scope,
  },
  { examples: [{ scope: 'internal', effective: 'internal' }] },
);
const UserDialOutBody = Type.Object(
  { scope: Type.Union([Scope, Type.Null()], { description: 'null: back to the policy’s scope' }) },
  { additionalProperties: false, examples: [{ scope: 'national' }, { scope: null }] },
);

export async function policyRoutes(app: HttpApp): Promise<void> {
  const tags = ['policies'];
  app.get('/api/v1/policies', { schema: { tags, description: 'The PIN and meeting policies in force.', response: { 200: PolicySet, 401: ErrorBody } } }, () =>
    app.services.policies.current(),
  );
  app.patch(
    '/api/v1/policies',
    {
      schema: {
        tags,
        description: 'Administrators change the PIN policy (length, history, keypad lockout window and duration, expiry), the meeting policy and the dial-out policy.',
        body: PolicyChanges,
        response: { 200: PolicySet, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    (request) => app.services.policies.change(request.principal, request.body),
  );

  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
  app.get(
    '/api/v1/users/:id/dial-out',
    { schema: { tags, description: 'Which numbers the user may have parley call (the user or an administrator): their own scope, and what applies now.', params: UserIdParams, response: { 200: UserDialOut, ...errors } } },
    (request) => app.services.dialOutScopes.get(request.principal, request.params.id),
  );
  app.put(
    '/api/v1/users/:id/dial-out',
    {
      schema: {
        tags,
        description: 'Administrators give a user a dial-out scope of their own (e.g. no international calls), or null for the policy’s.',
        params: UserIdParams,
        body: UserDialOutBody,
        response: { 200: UserDialOut, ...errors },
      },
    },
    (request) => app.services.dialOutScopes.set(request.principal, request.params.id, request.body.scope),
  );
}

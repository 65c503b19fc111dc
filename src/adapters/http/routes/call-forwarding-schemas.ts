import { Type } from 'typebox';

const PhoneTarget = Type.Object(
  {
    kind: Type.Literal('phone'),
    number: Type.String({ minLength: 1, maxLength: 32, description: "national (in the user's region) or international form; stored as E.164" }),
  },
  { additionalProperties: false },
);
const UserTarget = Type.Object(
  { kind: Type.Literal('user'), userId: Type.String({ format: 'uuid', description: 'a directory user; their own settings apply from then on' }) },
  { additionalProperties: false },
);
const Only = <K extends string>(kind: K) => Type.Object({ kind: Type.Literal(kind) }, { additionalProperties: false });

const ForwardTarget = Type.Union([PhoneTarget, UserTarget], { description: 'where forward-all sends every call' });
const AlsoRing = Type.Union([PhoneTarget, Only('team'), Only('delegates')], {
  description: "what rings at the same time as the user's registered endpoints: one more number, the Team-call group, or the delegates",
});
const NoAnswerDestination = Type.Union([PhoneTarget, UserTarget, Only('voicemail'), Only('none')], {
  description: 'where an unanswered call goes (and, under Do Not Disturb, every call from outside the Team); none: the caller hears busy',
});
const Mode = Type.Union([Type.Literal('off'), Type.Literal('forward-all'), Type.Literal('simultaneous-ring')]);
const UserIds = (description: string) => Type.Array(Type.String({ format: 'uuid' }), { maxItems: 25, description });

export const CallForwardingBody = Type.Object(
  {
    mode: Mode,
    forwardTo: Type.Optional(ForwardTarget),
    alsoRing: Type.Optional(AlsoRing),
    noAnswer: Type.Optional(
      Type.Object(
        {
          afterSeconds: Type.Optional(Type.Integer({ description: 'how long the user (and what rings with them) rings: 5 to 60, default 20' })),
          then: Type.Optional(NoAnswerDestination),
        },
        { additionalProperties: false },
      ),
    ),
    teamMembers: Type.Optional(UserIds('the Team-call group: these callers ring through Do Not Disturb')),
    delegates: Type.Optional(UserIds('who answers calls on this user’s behalf')),
  },
  {
    additionalProperties: false,
    description: 'The whole settings: omitted fields take their defaults (no team, no delegates, voicemail after 20 s).',
    examples: [
      {
        mode: 'simultaneous-ring',
        alsoRing: { kind: 'phone', number: '(425) 555-0199' },
        noAnswer: { afterSeconds: 18, then: { kind: 'user', userId: '0b9c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4' } },
        teamMembers: ['0b9c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4'],
      },
      { mode: 'forward-all', forwardTo: { kind: 'phone', number: '+1 425 555 0199' } },
    ],
  },
);

export const CallForwardingView = Type.Object(
  {
    mode: Mode,
    forwardTo: Type.Optional(ForwardTarget),
    alsoRing: Type.Optional(AlsoRing),
    noAnswer: Type.Object({ afterSeconds: Type.Integer(), then: NoAnswerDestination }),
    teamMembers: Type.Array(Type.String()),
    delegates: Type.Array(Type.String()),
  },
  {
    $id: 'CallForwarding',
    examples: [
      {
        mode: 'simultaneous-ring',
        alsoRing: { kind: 'phone', number: '+14255550199' },
        noAnswer: { afterSeconds: 18, then: { kind: 'voicemail' } },
        teamMembers: ['0b9c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4'],
        delegates: [],
      },
    ],
  },
);

// The same states as domain/call-routing.ts PRESENCE_STATES (the routes' types check both ways).
const State = Type.Union(
  [
    Type.Literal('available'),
    Type.Literal('busy'),
    Type.Literal('do-not-disturb'),
    Type.Literal('be-right-back'),
    Type.Literal('away'),
    Type.Literal('offline'),
  ],
  { description: 'do-not-disturb: only Team members ring through; everyone else goes where unanswered calls go' },
);

export const PresenceBody = Type.Object(
  {
    state: State,
    until: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when the state ends (then: available); absent or null: until changed' })),
  },
  { additionalProperties: false, examples: [{ state: 'do-not-disturb', until: '2027-03-01T17:00:00Z' }, { state: 'available' }] },
);

export const PresenceView = Type.Object(
  {
    state: State,
    since: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'null: never set' }),
    until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Presence', examples: [{ state: 'do-not-disturb', since: '2027-03-01T13:00:00.000Z', until: '2027-03-01T17:00:00.000Z' }] },
);

export const SipDeviceView = Type.Object(
  {
    username: Type.String({ description: 'the name the phones register with (and authenticate as)' }),
    registrar: Type.String({ description: 'where they register' }),
    realm: Type.String({ description: 'the digest realm' }),
  },
  { examples: [{ username: 'ann', registrar: 'sip:pbx.example.com:5060', realm: 'parley' }] },
);

export const IssuedSipDeviceView = Type.Object(
  { ...SipDeviceView.properties, password: Type.String({ description: 'shown only in this answer; parley keeps its digest' }) },
  { examples: [{ username: 'ann', registrar: 'sip:pbx.example.com:5060', realm: 'parley', password: 'kq3R8vN1xT0bLw7ZpY2a' }] },
);

export const VoicemailView = Type.Object(
  {
    id: Type.String(),
    callerNumber: Type.String(),
    callerName: Type.String({ description: 'the caller ID name, when the call carried one' }),
    seconds: Type.Number({ description: 'how long the message is' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { examples: [{ id: '5b0c3c2e-8f4d-4b1a-9c77-0e2f6a1d9b31', callerNumber: '+14255550199', callerName: 'Bo Chen', seconds: 12.4, createdAt: '2027-03-01T13:05:00.000Z' }] },
);

export const VoicemailParams = Type.Object({ id: Type.String({ format: 'uuid' }), voicemailId: Type.String({ format: 'uuid' }) });

import { Type } from 'typebox';
import { LOCALES } from '../../../domain/locales.js';
import { PHONE_KINDS } from '../../../domain/user.js';

export const AdmitBody = Type.Object(
  { participantId: Type.Optional(Type.String({ format: 'uuid', description: 'absent: everyone waiting' })) },
  { additionalProperties: false, examples: [{}, { participantId: '0b7c8f2e-4a51-4d2b-9c55-2f6f3c1d9e10' }] },
);
export const AdmitView = Type.Object({ admitted: Type.Integer({ description: 'how many callers were let in' }) });
export const CallMeBody = Type.Object(
  { phone: Type.Optional(Type.Union(PHONE_KINDS.map((kind) => Type.Literal(kind)), { description: 'which of your numbers; absent: mobile, then work, home, other' })) },
  { additionalProperties: false, examples: [{}, { phone: 'work' }] },
);
export const DenyBody = Type.Object(
  { participantId: Type.String({ format: 'uuid', description: 'the caller waiting in the lobby' }) },
  { additionalProperties: false, examples: [{ participantId: '0b7c8f2e-4a51-4d2b-9c55-2f6f3c1d9e10' }] },
);
export const InviteBody = Type.Object(
  {
    phone: Type.String({ minLength: 3, maxLength: 32, description: 'E.164 (+14255550123), or national in the inviting leader\'s country' }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'how the roster shows the person; without it, their number masked (+1 425 •••• 0123), as everyone in the meeting sees the roster' })),
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

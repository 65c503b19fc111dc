import { Type } from 'typebox';
import { Nullable, ParticipantView } from './common-schemas.js';

export const LiveState = Type.Object({
  locked: Type.Boolean(),
  status: Type.String(),
  audienceMuted: Type.Boolean(),
  announceEntryExit: Type.Boolean(),
  activeSpeakerId: Nullable(Type.String({ description: 'who holds the floor now (the starburst)' })),
});

export const LiveView = Type.Object(
  {
    seq: Type.Integer({ description: 'the last event this snapshot includes: resume the stream after it' }),
    access: Type.Union([Type.Literal('leader'), Type.Literal('participant')], { description: 'what the caller of the API may do' }),
    you: Type.Array(Type.String(), { description: 'the participants on the roster who are the signed-in user' }),
    conference: Type.Intersect([
      Type.Object({ id: Type.String(), conferenceId: Type.String(), subject: Type.String(), recording: Type.Boolean({ description: 'being recorded now' }) }),
      LiveState,
    ]),
    dialIn: Type.Array(Type.Object({ number: Type.String(), display: Type.String(), region: Type.String(), languages: Type.Array(Type.String()) })),
    participants: Type.Array(ParticipantView),
  },
  {
    examples: [
      {
        seq: 42,
        access: 'leader',
        you: [],
        conference: { id: 'f3a1c2d4e5f60718293a4b5c6d7e8f90', conferenceId: '4821937', subject: 'Weekly sync', recording: false, locked: false, status: 'active', audienceMuted: false, announceEntryExit: false, activeSpeakerId: null },
        dialIn: [{ number: '14255550100', display: '+1 (425) 555-0100', region: 'US', languages: ['en-US'] }],
        participants: [],
      },
    ],
  },
);

export const EndView = Type.Object({ ended: Type.Integer({ description: 'how many callers were told and hung up' }) }, { examples: [{ ended: 3 }] });

export const AuditEntryView = Type.Object(
  {
    id: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    actor: Type.String(),
    action: Type.String(),
    participantId: Nullable(Type.String()),
    detail: Type.Record(Type.String(), Type.Unknown()),
  },
  { examples: [{ id: 7, at: '2026-12-01T17:05:00.000Z', actor: 'ann@example.com', action: 'mute', participantId: '0b6f6c1e-8d1a-4e0f-9a57-3c2d1e0f4a5b', detail: {} }] },
);

export const HistoryView = Type.Object(
  {
    sessions: Type.Array(
      Type.Object({
        id: Type.String(),
        startedAt: Type.String({ format: 'date-time' }),
        endedAt: Nullable(Type.String({ format: 'date-time' })),
        peakParticipants: Type.Integer(),
        endedBy: Nullable(Type.String()),
      }),
    ),
    participants: Type.Array(
      Type.Object({
        id: Type.String(),
        displayName: Type.String(),
        role: Type.String(),
        via: Type.String(),
        authMethod: Type.String({ description: 'none, passcode, pin (at the keypad) or sip (a user’s registered SIP phone)' }),
        language: Nullable(Type.String()),
        joinedAt: Nullable(Type.String({ format: 'date-time' })),
        leftAt: Nullable(Type.String({ format: 'date-time' })),
        durationSeconds: Nullable(Type.Integer()),
        endReason: Nullable(Type.String()),
      }),
    ),
  },
  {
    examples: [
      {
        sessions: [{ id: '5d1e0c4b-2a3f-4e5d-8c7b-6a5f4e3d2c1b', startedAt: '2026-12-01T17:00:03.000Z', endedAt: '2026-12-01T17:31:40.000Z', peakParticipants: 5, endedBy: 'last-left' }],
        participants: [
          { id: '0b6f6c1e-8d1a-4e0f-9a57-3c2d1e0f4a5b', displayName: 'Ann Lee', role: 'leader', via: 'phone', authMethod: 'pin', language: 'en-US', joinedAt: '2026-12-01T17:00:03.000Z', leftAt: '2026-12-01T17:31:40.000Z', durationSeconds: 1897, endReason: 'hangup' },
        ],
      },
    ],
  },
);

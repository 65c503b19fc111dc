import { Type } from 'typebox';
import { Nullable, ParticipantView } from './common-schemas.js';

export const LiveState = Type.Object({
  locked: Type.Boolean(),
  status: Type.String({ description: 'scheduled, active, ended, or cancelled (by its organiser)' }),
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
      Type.Object({
        id: Type.String(),
        conferenceId: Type.String(),
        subject: Type.String(),
        passcode: Nullable(Type.String({ description: 'the guests\' passcode: to leaders only (null for participants and for conferences without one)' })),
        recording: Type.Boolean({ description: 'being recorded now' }),
        recordingSince: Nullable(Type.String({ format: 'date-time', description: 'when the running recording started' })),
      }),
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
        conference: { id: 'f3a1c2d4e5f60718293a4b5c6d7e8f90', conferenceId: '4821937', subject: 'Weekly sync', passcode: '97531', recording: false, recordingSince: null, locked: false, status: 'active', audienceMuted: false, announceEntryExit: false, activeSpeakerId: null },
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

/** How many turned-away callers GET …/history lists. */
export const REFUSED_IN_HISTORY = 200;

export const END_REASON_DESCRIPTION =
  'how the call ended: hangup (in the conference), abandoned (hung up before joining), ejected, ended-by-leader, lobby-timeout, lobby-denied, ' +
  'lost (gone when parley looked again: Asterisk, its node or the database was away), failed; refused as not-invited, sign-in-required, locked, full or meeting-ended; ' +
  'for calls parley placed also busy, no-answer, declined, cancelled, not-accepted (answered, 1 never pressed). refused: rows from before these reasons existed';

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
        endReason: Nullable(Type.String({ description: END_REASON_DESCRIPTION })),
      }),
    ),
    refused: Type.Array(
      Type.Object({
        at: Type.String({ format: 'date-time' }),
        caller: Type.String({ description: 'the caller number, masked as the roster shows it' }),
        reason: Type.String({ description: 'wrong-passcode, sign-in-failed, pin-locked, keypad-refused, sign-in-required or locked' }),
        language: Nullable(Type.String()),
      }),
      {
        description: `Callers who named this conference but were turned away before proving its passcode or who they are (never on the roster, so guessing adds no participants); the latest ${REFUSED_IN_HISTORY}, newest first.`,
      },
    ),
  },
  {
    examples: [
      {
        sessions: [{ id: '5d1e0c4b-2a3f-4e5d-8c7b-6a5f4e3d2c1b', startedAt: '2026-12-01T17:00:03.000Z', endedAt: '2026-12-01T17:31:40.000Z', peakParticipants: 5, endedBy: 'last-left' }],
        participants: [
          { id: '0b6f6c1e-8d1a-4e0f-9a57-3c2d1e0f4a5b', displayName: 'Ann Lee', role: 'leader', via: 'phone', authMethod: 'pin', language: 'en-US', joinedAt: '2026-12-01T17:00:03.000Z', leftAt: '2026-12-01T17:31:40.000Z', durationSeconds: 1897, endReason: 'hangup' },
        ],
        refused: [{ at: '2026-12-01T17:02:11.000Z', caller: '+1 206 •••• 0105', reason: 'wrong-passcode', language: 'en-US' }],
      },
    ],
  },
);

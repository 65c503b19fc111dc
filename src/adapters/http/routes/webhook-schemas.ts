import { Type } from 'typebox';
import { WEBHOOK_EVENT_TYPES } from '../../../ports/webhooks.js';
import { Nullable } from './common-schemas.js';

const EventType = Type.Union(
  WEBHOOK_EVENT_TYPES.map((type) => Type.Literal(type)),
  { description: 'a conference event type' },
);

const fields = {
  url: Type.String({ minLength: 1, maxLength: 2000, description: 'http or https URL that receives a POST per event' }),
  secret: Type.String({ minLength: 16, maxLength: 200, description: 'HMAC-SHA256 key of the Parley-Signature header; generated when absent' }),
  eventTypes: Type.Array(EventType, { maxItems: WEBHOOK_EVENT_TYPES.length * 2, description: 'the event types to send; empty or absent: all' }),
  conferenceId: Nullable(Type.String({ pattern: '^[0-9a-f]{32}$', description: "32-hex meeting ID (a conference's `id`): only its events; null: every conference" })),
  active: Type.Boolean({ description: 'false: no deliveries are made for new events, and pending ones wait' }),
};

export const CreateWebhookBody = Type.Object(
  {
    url: fields.url,
    secret: Type.Optional(fields.secret),
    eventTypes: Type.Optional(fields.eventTypes),
    conferenceId: Type.Optional(fields.conferenceId),
    active: Type.Optional(fields.active),
  },
  { additionalProperties: false, examples: [{ url: 'https://chat.example.com/parley/events', eventTypes: ['participant', 'session'] }] },
);

export const UpdateWebhookBody = Type.Partial(Type.Object(fields), {
  additionalProperties: false,
  minProperties: 1,
  examples: [{ active: false }, { secret: 'a-new-secret-of-32-characters-or-so' }],
});

const webhookExample = {
  id: '3f2a9c1e-6b7d-4e21-9a0f-5c8d7e6b4a31',
  url: 'https://chat.example.com/parley/events',
  eventTypes: ['participant', 'session'],
  conferenceId: null,
  active: true,
  createdAt: '2026-11-22T09:00:00.000Z',
  createdBy: null,
};

const webhookFields = {
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  eventTypes: Type.Array(Type.String(), { description: 'empty: all' }),
  conferenceId: Nullable(Type.String()),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Nullable(Type.String({ description: 'the directory user who created it; null: the service token' })),
};

export const WebhookView = Type.Object(webhookFields, { examples: [webhookExample] });

export const CreatedWebhookView = Type.Object(
  { ...webhookFields, secret: Type.String({ description: 'shown only here: keep it to verify Parley-Signature' }) },
  { examples: [{ ...webhookExample, secret: 'whsec_Qm9vdHN0cmFwLXNlY3JldC1leGFtcGxl' }] },
);

export const DeliveryView = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'also the body `id` and the Parley-Event-Id header' }),
    type: Type.String(),
    conferenceId: Type.String({ description: '32-hex meeting ID' }),
    seq: Type.Integer({ description: "the event's number in its conference" }),
    at: Type.String({ format: 'date-time', description: 'when the event happened' }),
    data: Type.Record(Type.String(), Type.Unknown()),
    state: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')]),
    attempts: Type.Integer(),
    nextAttemptAt: Nullable(Type.String({ format: 'date-time', description: 'pending deliveries: when the next attempt is due' })),
    lastStatus: Nullable(Type.Integer({ description: "the receiver's last HTTP status" })),
    lastError: Nullable(Type.String({ description: 'why the last attempt failed' })),
    createdAt: Type.String({ format: 'date-time' }),
    deliveredAt: Nullable(Type.String({ format: 'date-time' })),
  },
  {
    examples: [
      {
        id: '9b1d2c3e-4f50-4a6b-8c7d-0e1f2a3b4c5d',
        type: 'participant',
        conferenceId: '5f1c0a3e9b7d4c2a8e6f1b3d5a7c9e0f',
        seq: 12,
        at: '2026-12-01T17:01:12.000Z',
        data: { id: '0b6f6c1e-8d1a-4e0f-9a57-3c2d1e0f4a5b', displayName: '+1 425 •••• 0123', state: 'connected' },
        state: 'dead',
        attempts: 8,
        nextAttemptAt: null,
        lastStatus: 503,
        lastError: 'HTTP 503',
        createdAt: '2026-12-01T17:01:12.300Z',
        deliveredAt: null,
      },
    ],
  },
);

export const WebhookIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const DeliveryParams = Type.Object({ id: Type.String({ format: 'uuid' }), deliveryId: Type.String({ format: 'uuid' }) });

export const DeliveriesQuery = Type.Object({
  state: Type.Optional(
    Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')], { description: 'dead: the dead-letter list; absent: all' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
});

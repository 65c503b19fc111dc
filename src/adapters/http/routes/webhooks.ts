import { Type } from 'typebox';
import type { WebhookDelivery, WebhookSubscription } from '../../../ports/webhooks.js';
import { ErrorBody } from './common-schemas.js';
import type { HttpApp } from '../types.js';
import {
  CreatedWebhookView,
  CreateWebhookBody,
  DeliveriesQuery,
  DeliveryParams,
  DeliveryView,
  UpdateWebhookBody,
  WebhookIdParams,
  WebhookView,
} from './webhook-schemas.js';

/** Everything but the secret, which only the creating answer shows. */
function webhookView(w: WebhookSubscription) {
  return {
    id: w.id,
    url: w.url,
    eventTypes: [...w.eventTypes],
    conferenceId: w.conferenceId,
    active: w.active,
    createdAt: w.createdAt.toISOString(),
    createdBy: w.createdBy,
  };
}

function deliveryView(d: WebhookDelivery) {
  return {
    id: d.id,
    type: d.type,
    conferenceId: d.conferenceId,
    seq: d.seq,
    at: d.eventAt.toISOString(),
    data: d.payload,
    state: d.state,
    attempts: d.attempts,
    nextAttemptAt: d.state === 'pending' ? d.nextAttemptAt.toISOString() : null,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
  };
}

/** Outgoing webhooks: subscriptions to conference events, and their deliveries. Administrators only. */
export async function webhookRoutes(app: HttpApp): Promise<void> {
  const { webhooks } = app.services;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const tags = ['webhooks'];

  app.post(
    '/api/v1/webhooks',
    {
      schema: {
        tags,
        description: [
          'Subscribe a URL to conference events. Each event is POSTed as JSON `{id, type, conferenceId, seq, at, data}`, signed in',
          '`Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`; anything but a 2xx is retried with',
          'exponential backoff until the delivery is dead (README, "Webhooks"). The secret is in this answer only.',
        ].join(' '),
        body: CreateWebhookBody,
        response: { 201: CreatedWebhookView, ...errors },
      },
    },
    async (request, reply) => {
      const created = await webhooks.create(request.principal, request.body);
      return reply.status(201).send({ ...webhookView(created), secret: created.secret });
    },
  );

  app.get('/api/v1/webhooks', { schema: { tags, description: 'Every webhook subscription, oldest first.', response: { 200: Type.Array(WebhookView), ...errors } } }, async (request) =>
    (await webhooks.list(request.principal)).map(webhookView),
  );

  app.get(
    '/api/v1/webhooks/:id',
    { schema: { tags, description: 'One webhook subscription.', params: WebhookIdParams, response: { 200: WebhookView, ...errors } } },
    async (request) => webhookView(await webhooks.get(request.principal, request.params.id)),
  );

  app.patch(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        description: 'Change the URL, the event types, the conference, the secret (rotation: receivers must accept the new one from now) or pause it (`active: false`).',
        params: WebhookIdParams,
        body: UpdateWebhookBody,
        response: { 200: WebhookView, ...errors },
      },
    },
    async (request) => webhookView(await webhooks.update(request.principal, request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/webhooks/:id',
    { schema: { tags, description: 'Unsubscribe; its deliveries, pending and dead ones too, go with it.', params: WebhookIdParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await webhooks.remove(request.principal, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        description: 'The deliveries of a webhook, newest first; `state=dead` is the dead-letter list (out of attempts, kept until retried or unsubscribed).',
        params: WebhookIdParams,
        querystring: DeliveriesQuery,
        response: { 200: Type.Array(DeliveryView), ...errors },
      },
    },
    async (request) => {
      const { state, limit = 100, offset = 0 } = request.query;
      return (await webhooks.deliveries(request.principal, request.params.id, state, { limit, offset })).map(deliveryView);
    },
  );

  app.post(
    '/api/v1/webhooks/:id/deliveries/:deliveryId/retry',
    {
      schema: {
        tags,
        description: 'Send a dead delivery again now, with a fresh count of attempts (409 delivery-not-dead for pending or delivered ones).',
        params: DeliveryParams,
        response: { 200: DeliveryView, ...errors },
      },
    },
    async (request) => deliveryView(await webhooks.retry(request.principal, request.params.id, request.params.deliveryId)),
  );
}

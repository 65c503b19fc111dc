import type { HttpApp } from '../types.js';
import { ConferenceView, CreateConferenceBody, ErrorBody, MeetingIdParams, UpdateConferenceBody } from '../schemas.js';
import { conferenceView } from '../views.js';

export function conferenceRoutes(app: HttpApp): void {
  const { meetings, conferences } = app.services;
  const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

  app.post(
    '/api/v1/conferences',
    { schema: { tags: ['conferences'], body: CreateConferenceBody, response: { 201: ConferenceView, ...errors } } },
    async (request, reply) => {
      const { startsAt, endsAt, ...rest } = request.body;
      const meeting = await meetings.create(request.principal, {
        ...rest,
        ...(startsAt ? { startsAt: new Date(startsAt) } : {}),
        ...(endsAt ? { endsAt: new Date(endsAt) } : {}),
      });
      return reply.status(201).send(conferenceView(meeting));
    },
  );

  app.get(
    '/api/v1/conferences/:id',
    { schema: { tags: ['conferences'], params: MeetingIdParams, response: { 200: ConferenceView, ...errors } } },
    async (request) => conferenceView(await meetings.get(request.principal, request.params.id)),
  );

  app.patch(
    '/api/v1/conferences/:id',
    {
      schema: {
        tags: ['conferences'],
        description: 'Lock or unlock: a locked conference refuses new callers.',
        params: MeetingIdParams,
        body: UpdateConferenceBody,
        response: { 200: ConferenceView, ...errors },
      },
    },
    async (request) => {
      await meetings.authorize(request.principal, request.params.id);
      await conferences.setLocked(request.params.id, request.body.locked);
      return conferenceView(await meetings.get(request.principal, request.params.id));
    },
  );
}


import type { MeetingSettings } from '../../../meetings/meetings.js';
import type { HttpApp } from '../types.js';
import { ConferenceView, ErrorBody, MeetingIdParams } from './common-schemas.js';
import { CreateConferenceBody, UpdateConferenceBody } from './conference-schemas.js';
import { conferenceView } from '../views.js';

type SettingsBody = { startsAt?: string | null; endsAt?: string | null } & Omit<MeetingSettings, 'startsAt' | 'endsAt'>;

/** ISO strings in the body to Dates; absent stays absent, null stays null. */
function settingsFrom<T extends SettingsBody>({ startsAt, endsAt, ...rest }: T) {
  const date = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : new Date(value));
  return { ...rest, ...(startsAt === undefined ? {} : { startsAt: date(startsAt) }), ...(endsAt === undefined ? {} : { endsAt: date(endsAt) }) };
}

export async function conferenceRoutes(app: HttpApp): Promise<void> {
  const { meetings, control } = app.services;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const tags = ['conferences'];

  app.post(
    '/api/v1/conferences',
    {
      schema: {
        tags,
        description: 'Schedule a meeting (or Meet Now without startsAt). Returns everything an invitation needs.',
        body: CreateConferenceBody,
        response: { 201: ConferenceView, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(conferenceView(await meetings.create(request.principal, settingsFrom(request.body)))),
  );

  app.get(
    '/api/v1/conferences/:id',
    { schema: { tags, description: 'The meeting with its dial-in numbers and join window. Its organiser and leaders.', params: MeetingIdParams, response: { 200: ConferenceView, ...errors } } },
    async (request) => conferenceView(await meetings.withDialIn(await control.requireLeader(request.principal, request.params.id))),
  );

  app.patch(
    '/api/v1/conferences/:id',
    {
      schema: {
        tags,
        description:
          'Lock or unlock (a locked conference refuses new callers), mute the audience, or change the meeting (its invitation SEQUENCE goes up).',
        params: MeetingIdParams,
        body: UpdateConferenceBody,
        response: { 200: ConferenceView, ...errors },
      },
    },
    async (request) => {
      const { locked, audienceMuted, ...changes } = request.body;
      const { principal } = request;
      const { id } = request.params;
      // The meeting is the organiser's; the live state (lock, audience mute) any leader's.
      if (Object.keys(changes).length > 0) await meetings.update(principal, id, settingsFrom(changes));
      if (locked !== undefined) await control.setLocked(principal, id, locked);
      if (audienceMuted !== undefined) await control.setAudienceMuted(principal, id, audienceMuted);
      return conferenceView(await meetings.withDialIn(await control.requireLeader(principal, id)));
    },
  );

  app.delete(
    '/api/v1/conferences/:id',
    {
      schema: {
        tags,
        description: 'Cancel the meeting: no one can join any more, and its invitation becomes a METHOD:CANCEL.',
        params: MeetingIdParams,
        response: { 200: ConferenceView, ...errors },
      },
    },
    async (request) => conferenceView(await meetings.cancel(request.principal, request.params.id)),
  );
}


import { Type } from 'typebox';
import { calendarInvitationBodies, calendarInvitationIcs } from '../../../meetings/calendar-invitation.js';
import { ErrorBody, MeetingIdParams } from './common-schemas.js';
import type { HttpApp } from '../types.js';

export async function calendarInvitationRoutes(app: HttpApp): Promise<void> {
  const { meetings, invitationLinks } = app.services;
  const tags = ['invitations'];

  app.get(
    '/api/v1/conferences/:id/invitation.ics',
    {
      schema: {
        tags,
        description: 'The iCalendar invitation (METHOD:REQUEST, or METHOD:CANCEL once cancelled), with the dial-in block.',
        params: MeetingIdParams,
        produces: ['text/calendar'],
        response: { 200: Type.String(), 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const meeting = await meetings.get(request.principal, request.params.id);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="${meeting.conference.id}.ics"`)
        .send(calendarInvitationIcs(meeting, invitationLinks));
    },
  );

  app.get(
    '/api/v1/conferences/:id/invitation',
    {
      schema: {
        tags,
        description: 'The invitation e-mail: subject, plain-text and HTML bodies.',
        params: MeetingIdParams,
        response: { 200: Type.Object({ subject: Type.String(), text: Type.String(), html: Type.String() }), 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => calendarInvitationBodies(await meetings.get(request.principal, request.params.id), invitationLinks),
  );
}

import { Type } from 'typebox';
import type { AudioInvitation } from '../../../domain/audio-invitation.js';
import { oneTapUri } from '../../../meetings/calendar-invitation.js';
import type { HttpApp } from '../types.js';
import { AddAudioBody, AddAudioView, AnswerBody, InvitationParams, InvitationView, InvitedView, InviteMoreBody, JoinView } from './audio-invitation-schemas.js';
import { ErrorBody, MeetingIdParams } from './common-schemas.js';
import { conferenceView, participantView } from '../views.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const tags = ['add audio'];

/** The seed's "add audio to a conversation", and invitations in: what the IM/web side calls. */
export async function audioInvitationRoutes(app: HttpApp): Promise<void> {
  const { audioInvitations: invitations, invitationLinks } = app.services;
  const view = (i: AudioInvitation) => ({
    id: i.id,
    conference: i.conferenceId,
    conversationId: i.conversationId,
    inviteeUserId: i.inviteeUserId,
    displayName: i.displayName,
    guest: i.email !== null,
    state: i.state,
    participantId: i.participantId,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
    respondedAt: i.respondedAt?.toISOString() ?? null,
    joinUrl: invitationLinks.joinUrl(i.id),
  });

  app.post(
    '/api/v1/audio-conferences',
    {
      schema: {
        tags,
        description:
          'Add audio to an IM or web conversation: parley makes an unscheduled conference (the requester leads it), calls the requester at the number they chose (answering joins them), calls the phone numbers given (they press 1 to join), invites the directory users (pending until they accept, decline or redirect; expired when nobody answers in time) and gives guests a join link. Every refusal (a bad number, the dial-out policy, an unknown user) comes before anything is made.',
        body: AddAudioBody,
        response: { 201: AddAudioView, ...errors },
      },
    },
    async (request, reply) => {
      const made = await invitations.addAudio(request.principal, request.body);
      return reply.status(201).send({
        conference: conferenceView(made.meeting),
        requester: participantView(made.requester),
        invitations: made.invitations.map(view),
        called: made.called.map(participantView),
      });
    },
  );

  app.post(
    '/api/v1/conferences/:id/invitations',
    {
      schema: {
        tags,
        description: 'Leaders: invite more people to a conference in progress (directory users, guests by e-mail, phone numbers), as for add audio. Inviting someone whose invitation is still pending returns that one.',
        params: MeetingIdParams,
        body: InviteMoreBody,
        response: { 201: InvitedView, ...errors },
      },
    },
    async (request, reply) => {
      const { participants, conversationId } = request.body;
      const invited = await invitations.invite(request.principal, request.params.id, participants, conversationId);
      return reply.status(201).send({ invitations: invited.invitations.map(view), called: invited.called.map(participantView) });
    },
  );

  app.get(
    '/api/v1/conferences/:id/invitations',
    { schema: { tags, description: 'Everyone invited to the conference and how each invitation stands. Leaders and participants.', params: MeetingIdParams, response: { 200: Type.Array(InvitationView), ...errors } } },
    async (request) => (await invitations.list(request.principal, request.params.id)).map(view),
  );

  app.get(
    '/api/v1/invitations',
    {
      schema: {
        tags,
        description: 'The signed-in user\'s invitations waiting for an answer, newest first; with the service token, those of `userId`.',
        querystring: Type.Object({ userId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }),
        response: { 200: Type.Array(InvitationView), ...errors },
      },
    },
    async (request) => (await invitations.pendingFor(request.principal, request.query.userId)).map(view),
  );

  app.get(
    '/api/v1/invitations/:invitationId',
    { schema: { tags, description: 'One invitation: its invitee, or a leader or participant of its conference.', params: InvitationParams, response: { 200: InvitationView, ...errors } } },
    async (request) => view(await invitations.get(request.principal, request.params.invitationId)),
  );

  app.put(
    '/api/v1/invitations/:invitationId/response',
    {
      schema: {
        tags,
        description:
          'The invitee (or the IM side with the service token) answers: accept (parley calls the chosen published number, or the given one, else their first published number), decline (no phone rings), or redirect (parley calls the number given). 409 invitation-answered, invitation-expired; the dial-out policy applies as if the invitee dialled.',
        params: InvitationParams,
        body: AnswerBody,
        response: { 200: InvitationView, ...errors },
      },
    },
    async (request) => view(await invitations.answer(request.principal, request.params.invitationId, request.body)),
  );
}

/** The join link's data: no token needed, the invitation's ID is the key (a random UUID). */
export async function joinRoutes(app: HttpApp): Promise<void> {
  const { audioInvitations: invitations, invitationLinks } = app.services;
  app.get(
    '/api/v1/join/:invitationId',
    {
      schema: {
        tags,
        security: [],
        description: 'What a guest\'s join link shows: the dial-in numbers with one-tap links, the conference ID, the passcode and the conference\'s SIP address. 404 once the invitation is withdrawn or the conference has ended.',
        params: InvitationParams,
        response: { 200: JoinView, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { conference, dialIn, organizer } = await invitations.joinDetails(request.params.invitationId);
      reply.header('cache-control', 'no-store');
      return {
        subject: conference.subject,
        conferenceId: conference.conferenceId,
        passcode: conference.passcode,
        dialIn: dialIn.map((n) => ({ number: n.number, display: n.display, region: n.region, languages: [...n.languages], tel: oneTapUri(n, conference.conferenceId, conference.passcode) })),
        sipUri: invitationLinks.sipUri(conference.conferenceId),
        startsAt: conference.startsAt?.toISOString() ?? null,
        endsAt: conference.endsAt?.toISOString() ?? null,
        timeZone: conference.timeZone,
        organizer: organizer?.displayName ?? null,
      };
    },
  );
}

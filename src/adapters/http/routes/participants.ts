import type { HttpApp } from '../types.js';
import { ErrorBody, MeetingIdParams, ParticipantParams, ParticipantView } from './common-schemas.js';
import { AdmitBody, AdmitView, CallMeBody, DenyBody, InviteBody, UpdateParticipantBody } from './participant-schemas.js';
import { EndView } from './live-schemas.js';
import { participantView } from '../views.js';
import { Type } from 'typebox';

/** The roster and what leaders do to it. Reading needs a seat in the conference; acting needs a leader. */
export async function participantRoutes(app: HttpApp): Promise<void> {
  const { control, dialOut, audioInvitations } = app.services;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
  const tags = ['participants'];

  app.get(
    '/api/v1/conferences/:id/participants',
    {
      schema: {
        tags,
        description: 'The roster: everyone who has called in, in the order they arrived, with their state. Leaders and participants of this conference.',
        params: MeetingIdParams,
        response: { 200: Type.Array(ParticipantView), ...errors },
      },
    },
    async (request) => {
      return (await control.access(request.principal, request.params.id)).roster.map(participantView);
    },
  );

  app.post(
    '/api/v1/conferences/:id/participants',
    {
      schema: {
        tags,
        description:
          'Leaders: have parley call someone into the conference. The roster shows them `inviting`, then `ringing`, then `connected`; or, as `disconnected`, how it ended (endReason busy, no-answer, declined, failed, not-accepted). The called person hears who invites them and presses 1 to join. Refused before any call is placed when the dial-out policy does not allow the number (403 dial-out-not-allowed, number-blocked) or it is no phone number (400 invalid-phone-number), and when too many calls were placed (429 dial-out-limit: per user or per deployment, per minute or at once).',
        params: MeetingIdParams,
        body: InviteBody,
        response: { 201: ParticipantView, ...errors },
      },
    },
    async (request, reply) => {
      const invited = await dialOut.invite(request.principal, request.params.id, request.body);
      return reply.status(201).send(participantView(invited));
    },
  );

  app.post(
    '/api/v1/conferences/:id/call-me',
    {
      schema: {
        tags,
        description:
          'Leaders who are signed-in users: "Call me". parley calls your own number from the directory and, when you answer, you are in the conference as a leader (no key to press). The roster shows you `inviting`, `ringing`, then `connected`. The number passes the dial-out policy and limits as any call parley places (403, 429 as for calling someone in); 409 no-phone-number when the directory has none, 409 already-on-call when you are on the call or being called.',
        params: MeetingIdParams,
        body: CallMeBody,
        response: { 201: ParticipantView, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(participantView(await dialOut.callMe(request.principal, request.params.id, request.body.phone))),
  );

  app.patch(
    '/api/v1/conferences/:id/participants/:participantId',
    {
      schema: {
        tags,
        description:
          'Leaders: mute or unmute a participant (they hear a prompt saying so), or promote / demote them. A promoted directory user is a leader again when they dial in again.',
        params: ParticipantParams,
        body: UpdateParticipantBody,
        response: { 200: ParticipantView, ...errors },
      },
    },
    async (request) => {
      const { id, participantId } = request.params;
      const { muted, role } = request.body;
      let updated;
      if (role !== undefined) updated = await control.setRole(request.principal, id, participantId, role);
      if (muted !== undefined) updated = await control.mute(request.principal, id, participantId, muted);
      return participantView(updated!);
    },
  );

  app.delete(
    '/api/v1/conferences/:id/participants/:participantId',
    {
      schema: {
        tags,
        description:
          'Leaders: eject. The caller hears that they were removed, then the call ends. They may dial in again unless the conference is locked. For someone parley is still calling (inviting, ringing, or hearing the invitation): cancels the invitation, and the phone stops ringing.',
        params: ParticipantParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { id, participantId } = request.params;
      const { roster } = await control.access(request.principal, id);
      const participant = roster.find((p) => p.id === participantId);
      if (participant && dialOut.isPending(participant)) await dialOut.cancel(request.principal, id, participant);
      else await control.eject(request.principal, id, participantId);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/conferences/:id/participants',
    {
      schema: {
        tags,
        description:
          'Leaders: end the conference for everyone. Every caller hears that it has ended and is hung up; the meeting stays and can be joined again.',
        params: MeetingIdParams,
        response: { 200: EndView, ...errors },
      },
    },
    async (request) => {
      const ended = await control.end(request.principal, request.params.id);
      await audioInvitations.conferenceEnded(request.params.id);
      return { ended };
    },
  );

  app.post(
    '/api/v1/conferences/:id/lobby/admit',
    {
      schema: {
        tags,
        description: 'Leaders: let callers waiting in the lobby into the meeting: one (participantId) or everyone, as *8 does.',
        params: MeetingIdParams,
        body: AdmitBody,
        response: { 200: AdmitView, ...errors },
      },
    },
    async (request) => ({ admitted: await control.admit(request.principal, request.params.id, request.body.participantId) }),
  );

  app.post(
    '/api/v1/conferences/:id/lobby/deny',
    {
      schema: {
        tags,
        description:
          'Leaders: turn one caller waiting in the lobby away. They hear that a leader removed them, and the call ends (endReason lobby-denied). 409 participant-not-waiting when nobody by that ID waits.',
        params: MeetingIdParams,
        body: DenyBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await control.deny(request.principal, request.params.id, request.body.participantId);
      return reply.code(204).send(null);
    },
  );
}

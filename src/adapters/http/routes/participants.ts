import type { HttpApp } from '../types.js';
import { AdmitBody, AdmitView, ErrorBody, MeetingIdParams, ParticipantParams, ParticipantView, UpdateParticipantBody } from '../schemas.js';
import { participantView } from '../views.js';
import { Type } from 'typebox';

export function participantRoutes(app: HttpApp): void {
  const { meetings, conferences, participants } = app.services;
  const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  app.get(
    '/api/v1/conferences/:id/participants',
    {
      schema: {
        tags: ['participants'],
        description: 'The roster: everyone who has called in, in the order they arrived, with their state.',
        params: MeetingIdParams,
        response: { 200: Type.Array(ParticipantView), ...errors },
      },
    },
    async (request) => {
      await meetings.authorize(request.principal, request.params.id);
      return (await participants.list(request.params.id)).map(participantView);
    },
  );

  app.patch(
    '/api/v1/conferences/:id/participants/:participantId',
    {
      schema: {
        tags: ['participants'],
        description: 'Mute or unmute a participant; they hear a prompt saying so.',
        params: ParticipantParams,
        body: UpdateParticipantBody,
        response: { 200: ParticipantView, ...errors },
      },
    },
    async (request) => {
      const { id, participantId } = request.params;
      await meetings.authorize(request.principal, id);
      return participantView(await conferences.setMuted(id, participantId, request.body.muted, 'leader'));
    },
  );

  app.delete(
    '/api/v1/conferences/:id/participants/:participantId',
    {
      schema: {
        tags: ['participants'],
        description: 'Eject: the caller hears that they were removed, then the call ends. They may dial in again unless the conference is locked.',
        params: ParticipantParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await meetings.authorize(request.principal, request.params.id);
      await conferences.eject(request.params.id, request.params.participantId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/conferences/:id/lobby/admit',
    {
      schema: {
        tags: ['participants'],
        description: 'Let callers waiting in the lobby into the meeting: one (participantId) or everyone, as *8 does.',
        params: MeetingIdParams,
        body: AdmitBody,
        response: { 200: AdmitView, ...errors },
      },
    },
    async (request) => {
      await meetings.authorize(request.principal, request.params.id);
      return { admitted: await conferences.admitLobby(request.params.id, request.body.participantId) };
    },
  );
}

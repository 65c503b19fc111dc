import { Type } from 'typebox';
import type { HttpApp } from '../types.js';
import { ErrorBody, MeetingIdParams } from './common-schemas.js';
import { InvitationParams } from './audio-invitation-schemas.js';

const tags = ['browser audio'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

export const BrowserAudioGrant = Type.Object(
  {
    username: Type.String({ description: 'the SIP username of this one join (an endpoint made for it, removed when the call ends)' }),
    password: Type.String({ description: 'its password, in this answer only' }),
    sipUri: Type.String({ description: 'whom to call: the conference’s SIP address' }),
    websocketPath: Type.String({ description: 'the WebSocket on this server that carries the SIP (RFC 7118, subprotocol "sip")' }),
    displayName: Type.String(),
  },
  { examples: [{ username: 'web-3f9a1c2b7d4e5f60', password: 'kq3R8vN1xT0bLw7ZpY2aJd9c', sipUri: 'sip:4821937@pbx.example.com:5060', websocketPath: '/sip-ws', displayName: 'Ann Lee' }] },
);

const GuestBody = Type.Object(
  { displayName: Type.String({ minLength: 1, maxLength: 60, description: 'the name the others see on the roster' }) },
  { additionalProperties: false, examples: [{ displayName: 'Pat from Contoso' }] },
);

/** "Join audio from this browser": a signed-in user's (leader panel) and a guest's (join page). */
export async function browserAudioRoutes(app: HttpApp): Promise<void> {
  const { browserAudio, control } = app.services;
  app.post(
    '/api/v1/conferences/:id/browser-audio',
    {
      schema: {
        tags,
        description:
          'A signed-in leader or participant of this conference joins from the browser (WebRTC): one-time SIP credentials for the page, which calls the conference over the WebSocket. They join as themselves, as a registered SIP phone does; the meeting’s access rules apply as for a phone. A service token cannot join.',
        params: MeetingIdParams,
        response: { 201: BrowserAudioGrant, ...errors },
      },
    },
    async (request, reply) => {
      const { conference } = await control.access(request.principal, request.params.id);
      reply.header('cache-control', 'no-store').code(201);
      return browserAudio.forUser(request.principal, conference);
    },
  );
}

/** A guest's join page (no token: the invitation's ID is the key). */
export async function guestBrowserAudioRoutes(app: HttpApp): Promise<void> {
  const { browserAudio, audioInvitations } = app.services;
  app.post(
    '/api/v1/join/:invitationId/browser-audio',
    {
      schema: {
        tags,
        security: [],
        description: 'A guest on an invitation’s join page joins from the browser: one-time SIP credentials for that conference only, joined under the name given, with its passcode known (nothing to key). 404 once the invitation is withdrawn or the conference has ended.',
        params: InvitationParams,
        body: GuestBody,
        response: { 201: BrowserAudioGrant, ...errors },
      },
    },
    async (request, reply) => {
      const { conference } = await audioInvitations.joinDetails(request.params.invitationId);
      reply.header('cache-control', 'no-store').code(201);
      return browserAudio.forGuest(conference, request.body.displayName);
    },
  );
}

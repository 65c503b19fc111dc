import { Type } from 'typebox';
import type { CallForwardingSettings, Presence } from '../../../domain/call-routing.js';
import { CallForwardingBody, CallForwardingView, IssuedSipDeviceView, PresenceBody, PresenceView, SipDeviceView, VoicemailParams, VoicemailView } from './call-forwarding-schemas.js';
import type { Voicemail } from '../../../ports/voicemail-store.js';
import { UserIdParams } from './directory-schemas.js';
import { ErrorBody } from './common-schemas.js';
import type { HttpApp } from '../types.js';

function presenceView(presence: Presence) {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return { state: presence.state, since: iso(presence.since), until: iso(presence.until) };
}

function voicemailView(v: Voicemail) {
  return { id: v.id, callerNumber: v.callerNumber, callerName: v.callerName, seconds: v.seconds, createdAt: v.createdAt.toISOString() };
}

function settingsView(settings: CallForwardingSettings) {
  return { ...settings, teamMembers: [...settings.teamMembers], delegates: [...settings.delegates] };
}

export async function callForwardingRoutes(app: HttpApp): Promise<void> {
  const { callForwarding, sipDevices, voicemails } = app.services;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const tags = ['call forwarding'];

  app.get(
    '/api/v1/users/:id/call-forwarding',
    {
      schema: {
        tags,
        description: 'The user’s call forwarding, simultaneous ring, Team-call group and delegates (the user or an administrator). Colleagues since removed are left out.',
        params: UserIdParams,
        response: { 200: CallForwardingView, ...errors },
      },
    },
    async (request) => settingsView(await callForwarding.settings(request.principal, request.params.id)),
  );

  app.put(
    '/api/v1/users/:id/call-forwarding',
    {
      schema: {
        tags,
        description:
          'Replace the settings (the user or an administrator). Phone numbers are normalised to E.164 in the user’s region; named users must exist. ' +
          'Refusals: invalid-forwarding (400, every problem by field), forwarding-loop (409: the call would come back to this user, directly or through colleagues), ' +
          'number-blocked (403: a blocked prefix or number type — premium rate, shared cost, satellite by default) and dial-out-not-allowed (403: outside the user’s dial-out scope), every number judged as a dial-out by this user.',
        params: UserIdParams,
        body: CallForwardingBody,
        response: { 200: CallForwardingView, ...errors },
      },
    },
    async (request) => settingsView(await callForwarding.change(request.principal, request.params.id, request.body)),
  );

  app.get(
    '/api/v1/users/:id/presence',
    {
      schema: { tags, description: 'The user’s presence state now (the user or an administrator); a state past its `until` reads as available.', params: UserIdParams, response: { 200: PresenceView, ...errors } },
    },
    async (request) => presenceView(await callForwarding.presence(request.principal, request.params.id)),
  );

  app.put(
    '/api/v1/users/:id/presence',
    {
      schema: {
        tags,
        description: 'Set the presence state by hand (the user or an administrator), optionally until a time. Do Not Disturb lets only Team members ring through.',
        params: UserIdParams,
        body: PresenceBody,
        response: { 200: PresenceView, ...errors },
      },
    },
    async (request) => presenceView(await callForwarding.setPresence(request.principal, request.params.id, request.body)),
  );

  app.get(
    '/api/v1/users/:id/sip-device',
    {
      schema: {
        tags,
        description: 'The SIP credentials the user’s phones register with (without the password). Every phone registered with them rings when the user is called.',
        params: UserIdParams,
        response: { 200: SipDeviceView, ...errors },
      },
    },
    async (request) => sipDevices.get(request.principal, request.params.id),
  );

  app.put(
    '/api/v1/users/:id/sip-device',
    {
      schema: {
        tags,
        description: 'Create the user’s SIP credentials, or give them a new password (the username stays; phones registered with the old password stop working). The password is in this answer only.',
        params: UserIdParams,
        response: { 200: IssuedSipDeviceView, ...errors },
      },
    },
    async (request) => sipDevices.issue(request.principal, request.params.id),
  );

  app.delete(
    '/api/v1/users/:id/sip-device',
    {
      schema: { tags, description: 'Remove the user’s SIP credentials: their phones are no longer registered or rung.', params: UserIdParams, response: { 204: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      await sipDevices.remove(request.principal, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/users/:id/voicemails',
    {
      schema: { tags, description: 'Messages callers left when nobody answered (the user or an administrator), newest first.', params: UserIdParams, response: { 200: Type.Array(VoicemailView), ...errors } },
    },
    async (request) => (await voicemails.list(request.principal, request.params.id)).map(voicemailView),
  );

  app.get(
    '/api/v1/users/:id/voicemails/:voicemailId/audio',
    {
      schema: { tags, description: 'Listen to a message (audio/wav).', params: VoicemailParams, produces: ['audio/wav'], response: { 200: Type.Unknown({ description: 'WAV audio' }), ...errors } },
    },
    async (request, reply) => {
      const audio = await voicemails.audio(request.principal, request.params.id, request.params.voicemailId);
      return reply.type('audio/wav').header('content-disposition', `attachment; filename="voicemail-${request.params.voicemailId}.wav"`).send(audio);
    },
  );

  app.delete(
    '/api/v1/users/:id/voicemails/:voicemailId',
    { schema: { tags, description: 'Delete a message and its audio.', params: VoicemailParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await voicemails.remove(request.principal, request.params.id, request.params.voicemailId);
      return reply.status(204).send(null);
    },
  );
}

import { Type } from 'typebox';
import { DomainError } from '../../../domain/errors.js';
import type { Recording } from '../../../ports/recordings.js';
import type { HttpApp } from '../types.js';
import { ErrorBody, MeetingIdParams, Nullable } from './common-schemas.js';

const RecordingView = Type.Object(
  {
    id: Type.String(),
    startedAt: Type.String({ format: 'date-time' }),
    endedAt: Nullable(Type.String({ format: 'date-time' })),
    recording: Type.Boolean({ description: 'still running' }),
    available: Type.Boolean({ description: 'ended and not yet deleted for retention: the audio can be downloaded' }),
    durationSeconds: Nullable(Type.Integer()),
  },
  { examples: [{ id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', startedAt: '2026-12-01T17:02:00.000Z', endedAt: '2026-12-01T17:30:12.000Z', recording: false, available: true, durationSeconds: 1692 }] },
);

function recordingView(r: Recording) {
  return {
    id: r.id,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    recording: r.endedAt === null,
    available: r.endedAt !== null && r.purgedAt === null,
    durationSeconds: r.endedAt ? Math.round((r.endedAt.getTime() - r.startedAt.getTime()) / 1000) : null,
  };
}

/** Conference recording: start and stop (the conference's one current recording), list, download. Leaders only. */
export async function recordingRoutes(app: HttpApp): Promise<void> {
  const { control, recordings } = app.services;
  const errors = { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const tags = ['recordings'];
  const RecordingParams = Type.Object({ id: MeetingIdParams.properties.id, recordingId: Type.String({ format: 'uuid' }) });

  app.put(
    '/api/v1/conferences/:id/recording',
    {
      schema: {
        tags,
        description: 'Start recording the conference. Everyone hears that it is being recorded, and so does everyone who joins while it runs.',
        params: MeetingIdParams,
        response: { 201: RecordingView, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(recordingView(await control.startRecording(request.principal, request.params.id))),
  );

  app.delete(
    '/api/v1/conferences/:id/recording',
    {
      schema: { tags, description: 'Stop recording; everyone hears that it stopped.', params: MeetingIdParams, response: { 200: RecordingView, ...errors } },
    },
    async (request) => recordingView(await control.stopRecording(request.principal, request.params.id)),
  );

  app.get(
    '/api/v1/conferences/:id/recordings',
    {
      schema: {
        tags,
        description: 'The conference recordings, oldest first; files are deleted after the retention period (RECORDING_RETENTION_DAYS).',
        params: MeetingIdParams,
        response: { 200: Type.Array(RecordingView), ...errors },
      },
    },
    async (request) => {
      await control.requireLeader(request.principal, request.params.id);
      return (await recordings.store.list(request.params.id)).map(recordingView);
    },
  );

  app.get(
    '/api/v1/conferences/:id/recordings/:recordingId/audio',
    {
      schema: {
        tags,
        description: 'Download a finished recording (audio/wav).',
        params: RecordingParams,
        produces: ['audio/wav'],
        response: { 200: Type.Unknown({ description: 'WAV audio' }), ...errors },
      },
    },
    async (request, reply) => {
      const { id, recordingId } = request.params;
      await control.requireLeader(request.principal, id);
      const recording = await recordings.store.get(recordingId);
      if (recording?.conferenceId !== id) throw new DomainError('recording-not-found', `no recording ${recordingId}`);
      if (recording.endedAt === null) throw new DomainError('recording-running', 'the recording is still running; stop it first');
      const file = recording.purgedAt ? undefined : await recordings.files.open(recording.name, recording.format);
      if (!file) throw new DomainError('recording-not-found', 'the recording was deleted after the retention period');
      return reply
        .type('audio/wav')
        .header('content-disposition', `attachment; filename="conference-${recording.startedAt.toISOString().replace(/[:.]/g, '-')}.wav"`)
        .send(file);
    },
  );
}

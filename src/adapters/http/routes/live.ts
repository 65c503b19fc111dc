import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import { DomainError } from '../../../domain/errors.js';
import type { Principal } from '../../../domain/user.js';
import { bearerToken } from '../auth.js';
import { samePrincipal, StreamLimits, type StreamSettings } from '../stream-guard.js';
import type { HttpApp } from '../types.js';
import { AuditEntryView, HistoryView, LiveView, REFUSED_IN_HISTORY } from './live-schemas.js';
import { ErrorBody, MeetingIdParams } from './common-schemas.js';
import { auditView, callRecordView, eventView, liveView, participantView, refusedView, sessionView } from '../views.js';
import { runInBackground } from '../../../ports/background.js';

const BATCH = 500;
const HEARTBEAT_MS = 15_000;
/** A busy stream re-checks access before a delivery at most this often (the timer covers quiet ones). */
const DELIVERY_RECHECK_MS = 1000;

/**
 * The live conference: a snapshot, the event stream (Server-Sent Events), the audit log and the call
 * records. SSE because the flow is one way, browsers reconnect by themselves sending Last-Event-ID,
 * and it passes proxies as plain HTTP; leaders act through the ordinary API.
 */
export async function liveRoutes(app: HttpApp, streamSettings: StreamSettings): Promise<void> {
  const { control, participants, events, meetings, audit, history, recordings, sessions, refusals } = app.services;
  const limits = new StreamLimits(streamSettings.maxPerUser);
  const errors = { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
  const tags = ['live'];
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  async function snapshot(principal: Principal, id: string) {
    // The sequence number first: anything after it is in the stream, even if the snapshot shows it too.
    const seq = await events.log.latest(id);
    const { conference, roster, access } = await control.access(principal, id);
    const [meeting, recording] = await Promise.all([meetings.withDialIn(conference), recordings.store.running(id)]);
    return {
      seq,
      access,
      you: roster.filter((p) => principal.kind === 'user' && p.userId === principal.user.id && p.state !== 'disconnected').map((p) => p.id),
      conference: {
        id: conference.id,
        conferenceId: conference.conferenceId,
        subject: conference.subject,
        // Leaders may read it out to someone; participants were told it already, and the page hides it until asked.
        passcode: access === 'leader' ? conference.passcode : null,
        recording: recording !== undefined,
        recordingSince: recording ? recording.startedAt.toISOString() : null,
        ...liveView(conference),
      },
      dialIn: meeting.dialIn.map((n) => ({ number: n.number, display: n.display, region: n.region, languages: [...n.languages] })),
      participants: roster.map(participantView),
    };
  }

  app.get(
    '/api/v1/conferences/:id/live',
    {
      schema: {
        tags,
        description: 'The live conference at one moment, with the sequence number to resume the event stream after.',
        params: MeetingIdParams,
        response: { 200: LiveView, ...errors },
      },
    },
    (request) => snapshot(request.principal, request.params.id),
  );

  app.get(
    '/api/v1/conferences/:id/events',
    {
      schema: {
        tags,
        description: [
          'Server-Sent Events (text/event-stream): `participant`, `conference`, `session`, `recording` and `invitation` (add audio) events in order, each with `id:` its',
          'sequence number. Resume with the Last-Event-ID header (or `after`); without either, or when the events asked for were purged, the',
          'stream starts with a `snapshot` event (the body of GET …/live). Leaders and participants of this conference.',
          'The stream ends, after a `revoked` event, within seconds of its session ending or its user losing access to the conference;',
          'one user may hold MAX_STREAMS_PER_USER streams at once (more: 429 too-many-streams).',
        ].join(' '),
        params: MeetingIdParams,
        querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }),
        response: { ...errors, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await control.access(request.principal, id);
      // Fastify answers HEAD with this handler: the stream's headers, and no stream that would never end.
      if (request.method === 'HEAD') {
        reply.hijack();
        reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' }).end();
        return;
      }
      const release = limits.acquire(request.principal);
      const token = bearerToken(request)!;
      // Signed out, expired, deleted or no longer in the meeting: the stream ends (an open stream is no pass).
      const stillAllowed = async (): Promise<boolean> => {
        const principal = await sessions.authenticate(token);
        if (!principal || !samePrincipal(principal, request.principal)) return false;
        try {
          await control.access(principal, id);
          return true;
        } catch (error) {
          if (error instanceof DomainError) return false;
          throw error;
        }
      };
      let checkedAt = Date.now();
      const header = Number(request.headers['last-event-id']);
      let last: number | undefined = Number.isSafeInteger(header) && header >= 0 ? header : request.query.after;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      raw.write('retry: 2000\n\n');
      streams.add(raw);
      raw.on('close', release);
      if (raw.destroyed) release();
      const send = (seq: number, type: string, data: unknown) => raw.write(`id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
      const sendSnapshot = async () => {
        const view = await snapshot(request.principal, id);
        send(view.seq, 'snapshot', view);
        last = view.seq;
      };

      let running = false;
      let again = false;
      const pump = async (): Promise<void> => {
        if (running) {
          again = true;
          return;
        }
        running = true;
        try {
          do {
            again = false;
            if (Date.now() - checkedAt >= DELIVERY_RECHECK_MS) {
              checkedAt = Date.now();
              if (!(await stillAllowed())) {
                revoke();
                return;
              }
            }
            if (last === undefined) await sendSnapshot();
            const batch = await events.log.after(id, last!, BATCH);
            if (batch === 'gone') {
              await sendSnapshot();
              again = true;
              continue;
            }
            for (const event of batch) send(event.seq, event.type, eventView(event));
            if (batch.length > 0) last = batch.at(-1)!.seq;
            if (batch.length === BATCH) again = true;
          } while (again && !raw.destroyed);
        } catch (error) {
          request.log.warn({ err: error, conference: id }, 'event stream failed; closing it (the client resumes)');
          raw.end();
        } finally {
          running = false;
        }
      };
      const revoke = () => {
        request.log.info({ conference: id }, 'event stream closed: access is gone');
        raw.write('event: revoked\ndata: {"code":"access-revoked"}\n\n');
        raw.end();
      };
      const recheck = async () => {
        checkedAt = Date.now();
        try {
          if (!(await stillAllowed())) revoke();
        } catch (error) {
          request.log.warn({ err: error, conference: id }, 'event stream access check failed; closing it (the client resumes)');
          raw.end();
        }
      };
      const unsubscribe = events.feed.subscribe(id, () => runInBackground(request.log, 'event stream', pump(), { conference: id }));
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const rechecks = setInterval(() => runInBackground(request.log, 'event stream access check', recheck(), { conference: id }), streamSettings.recheckMs);
      raw.on('close', () => {
        unsubscribe();
        clearInterval(heartbeat);
        clearInterval(rechecks);
        streams.delete(raw);
      });
      await pump();
    },
  );

  app.get(
    '/api/v1/conferences/:id/audit',
    {
      schema: {
        tags,
        description: 'Leaders: who did what in this conference, and when (API, panel and keypad), oldest first.',
        params: MeetingIdParams,
        response: { 200: Type.Array(AuditEntryView), ...errors },
      },
    },
    async (request) => {
      await control.requireLeader(request.principal, request.params.id);
      return (await audit.list(request.params.id)).map(auditView);
    },
  );

  app.get(
    '/api/v1/conferences/:id/history',
    {
      schema: {
        tags,
        description:
          'Leaders: call detail records. Each gathering (start, end, peak participants, ended by) and each participant (join, leave, duration, authentication, language, how it ended).',
        params: MeetingIdParams,
        response: { 200: HistoryView, ...errors },
      },
    },
    async (request) => {
      await control.requireLeader(request.principal, request.params.id);
      const [sessions, roster, refused] = await Promise.all([
        history.list(request.params.id),
        participants.list(request.params.id),
        refusals.list(request.params.id, REFUSED_IN_HISTORY),
      ]);
      return { sessions: sessions.map(sessionView), participants: roster.map(callRecordView), refused: refused.map(refusedView) };
    },
  );
}

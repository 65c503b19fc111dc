import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors.js';

/** Marks a request one instance passed to another: it is served where it arrives, never passed on again. */
const FORWARDED = 'x-parley-forwarded-by';
/** Hop-by-hop and framing headers are the sender's own business. */
const NOT_PASSED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'accept-encoding']);
/** A browser's audio session is made where its page is served (its SIP goes through this instance). */
const SERVED_HERE = /^\/api\/v1\/conferences\/[^/]+\/browser-audio$/;

export interface ConferenceOwners {
  /** The API address of the instance that drives the conference's media node, when that is another instance. */
  elsewhere(conferenceId: string): Promise<string | undefined>;
  /** This instance's name, for the forwarded request's mark. */
  readonly instance: string;
}

/**
 * A cluster: a command on a live conference (mute, eject, lock, dial out, record…) is carried out by the
 * instance that owns the conference's media node, where its calls and bridge are; any instance takes the
 * request and passes it there, after checking who asks. Reads are answered from the database anywhere.
 */
export function forwardToOwners(app: FastifyInstance, owners: ConferenceOwners): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.headers[FORWARDED] !== undefined) return;
    const path = request.url.split('?')[0] ?? '';
    const match = /^\/api\/v1\/conferences\/([^/]+)\/./.exec(path);
    if (!match || SERVED_HERE.test(path)) return;
    const owner = await owners.elsewhere(decodeURIComponent(match[1]!));
    if (!owner) return;
    const headers: Record<string, string> = { [FORWARDED]: owners.instance };
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !NOT_PASSED.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const body = request.body === undefined || request.body === null ? undefined : JSON.stringify(request.body);
    // The owner died a moment ago (another instance takes its nodes within a lease's life): the client
    // is told to try again, as when Asterisk is away, not given a 500.
    const answer = await fetch(`${owner}${request.url}`, { method: request.method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(15_000) }).catch(() => {
      throw new DomainError('telephony-unavailable', 'the parley instance driving this conference does not answer; try again in a few seconds');
    });
    reply.code(answer.status);
    const type = answer.headers.get('content-type');
    if (type) reply.header('content-type', type);
    return reply.send(Buffer.from(await answer.arrayBuffer()));
  });
}

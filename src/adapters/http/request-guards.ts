import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { errorBody, RequestError } from './errors.js';

/**
 * Request checks Fastify does not make by itself, so that bad input is a 4xx with our error shape and never reaches
 * PostgreSQL as something it cannot store (a NUL character) or as a value we did not mean (a coerced type).
 */

/**
 * Bodies are JSON and must carry the declared types ({"subject":123} is refused, not stored as "123"); query strings
 * and path parameters are text, so numbers and booleans there are still read from it.
 */
export const validatorOptions: Pick<FastifyServerOptions, 'ajv' | 'schemaController'> = {
  ajv: { customOptions: { removeAdditional: false } },
  schemaController: {
    compilersFactory: {
      buildValidator: (() => {
        const pool = AjvCompiler();
        const build: AjvCompiler.ValidatorFactory = (externalSchemas, options) => {
          const body = pool(externalSchemas, { ...options, customOptions: { ...options?.customOptions, coerceTypes: false } } as typeof options);
          const text = pool(externalSchemas, options);
          return (route) => (route.httpPart === 'body' ? body(route) : text(route));
        };
        return build;
      })(),
    },
  },
};

/** Fastify's answers to URLs it cannot route, in our error shape. */
export function frameworkErrors(error: Error & { code?: string }, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(414).send(errorBody('uri-too-long', 'a path segment is too long'));
    return;
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    void reply.status(400).send(errorBody('bad-url', 'the URL is not validly percent-encoded'));
    return;
  }
  void reply.status(400).send(errorBody('bad-request', error.message));
}

const NUL = '\u0000';

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([key, inner]) => key.includes(NUL) || containsNul(inner));
  return false;
}

const nulRefused = () => new RequestError(400, 'invalid-character', 'text may not contain the NUL character (U+0000)');

/** PostgreSQL text cannot hold U+0000: refuse it in JSON bodies, paths and query strings alike. */
export function refuseNul(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // Fastify's default JSON parser answers through the callback; it returns nothing to wait for.
    // eslint-disable-next-line @typescript-eslint/no-floating-promises
    parseJson(request, body as string, (error, value) => {
      if (error) return done(error);
      if (containsNul(value)) return done(nulRefused());
      done(null, value);
    });
  });
  app.addHook('onRequest', async (request) => {
    if (/%00/i.test(request.url) || request.url.includes(NUL)) throw nulRefused();
    // The router checks the path's encoding (FST_ERR_BAD_URL); the query string's is ours to check.
    const query = request.url.indexOf('?');
    if (query >= 0 && !decodes(request.url.slice(query + 1).replaceAll('+', ' '))) throw new RequestError(400, 'bad-url', 'the query string is not validly percent-encoded');
  });
}

/**
 * Ajv reads "Infinity" in a query string as a number and lets it past `maximum` (seen with ajv 8.20: ?limit=Infinity
 * reached the handler as Infinity); a number read from the URL must be finite.
 */
export function refuseInfiniteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    for (const [part, values] of [['querystring', request.query], ['params', request.params]] as const) {
      for (const [name, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
        if (typeof value === 'number' && !Number.isFinite(value)) throw new RequestError(400, 'validation-failed', `${part}/${name} must be a finite number`);
      }
    }
  });
}

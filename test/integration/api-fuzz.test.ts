import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/adapters/http/app.js';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';

/**
 * Every route in the OpenAPI document, driven with generated bad bodies, path parameters, query strings and tokens
 * (seeded, so a failure repeats). Whatever comes in: no 5xx, 4xx in the documented error shape, and no 2xx without a
 * valid token on an authenticated route.
 */

const ADMIN = 'fuzz-service-token-0123456789';
const SEED = 20261202;
const RUNS_PER_ROUTE = 60;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
};
interface Operation {
  readonly security?: unknown[];
  readonly parameters?: { in: string; name: string; schema?: Schema }[];
  readonly requestBody?: { content?: Record<string, { schema?: Schema; example?: unknown; examples?: Record<string, { value: unknown }> }> };
}
interface Route {
  readonly method: (typeof METHODS)[number];
  readonly path: string;
  readonly op: Operation;
}
type Token = 'none' | 'garbage' | 'admin' | 'user';
interface Case {
  readonly token: Token;
  readonly params: Record<string, string>;
  readonly query: [string, string][];
  readonly body: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; type: string } | { kind: 'none' };
}

let api: TestApi;
let app: HttpApp;
let routes: Route[];
let base: string;
const tokens: Record<Token, string | undefined> = { none: undefined, garbage: 'not-a-token-0123456789abcdef', admin: ADMIN, user: undefined };
/** Real identifiers, so that some requests get past "not found" into the handlers. */
const known: string[] = [];

let users = 0;
/** A signed-in user with a meeting; again whenever the fuzzing signed them out or removed them. */
async function ensureUser(): Promise<void> {
  if (tokens.user && (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${tokens.user}` } })).statusCode === 200) return;
  const password = 'correct horse battery';
  const n = ++users;
  const headers = { authorization: `Bearer ${ADMIN}` };
  const user = (await app.inject({ method: 'POST', url: '/api/v1/users', headers, payload: { displayName: `Fuzz ${n}`, email: `fuzz${n}@example.com`, sipUri: `sip:fuzz${n}@example.com`, region: 'US', password } })).json();
  tokens.user = (await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email: user.email, password } })).json().token;
  const meeting = (await app.inject({ method: 'POST', url: '/api/v1/conferences', headers: { authorization: `Bearer ${tokens.user}` }, payload: { subject: 'Fuzz' } })).json();
  known.push(user.id, meeting.id);
}

beforeAll(async () => {
  api = await apiOnFreshDatabase(ADMIN, { signInLimit: { max: 1_000_000, timeWindow: '1 minute' } });
  app = api.app;
  known.push('US', '14255550100', '1');
  await ensureUser();
  expect(tokens.user).toEqual(expect.any(String));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  const doc = app.swagger() as { paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>> };
  routes = Object.entries(doc.paths).flatMap(([path, item]) => METHODS.flatMap((method) => (item[method] ? [{ method, path, op: item[method] }] : [])));
});

afterAll(async () => {
  await api?.close();
});

const nasty = fc.constantFrom('', ' ', 'a\u0000b', '\u0000', '%', '%00', '%zz', '..', '../..', 'a'.repeat(1000), '\uD800', '😀', "'; drop table users; --", '1e20', 'Infinity', '-1', 'NaN', 'null', 'true');
const text = fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) }, { weight: 2, arbitrary: nasty });
const numbers = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1e20, 2 ** 31, 2 ** 53, -(2 ** 63), 1.5, 9.999e307), fc.double({ noNaN: true, noDefaultInfinity: true }));
const sampleFor = (format: string | undefined) =>
  ({ 'date-time': ['2026-12-01T17:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-30T25:00:00Z'], email: ['a@example.com', 'fuzz@example.com'], uri: ['https://example.com/hook', 'http://127.0.0.1/'] })[format ?? ''] ?? [];

/** Values near the schema (to get past validation into the handlers) and anything else JSON can carry. */
function valueFor(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const anything = depth > 2 ? fc.constantFrom(null, 0, '', true) : fc.jsonValue({ maxDepth: 2 });
  if (!schema) return anything;
  const near: fc.Arbitrary<unknown>[] = [];
  if (schema.enum) near.push(fc.constantFrom(...schema.enum));
  if (schema.const !== undefined) near.push(fc.constant(schema.const));
  for (const inner of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) near.push(valueFor(inner, depth + 1));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  for (const type of types) {
    if (type === 'string') near.push(sampleFor(schema.format).length > 0 ? fc.oneof(fc.constantFrom(...sampleFor(schema.format)), text) : text);
    if (type === 'integer' || type === 'number') near.push(numbers);
    if (type === 'boolean') near.push(fc.boolean());
    if (type === 'null') near.push(fc.constant(null));
    if (type === 'array') near.push(fc.array(valueFor(schema.items, depth + 1), { maxLength: 3 }));
    if (type === 'object') {
      const fields = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, inner]) => [name, valueFor(inner, depth + 1)]));
      near.push(fc.record(fields, { requiredKeys: [] }));
      near.push(fc.tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(text, anything, { maxKeys: 2 })).map(([known, extra]) => ({ ...extra, ...known })));
    }
  }
  return near.length === 0 ? anything : fc.oneof({ weight: 4, arbitrary: fc.oneof(...near) }, { weight: 1, arbitrary: anything });
}

/** A documented example with a field or two changed to something near or far from its schema, or removed. */
function mutatedExample(schema: Schema | undefined, examples: unknown[]): fc.Arbitrary<unknown> {
  const objects = examples.filter((e): e is Record<string, unknown> => !!e && typeof e === 'object' && !Array.isArray(e));
  if (objects.length === 0) return valueFor(schema);
  const names = [...new Set([...objects.flatMap(Object.keys), ...Object.keys(schema?.properties ?? {})])];
  const change = fc.constantFrom(...names).chain((name) =>
    fc.oneof(valueFor(schema?.properties?.[name]).map((value) => [name, value] as const), fc.constant([name, undefined] as const)),
  );
  return fc.tuple(fc.constantFrom(...objects), fc.array(change, { minLength: 0, maxLength: 2 })).map(([example, changes]) => {
    const copy: Record<string, unknown> = structuredClone(example);
    for (const [name, value] of changes) {
      if (value === undefined) delete copy[name];
      else copy[name] = value;
    }
    return copy;
  });
}

function caseFor(route: Route): fc.Arbitrary<Case> {
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const queryParams = (route.op.parameters ?? []).filter((p) => p.in === 'query');
  const content = route.op.requestBody?.content?.['application/json'];
  const bodySchema = content?.schema;
  const examples = [...(content?.example === undefined ? [] : [content.example]), ...Object.values(content?.examples ?? {}).map((e) => e.value)];
  const param = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...known) }, { weight: 3, arbitrary: text });
  const queryValue = fc.oneof(text, numbers.map(String), fc.constantFrom('Infinity', '-Infinity', '1e400', '0x10', '1.5'));
  return fc.record({
    token: fc.constantFrom<Token>('none', 'garbage', 'admin', 'user'),
    params: fc.record(Object.fromEntries(pathParams.map((name) => [name, param]))) as fc.Arbitrary<Record<string, string>>,
    query: fc.array(fc.tuple(queryParams.length > 0 ? fc.oneof(fc.constantFrom(...queryParams.map((p) => p.name)), text) : text, queryValue), { maxLength: 3 }),
    body: fc.oneof(
      { weight: 4, arbitrary: valueFor(bodySchema).map((value) => ({ kind: 'json' as const, value })) },
      { weight: 6, arbitrary: mutatedExample(bodySchema, examples).map((value) => ({ kind: 'json' as const, value })) },
      { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,]', 'null', '"\\u0000"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}').map((t) => ({ kind: 'raw' as const, text: t, type: 'application/json' })) },
      { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml').map((type) => ({ kind: 'raw' as const, text: 'a=1', type })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
    ),
  });
}

function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value; // a lone surrogate: sent as it is
  }
}

function urlFor(route: Route, c: Case): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encode(c.params[name] ?? ''));
  const query = c.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  return query ? `${path}?${query}` : path;
}

async function send(route: Route, c: Case) {
  const token = tokens[c.token];
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const withBody = route.method !== 'get' && c.body.kind !== 'none';
  if (withBody && c.body.kind === 'raw') headers['content-type'] = c.body.type;
  if (withBody && c.body.kind === 'json') headers['content-type'] = 'application/json';
  const payload = withBody ? (c.body.kind === 'raw' ? c.body.text : JSON.stringify((c.body as { value: unknown }).value) ?? 'null') : undefined;
  if (route.path.endsWith('/events')) return stream(urlFor(route, c), headers);
  return app.inject({ method: route.method.toUpperCase() as 'GET', url: urlFor(route, c), headers, ...(payload === undefined ? {} : { payload }) });
}

/** An event stream never ends: its status and, for a refusal, its body; an open stream is closed at once. */
async function stream(url: string, headers: Record<string, string>) {
  const abort = new AbortController();
  const response = await fetch(`${base}${url}`, { headers, signal: abort.signal });
  const body = response.status >= 300 ? await response.text() : '';
  abort.abort();
  return { statusCode: response.status, body };
}

function problemWith(route: Route, c: Case, response: { statusCode: number; body: string }): string | undefined {
  if (response.statusCode >= 500) return `${response.statusCode} ${response.body.slice(0, 200)}`;
  const authenticated = route.op.security === undefined || route.op.security.length > 0;
  if (authenticated && (c.token === 'none' || c.token === 'garbage') && response.statusCode < 300) return `${response.statusCode} without a valid token`;
  if (response.statusCode >= 400) {
    let body: { error?: { code?: unknown; message?: unknown } };
    try {
      body = JSON.parse(response.body);
    } catch {
      return `${response.statusCode} with a body that is not JSON: ${response.body.slice(0, 200)}`;
    }
    if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string') return `${response.statusCode} not in the error shape: ${response.body.slice(0, 200)}`;
  }
  return undefined;
}

describe('every route in the OpenAPI document, fuzzed', () => {
  it('answers generated bad input with 4xx in the error shape, never 5xx, and nothing without a valid token', async () => {
    expect(routes.length).toBeGreaterThan(50);
    const found: string[] = [];
    // Only a request that changes something can have signed the user out or removed them.
    let mayHaveChanged = false;
    for (const [index, route] of routes.entries()) {
      for (const c of fc.sample(caseFor(route), { seed: SEED + index, numRuns: RUNS_PER_ROUTE })) {
        if (c.token === 'user' && mayHaveChanged) {
          await ensureUser();
          mayHaveChanged = false;
        }
        const response = await send(route, c);
        if (route.method !== 'get') mayHaveChanged = true;
        const problem = problemWith(route, c, response);
        if (problem) found.push(`${route.method.toUpperCase()} ${route.path} ${JSON.stringify({ url: urlFor(route, c), token: c.token, body: c.body })}: ${problem}`);
      }
    }
    expect(found).toEqual([]);
  }, 120_000);
});

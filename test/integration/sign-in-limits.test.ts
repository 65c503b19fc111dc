// Sign-in limits behind a proxy, on the real API and PostgreSQL: counted per account and client address, per
// account and per address, with the client address taken from X-Forwarded-For only from trusted proxies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOnFreshDatabase, type TestApi } from '../support/api-app.js';

const ADMIN = 'service-token-signin-0123456789';
const PASSWORD = 'correct horse battery';
const PROXY = '10.20.30.40';
const limits = {
  signInLimit: { max: 3, timeWindow: '1 minute' },
  signInLimits: { perAccount: { max: 6, timeWindow: '1 minute' }, perAddress: { max: 10, timeWindow: '1 minute' } },
};
let n = 0;

async function person(api: TestApi) {
  n++;
  const email = `person${n}@example.com`;
  const created = await api.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { authorization: `Bearer ${ADMIN}` },
    payload: { displayName: `Person ${n}`, email, sipUri: `sip:person${n}@example.com`, region: 'US', password: PASSWORD },
  });
  expect(created.statusCode).toBe(201);
  return email;
}

const signIn = (api: TestApi, email: string, password: string, from: { remoteAddress: string; forwardedFor?: string }) =>
  api.app.inject({
    method: 'POST',
    url: '/api/v1/sessions',
    payload: { email, password },
    remoteAddress: from.remoteAddress,
    ...(from.forwardedFor ? { headers: { 'x-forwarded-for': from.forwardedFor } } : {}),
  });

describe('without TRUST_PROXY (everyone behind the proxy has its address)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await apiOnFreshDatabase(ADMIN, limits);
  });
  afterAll(async () => api?.close());

  it('a guesser locks out only the account guessed, not colleagues behind the same proxy; X-Forwarded-For does not help the guesser', async () => {
    const [victim, colleague] = [await person(api), await person(api)];
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await signIn(api, victim, 'wrong password!', { remoteAddress: PROXY, forwardedFor: `198.51.100.${i}` })).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    const refused = await signIn(api, victim, PASSWORD, { remoteAddress: PROXY });
    expect(refused.json().error.code).toBe('rate-limited');

    const ok = await signIn(api, colleague, PASSWORD, { remoteAddress: PROXY });
    expect(ok.statusCode).toBe(201);
    // The victim still signs in from elsewhere.
    expect((await signIn(api, victim, PASSWORD, { remoteAddress: '203.0.113.9' })).statusCode).toBe(201);
  });
});

describe('with TRUST_PROXY naming the proxy', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await apiOnFreshDatabase(ADMIN, { ...limits, trustProxy: [PROXY] });
  });
  afterAll(async () => api?.close());

  it('counts per client address behind the proxy', async () => {
    const victim = await person(api);
    for (let i = 0; i < 3; i++) expect((await signIn(api, victim, 'wrong password!', { remoteAddress: PROXY, forwardedFor: '198.51.100.1' })).statusCode).toBe(401);
    expect((await signIn(api, victim, PASSWORD, { remoteAddress: PROXY, forwardedFor: '198.51.100.1' })).statusCode).toBe(429);
    expect((await signIn(api, victim, PASSWORD, { remoteAddress: PROXY, forwardedFor: '198.51.100.2' })).statusCode).toBe(201);
  });

  it('an X-Forwarded-For from a client that is not the proxy is ignored', async () => {
    const victim = await person(api);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await signIn(api, victim, 'wrong password!', { remoteAddress: '192.0.2.50', forwardedFor: `198.51.100.${10 + i}` })).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
  });

  it('one account cannot be guessed from many addresses without bound', async () => {
    const victim = await person(api);
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await signIn(api, victim, 'wrong password!', { remoteAddress: PROXY, forwardedFor: `198.51.100.${100 + i}` })).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
  });

  it('one address cannot spray guesses across many accounts without bound', async () => {
    const accounts: string[] = [];
    for (let i = 0; i < 11; i++) accounts.push(await person(api));
    const codes: number[] = [];
    for (const email of accounts) codes.push((await signIn(api, email, 'wrong password!', { remoteAddress: PROXY, forwardedFor: '198.51.100.200' })).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes[10]).toBe(429);
  });
});

import { Type } from 'typebox';
import { DomainError } from '../../../domain/errors.js';
import type { User } from '../../../domain/user.js';
import { usersFromCsv } from '../../../directory/user-csv.js';
import type { UserInput } from '../../../directory/user-rows.js';
import { CreateUserBody, ImportUsersBody, Paging, PinPolicyView, SetPinBody, UpdateUserBody, UserIdParams, UserView } from './directory-schemas.js';
import { PIN_MAX_LENGTH, PIN_MESSAGES } from '../../../domain/pin-policy.js';
import { ErrorBody } from './common-schemas.js';
import type { HttpApp } from '../types.js';

export function userView(user: User) {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return { ...user, createdAt: user.createdAt.toISOString(), pinSetAt: iso(user.pinSetAt), pinLockedUntil: iso(user.pinLockedUntil) };
}

/**
 * CSV imports (POST /api/v1/users/import) arrive as text; everything else in the API is JSON. Added to
 * the whole signed-in scope, as it always was, not only to this plugin's routes.
 */
export function acceptCsvBodies(api: HttpApp): void {
  api.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}

export async function userRoutes(app: HttpApp): Promise<void> {
  const { directory } = app.services;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const tags = ['directory'];

  app.get('/api/v1/me', { schema: { tags, description: 'The signed-in user.', response: { 200: UserView, 401: ErrorBody, 404: ErrorBody } } }, async (request) => {
    if (request.principal.kind !== 'user') throw new DomainError('user-not-found', 'the service token is not a directory user');
    return userView(await directory.get(request.principal, request.principal.user.id));
  });

  app.post(
    '/api/v1/users',
    { schema: { tags, description: 'Administrators add a user; a personal conference ID is assigned.', body: CreateUserBody, response: { 201: UserView, ...errors } } },
    async (request, reply) => reply.status(201).send(userView(await directory.create(request.principal, request.body))),
  );

  app.post(
    '/api/v1/users/import',
    {
      schema: {
        tags,
        description: 'All or nothing: every row is checked first, and any problem (reported per row and field) imports nothing.',
        body: ImportUsersBody,
        response: { 201: Type.Object({ imported: Type.Integer(), users: Type.Array(UserView) }), ...errors },
      },
    },
    async (request, reply) => {
      const rows: UserInput[] = typeof request.body === 'string' ? usersFromCsv(request.body) : (request.body as UserInput[]);
      const users = await directory.import(request.principal, rows);
      return reply.status(201).send({ imported: users.length, users: users.map(userView) });
    },
  );

  app.get(
    '/api/v1/users',
    { schema: { tags, description: 'The directory, by display name (administrators).', querystring: Paging, response: { 200: Type.Array(UserView), ...errors } } },
    async (request) => {
      const page = { limit: request.query.limit ?? 100, offset: request.query.offset ?? 0 };
      return (await directory.list(request.principal, page)).map(userView);
    },
  );

  app.get(
    '/api/v1/users/:id',
    { schema: { tags, description: 'One user (administrators, or the user themselves).', params: UserIdParams, response: { 200: UserView, ...errors } } },
    async (request) => userView(await directory.get(request.principal, request.params.id)),
  );

  app.patch(
    '/api/v1/users/:id',
    { schema: { tags, description: 'Change a user (administrators); phone numbers are normalised again.', params: UserIdParams, body: UpdateUserBody, response: { 200: UserView, ...errors } } },
    async (request) => userView(await directory.update(request.principal, request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/users/:id',
    { schema: { tags, description: 'Remove a user (administrators); their sessions end.', params: UserIdParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await directory.remove(request.principal, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/users/:id/pin',
    {
      schema: {
        tags,
        description: 'Set or reset the dial-in PIN (the user or an administrator). Refusals list every rule broken, with a message for each.',
        params: UserIdParams,
        body: SetPinBody,
        response: { 200: UserView, ...errors },
      },
    },
    async (request) => userView(await app.services.pins.set(request.principal, request.params.id, request.body.pin)),
  );

  app.post(
    '/api/v1/users/:id/pin/unlock',
    {
      schema: {
        tags,
        description:
          'Unlock a PIN locked by wrong tries at the keypad (administrators): lifts the temporary lock and the one only an administrator lifts, and clears both failure counters. The PIN stays the same.',
        params: UserIdParams,
        response: { 200: UserView, ...errors },
      },
    },
    async (request) => userView(await app.services.pins.unlock(request.principal, request.params.id)),
  );

  app.get('/api/v1/pin-policy', { schema: { tags, description: 'The PIN rules, with the message for each.', response: { 200: PinPolicyView } } }, async () => {
    const policy = await app.services.pins.policy();
    const rules = (Object.keys(PIN_MESSAGES) as Array<keyof typeof PIN_MESSAGES>)
      .filter((rule) => rule !== 'pin-not-digits' && rule !== 'pin-too-long' && (rule !== 'pin-reused' || policy.historySize > 0))
      .map((rule) => PIN_MESSAGES[rule](policy));
    return { ...policy, maxLength: PIN_MAX_LENGTH, rules };
  });

  app.post(
    '/api/v1/users/:id/assigned-conference-id',
    {
      schema: {
        tags,
        description: 'Reset: the user (or an administrator) gets a new personal conference ID; the old one stops working.',
        params: UserIdParams,
        response: { 201: UserView, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(userView(await directory.resetConferenceId(request.principal, request.params.id))),
  );
}

import { Type } from 'typebox';
import type { AccessNumber } from '../../../ports/store.js';
import {
  AccessNumberBody,
  AccessNumberParams,
  AccessNumberView,
  RegionBody,
  RegionParams,
  UpdateAccessNumberBody,
  UpdateRegionBody,
} from './directory-schemas.js';
import { ErrorBody } from './common-schemas.js';
import type { HttpApp } from '../types.js';

export function accessNumberView(n: AccessNumber) {
  const [primaryLanguage, ...secondaryLanguages] = n.languages;
  return { number: n.number, display: n.display, region: n.region, primaryLanguage: primaryLanguage!, secondaryLanguages, languages: [...n.languages] };
}

export async function dialInNumberRoutes(app: HttpApp): Promise<void> {
  const { dialInNumbers } = app.services;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const noContent = { 204: Type.Null(), ...errors };

  app.get('/api/v1/regions', { schema: { tags: ['regions'], description: 'All regions.', response: { 200: Type.Array(RegionBody) } } }, () =>
    dialInNumbers.listRegions(),
  );
  app.post('/api/v1/regions', { schema: { tags: ['regions'], description: 'Add a region (administrators).', body: RegionBody, response: { 201: RegionBody, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await dialInNumbers.createRegion(request.principal, request.body)),
  );
  app.patch(
    '/api/v1/regions/:code',
    { schema: { tags: ['regions'], description: 'Rename a region or change its country (administrators).', params: RegionParams, body: UpdateRegionBody, response: { 200: RegionBody, ...errors } } },
    (request) => dialInNumbers.updateRegion(request.principal, request.params.code, request.body),
  );
  app.delete('/api/v1/regions/:code', { schema: { tags: ['regions'], description: 'Remove a region no user or access number belongs to (administrators).', params: RegionParams, response: noContent } }, async (request, reply) => {
    await dialInNumbers.removeRegion(request.principal, request.params.code);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/access-numbers', { schema: { tags: ['access numbers'], description: 'All access numbers with their languages.', response: { 200: Type.Array(AccessNumberView) } } }, async () =>
    (await dialInNumbers.list()).map(accessNumberView),
  );
  app.post(
    '/api/v1/access-numbers',
    { schema: { tags: ['access numbers'], description: 'Add an access number (administrators).', body: AccessNumberBody, response: { 201: AccessNumberView, ...errors } } },
    async (request, reply) => reply.status(201).send(accessNumberView(await dialInNumbers.create(request.principal, request.body))),
  );
  app.patch(
    '/api/v1/access-numbers/:number',
    { schema: { tags: ['access numbers'], description: 'Change an access number (administrators).', params: AccessNumberParams, body: UpdateAccessNumberBody, response: { 200: AccessNumberView, ...errors } } },
    async (request) => accessNumberView(await dialInNumbers.update(request.principal, request.params.number, request.body)),
  );
  app.delete(
    '/api/v1/access-numbers/:number',
    { schema: { tags: ['access numbers'], description: 'Remove an access number (administrators).', params: AccessNumberParams, response: noContent } },
    async (request, reply) => {
      await dialInNumbers.remove(request.principal, request.params.number);
      return reply.status(204).send(null);
    },
  );
}

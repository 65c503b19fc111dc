import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../../src/adapters/http/errors.js';
import { LeaderControl } from '../../../src/conferences/leader-control.js';
import type { AuditLog } from '../../../src/ports/audit.js';
import { codeOf, world } from '../harness.js';

/** Leader control over a world whose deployment keeps no recordings store. */
function withoutRecordings() {
  const w = world();
  const conference = w.conferences.seed({ conferenceId: '1234567', status: 'active' });
  const audit: AuditLog = { record: async () => undefined, list: async () => [] };
  const { muting, moderation, lobby, recorder } = w.service;
  const control = new LeaderControl({ conferences: w.conferences, participants: w.participants, muting, moderation, lobby, recorder, audit });
  return { control, conference };
}

describe('LeaderControl recording without a recordings store', () => {
  it('refuses with the stable code recordings-disabled', async () => {
    const { control, conference } = withoutRecordings();
    expect(await codeOf(control.startRecording({ kind: 'service' }, conference.id))).toBe('recordings-disabled');
    expect(await codeOf(control.stopRecording({ kind: 'service' }, conference.id))).toBe('recordings-disabled');
  });

  it('reaches an API client as 409 with that code, not a 500', async () => {
    const { control, conference } = withoutRecordings();
    const app = Fastify();
    registerErrorHandling(app);
    app.post('/recording', async () => control.startRecording({ kind: 'service' }, conference.id));
    const reply = await app.inject({ method: 'POST', url: '/recording' });
    await app.close();
    expect(reply.statusCode).toBe(409);
    expect(reply.json()).toMatchObject({ error: { code: 'recordings-disabled' } });
  });
});

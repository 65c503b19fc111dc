// Shared steps for the attendant's end-to-end tests: directory users with PINs, meetings, the roster.
import { expect } from 'vitest';
import type { Parley } from './parley-process.js';

export interface Participant {
  readonly id: string;
  readonly state: string;
  readonly role: string;
  readonly muted: boolean;
  readonly mutedBy: string | null;
  readonly displayName: string;
  /** The caller's number masked (null: none, or already shown as the display name). */
  readonly number: string | null;
  readonly via: 'phone' | 'dial-out' | 'voip';
  readonly talking: boolean;
  readonly endReason: string | null;
}

export interface Meeting {
  readonly id: string;
  readonly conferenceId: string;
  readonly passcode?: string;
}

/** A directory user with an extension and a dial-in PIN (set by the administrator). */
export async function userWithPin(parley: Parley, name: string, extension: string, pin: string): Promise<{ id: string; email: string }> {
  const email = `${name.toLowerCase()}@example.com`;
  const created = await parley.api('POST', '/api/v1/users', { displayName: name, email, sipUri: `sip:${email}`, extension, region: 'US' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const set = await parley.api('PUT', `/api/v1/users/${created.body.id}/pin`, { pin });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
  return { id: created.body.id, email };
}

/** Without a passcode unless `settings` gives one (anonymous meetings get one by default: PASSCODE_FOR_ANONYMOUS). */
export async function meeting(parley: Parley, settings: object): Promise<Meeting> {
  const created = await parley.api('POST', '/api/v1/conferences', { subject: 'Attendant test', passcode: null, ...settings });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as Meeting;
}

export async function roster(parley: Parley, meetingId: string): Promise<Participant[]> {
  return (await parley.api('GET', `/api/v1/conferences/${meetingId}/participants`)).body as Participant[];
}

export async function conferenceState(parley: Parley, meetingId: string) {
  return (await parley.api('GET', `/api/v1/conferences/${meetingId}`)).body as {
    locked: boolean;
    audienceMuted: boolean;
    announceEntryExit: boolean;
  };
}

/** Media played to one call, as `sound:parley/...` strings. */
export function mediaOf(played: ReadonlyArray<{ media: string }>): string[] {
  return played.map((p) => p.media);
}

// Shared wiring for unit tests: the live conferences on in-memory stores and fake telephony.
import { expect, vi } from 'vitest';
import type { Attendant, AttendantSettings } from '../../src/calls/attendant.js';
import type { RefusalLog } from '../../src/ports/history.js';
import { LiveConferences } from '../../src/conferences/live-conferences.js';
import type { Conference } from '../../src/domain/conference.js';
import { DomainError } from '../../src/domain/errors.js';
import { isJoinable } from '../../src/meetings/join-window.js';
import type { Log } from '../../src/ports/log.js';
import type { NameVoice } from '../../src/ports/name-voice.js';
import { FakeTelephony, type FakeBridge, type FakeCall } from '../support/fake-telephony.js';
import { memoryStores, type MemoryStores } from '../support/memory-stores.js';

/** The attendant with waits short enough for unit tests (no name recording unless a test asks). */
export const FAST: AttendantSettings = {
  tries: 3,
  // Keys here come all at once or from a script; a short type-ahead keeps each prompt's wait short.
  timing: { firstKeyMs: 50, betweenKeysMs: 50, typeAheadMs: 20 },
  commandKey: '*',
  nameSeconds: 0,
  lobbyMaxMs: 2_000,
};

/** The attendant over a world's live conferences, with FAST settings unless overridden. */
export function attendant(service: LiveConferences, extra: Partial<Omit<Attendant, 'settings'>> & { settings?: Partial<AttendantSettings> } = {}): Attendant {
  return { conferences: service, ...extra, settings: { ...FAST, ...extra.settings } };
}

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: object;
  readonly message: string;
}

/** A Log that prints nothing and keeps what was logged, for tests that care. */
export function quietLog(): Log & { readonly entries: LogEntry[]; at(level: LogEntry['level']): LogEntry[] } {
  const entries: LogEntry[] = [];
  const write = (level: LogEntry['level']) => (fields: object, message: string) => void entries.push({ level, fields, message });
  return {
    entries,
    at: (level) => entries.filter((entry) => entry.level === level),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}

export interface World extends MemoryStores {
  readonly telephony: FakeTelephony;
  readonly service: LiveConferences;
  readonly log: ReturnType<typeof quietLog>;
  bridgeOf(conference: Pick<Conference, 'id'>): FakeBridge;
}

export function world(options: { nameVoice?: NameVoice; refusals?: Pick<RefusalLog, 'record'> } = {}): World {
  const stores = memoryStores();
  const telephony = new FakeTelephony({ promptMs: 2 });
  const log = quietLog();
  const service = new LiveConferences({
    conferences: stores.conferences,
    participants: stores.participants,
    telephony,
    log,
    clock: { now: () => new Date() },
    joinable: isJoinable,
    announceWindowMs: 20,
    ...options,
  });
  return { ...stores, telephony, service, log, bridgeOf: (conference) => telephony.bridge(conference.id) };
}

/** Waits until the caller is in the conference: in-conference keys and talk detection are on. */
export async function untilInConference(call: FakeCall): Promise<void> {
  await vi.waitFor(
    () => {
      if (!call.talkDetection) throw new Error(`${call.id} is not in the conference; heard ${call.heard.join(', ')}`);
    },
    { timeout: 2_000, interval: 2 },
  );
}

/** Retries an assertion every 2 ms for up to 2 s. */
export function eventually<T>(assertion: () => T | Promise<T>): Promise<T> {
  return vi.waitFor(assertion, { timeout: 2_000, interval: 2 });
}

/** The stable code of the DomainError a promise rejects with. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).code;
}

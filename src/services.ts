import { AudioInvitations } from './calls/audio-invitations.js';
import { pgAudioInvitationStore } from './adapters/pg/audio-invitation-store.js';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { argon2Hasher } from './adapters/crypto/argon2-hasher.js';
import type { HashCost } from './ports/directory-store.js';
import { pgAccessNumberStore } from './adapters/pg/access-number-store.js';
import { pgCallerLanguageStore } from './adapters/pg/caller-language-store.js';
import { callLanguages } from './calls/languages.js';
import type { CommandKey } from './domain/keypad.js';
import type { NameVoice } from './ports/name-voice.js';
import { pgConferenceStore } from './adapters/pg/conference-store.js';
import { pgJobLock } from './adapters/pg/job-lock.js';
import { pgNoticeStore } from './adapters/pg/notice-store.js';
import { pgParticipantStore } from './adapters/pg/participant-store.js';
import { pgAuditLog } from './adapters/pg/audit-log.js';
import { pgEventFeed, pgEventLog } from './adapters/pg/event-log.js';
import { pgRefusalLog } from './adapters/pg/refusal-log.js';
import { pgSessionStore } from './adapters/pg/session-store.js';
import { LeaderControl } from './conferences/leader-control.js';
import { DialOut } from './calls/dial-out.js';
import { dialOutDirectory } from './directory/dial-out-directory.js';
import { pgRecordingStore } from './adapters/pg/recording-store.js';
import { asteriskRecordingFiles } from './adapters/fs/asterisk-recording-files.js';
import { isDatabaseUp } from './adapters/pg/pool.js';
import { pgRegionStore } from './adapters/pg/region-store.js';
import { pgTokenStore } from './adapters/pg/token-store.js';
import { pgUserStore } from './adapters/pg/user-store.js';
import { pgCallForwardingStore } from './adapters/pg/call-forwarding-store.js';
import { CallForwarding } from './directory/call-forwarding.js';
import { maskedNumber } from './directory/roster-number.js';
import { LiveConferences } from './conferences/live-conferences.js';
import type { RandomBytes } from './domain/ids.js';
import type { Clock } from './ports/clock.js';
import type { Log } from './ports/log.js';
import type { RecordingFiles } from './ports/recordings.js';
import type { SipRegistrar, Telephony } from './ports/telephony.js';
import { pgSipDeviceStore } from './adapters/pg/sip-device-store.js';
import { pgBrowserAudioStore } from './adapters/pg/browser-audio-store.js';
import { BrowserAudio } from './conferences/browser-audio.js';
import { pgUserCallStore } from './adapters/pg/user-call-store.js';
import { pgVoicemailStore } from './adapters/pg/voicemail-store.js';
import { pgDialOutScopeStore } from './adapters/pg/dial-out-scope-store.js';
import { DialOutScopes } from './directory/dial-out-scopes.js';
import { Voicemails } from './directory/voicemails.js';
import { SipDevices } from './directory/sip-devices.js';
import { DialInNumbers } from './directory/dial-in-numbers.js';
import { Directory } from './directory/directory.js';
import { conferenceSipUri } from './meetings/calendar-invitation.js';
import { scheduledJobs, type JobSettings } from './meetings/jobs.js';
import { isJoinable } from './meetings/join-window.js';
import { Meetings } from './meetings/meetings.js';
import { Pins } from './directory/pins.js';
import { Policies } from './directory/policies.js';
import { pgPolicyStore } from './adapters/pg/policy-store.js';
import { Sessions } from './directory/sessions.js';
import { DEFAULT_PIN_POLICY, type PinPolicy } from './domain/pin-policy.js';
import { DEFAULT_DIAL_OUT_LIMITS, DEFAULT_DIAL_OUT_POLICY, type BlockableNumberType, type DialOutLimits } from './domain/dial-out-policy.js';
import { pgDialOutLedger } from './adapters/pg/dial-out-ledger.js';
import { DialOutGuard } from './directory/dial-out-guard.js';
import { httpWebhookSender } from './adapters/fetch/webhook-sender.js';
import { destinationPolicy } from './adapters/fetch/destination-policy.js';
import { pgWebhookStore } from './adapters/pg/webhook-store.js';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from './integrations/webhook-rules.js';
import { Webhooks } from './integrations/webhooks.js';
import type { WebhookSender } from './ports/webhooks.js';
import { KeypadGuard } from './calls/keypad-guard.js';
import { pgKeypadGuessStore } from './adapters/pg/keypad-guess-store.js';
import { pgSecurityAlarms } from './adapters/pg/security-alarms.js';
import { DEFAULT_KEYPAD_GUESS_RULE, type KeypadGuessRule } from './domain/keypad-guessing.js';
import { PrometheusMetrics } from './adapters/metrics/prometheus.js';
import { pgMetricsCounts } from './adapters/pg/metrics-counts.js';

/** A signed-in session lasts a working day. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface ServiceOptions {
  readonly pool: pg.Pool;
  readonly telephony: Telephony;
  readonly log: Log;
  /** API_TOKEN: the deployment's administrator token. */
  readonly serviceToken: string;
  readonly random?: RandomBytes;
  readonly clock?: Clock;
  readonly publicUrl?: string;
  readonly passcodeForAnonymous?: boolean;
  readonly jobs?: JobSettings;
  /** Asterisk's recording directory on this host (config.recordingDir); unset, purging recordings fails. */
  readonly recordingDir?: string;
  /** Where the scheduled jobs log what they did; defaults to `log`. */
  readonly jobsLog?: Log;
  readonly pinPolicy?: PinPolicy;
  readonly commandKey?: CommandKey;
  readonly nameVoice?: NameVoice;
  /** A fixed caller ID for calls parley places, when the carrier requires one (DIAL_OUT_CALLER_ID). */
  readonly dialOutCallerId?: string;
  /** How long an add-audio invitation waits for its answer (120 s unless said). */
  readonly invitationSeconds?: number;
  /** Asterisk's registrar for users' SIP phones (AriTelephony.registrar); absent in API-only tests. */
  readonly registrar?: SipRegistrar;
  readonly sipRegistrarUri?: string;
  /** Shortens the gathering of entry/exit announcements (tests). */
  readonly announceWindowMs?: number;
  /** Outgoing webhook retries and timeouts (config.webhooks; tests shorten them). */
  readonly webhooks?: Partial<WebhookSettings>;
  readonly webhookSender?: WebhookSender;
  /** Where webhook deliveries are logged; defaults to `log`. */
  readonly webhooksLog?: Log;
  /** Calls placed through the gateway, per user and per deployment (config.dialOutLimits). */
  readonly dialOutLimits?: DialOutLimits;
  /** Number types refused by default (DIAL_OUT_BLOCKED_TYPES); administrators may change the policy since. */
  readonly dialOutBlockedTypes?: readonly BlockableNumberType[];
  /** Keypad brute force limits (config.keypad). */
  readonly keypad?: { readonly rule: KeypadGuessRule; readonly alarmPerMinute: number };
  /** Loopback/private/link-local networks webhooks may still go to (WEBHOOK_ALLOWED_NETWORKS; tests allow 127.0.0.0/8). */
  readonly webhookAllowedNetworks?: readonly string[];
  /** What hashing a password or PIN costs (config.hashCost); argon2's defaults unless said. */
  readonly hashCost?: HashCost;
  /** A cluster: the conferences this instance answers for (on the media nodes it owns); unset: all. */
  readonly scope?: () => Promise<ReadonlySet<string>>;
  /** GET /metrics; main.ts makes it first, for the ARI adapter's request timings. One per app unless said. */
  readonly metrics?: PrometheusMetrics;
}

/** The metrics of one parley: the pool's figures and the database's counts at each scrape. */
export const metricsOf = (pool: pg.Pool, log: Log) => new PrometheusMetrics({ pool, counts: pgMetricsCounts(pool), log });

/** Every service on PostgreSQL: the one place that picks the concrete stores (main.ts and tests use it). */
export function createServices(options: ServiceOptions) {
  const { pool, telephony } = options;
  const random = options.random ?? ((n: number) => randomBytes(n));
  const clock = options.clock ?? { now: () => new Date() };
  const publicUrl = options.publicUrl ?? 'http://127.0.0.1:8080';
  const metrics = options.metrics ?? metricsOf(pool, options.log);
  const users = pgUserStore(pool);
  const hasher = argon2Hasher(options.hashCost);
  const regions = pgRegionStore(pool);
  const conferenceStore = pgConferenceStore(pool);
  const participants = pgParticipantStore(pool);
  const accessNumbers = pgAccessNumberStore(pool);
  const dialInNumbers = new DialInNumbers({ regions, accessNumbers });
  const callerLanguages = pgCallerLanguageStore(pool);
  const audit = pgAuditLog(pool);
  const eventLog = pgEventLog(pool);
  const recordings = pgRecordingStore(pool);
  const webhookStore = pgWebhookStore(pool);
  const voicemailStore = pgVoicemailStore(pool);
  const dialOutScopeStore = pgDialOutScopeStore(pool);
  const webhookDestinations = destinationPolicy(options.webhookAllowedNetworks ?? []);
  const recordingFiles = options.recordingDir ? asteriskRecordingFiles(options.recordingDir) : noRecordingDir;
  const policies = new Policies({
    store: pgPolicyStore(pool),
    defaults: {
      pin: options.pinPolicy ?? DEFAULT_PIN_POLICY,
      meetings: { passcodeForAnonymous: options.passcodeForAnonymous ?? false },
      dialOut: { ...DEFAULT_DIAL_OUT_POLICY, ...(options.dialOutBlockedTypes ? { blockedTypes: [...options.dialOutBlockedTypes] } : {}) },
    },
  });
  const dialOutGuard = new DialOutGuard({
    users,
    regions,
    scopes: dialOutScopeStore,
    policy: async () => (await policies.current()).dialOut,
    limits: options.dialOutLimits ?? DEFAULT_DIAL_OUT_LIMITS,
    ledger: pgDialOutLedger(pool),
    log: options.log,
  });
  const refusals = pgRefusalLog(pool);
  const conferences = new LiveConferences({
    conferences: conferenceStore,
    participants,
    telephony,
    log: options.log,
    clock,
    joinable: isJoinable,
    commandKey: options.commandKey ?? '*',
    audit,
    recordings,
    refusals,
    maskNumber: maskedNumber,
    ...(options.nameVoice ? { nameVoice: options.nameVoice } : {}),
    ...(options.announceWindowMs === undefined ? {} : { announceWindowMs: options.announceWindowMs }),
    ...(options.scope ? { scope: options.scope } : {}),
  });
  const languages = callLanguages(accessNumbers, callerLanguages);
  const { muting, moderation, lobby, recorder } = conferences;
  const control = new LeaderControl({ conferences: conferenceStore, participants, muting, moderation, lobby, recorder, audit });
  const jobLock = pgJobLock(pool);
  const dialOut = new DialOut({
    control,
    conferences,
    participants,
    telephony,
    log: options.log,
    guard: dialOutGuard,
    directory: dialOutDirectory({ users, regions, dialInNumbers, languages, scopes: dialOutScopeStore, ...(options.dialOutCallerId ? { fixedCallerId: options.dialOutCallerId } : {}) }),
    commandKey: options.commandKey ?? '*',
    metrics,
    lock: jobLock,
    ...(options.nameVoice ? { nameVoice: options.nameVoice } : {}),
  });
  const meetings = new Meetings({
    conferences: conferenceStore,
    users,
    dialInNumbers,
    random,
    clock,
    passcodeForAnonymous: async () => (await policies.current()).meetings.passcodeForAnonymous,
  });
  return {
    metrics,
    participants,
    dialInNumbers,
    languages,
    meetings,
    policies,
    invitationLinks: {
      settingsUrl: `${publicUrl}/dialin`,
      panelUrl: (meetingId: string) => `${publicUrl}/panel/${meetingId}`,
      joinUrl: (invitationId: string) => `${publicUrl}/join/${invitationId}`,
      fallbackOrganizer: `conferencing@${new URL(publicUrl).hostname}`,
      sipUri: (conferenceId: string) => conferenceSipUri(options.sipRegistrarUri ?? DEFAULT_REGISTRAR_URI, conferenceId),
    },
    conferences,
    control,
    dialOut,
    dialOutGuard,
    audioInvitations: new AudioInvitations({
      meetings,
      dialOut,
      control,
      conferences: conferenceStore,
      users,
      store: pgAudioInvitationStore(pool),
      clock,
      log: options.log,
      ttlMs: (options.invitationSeconds ?? 120) * 1000,
    }),
    recordings: { store: recordings, files: recordingFiles },
    audit,
    events: { log: eventLog, feed: pgEventFeed(pool, options.log) },
    history: pgSessionStore(pool),
    refusals,
    jobs: scheduledJobs({
      conferences: conferenceStore,
      users,
      notices: pgNoticeStore(pool),
      conferenceService: conferences.attendance,
      telephony,
      recordings,
      recordingFiles,
      events: eventLog,
      webhookDeliveries: webhookStore,
      log: options.jobsLog ?? options.log,
      settings: options.jobs ?? { retentionDays: 14, pinExpiryDays: 0, pinWarningDays: 7, recordingRetentionDays: 30 },
    }),
    jobLock,
    pins: new Pins({ users, hasher, clock, policy: async () => (await policies.current()).pin }),
    clock,
    directory: new Directory({ users, regions, hasher, random }),
    callForwarding: new CallForwarding({ store: pgCallForwardingStore(pool), users, regions, clock, guard: dialOutGuard }),
    userCalls: pgUserCallStore(pool),
    dialOutScopes: new DialOutScopes({ store: dialOutScopeStore, users, policies }),
    voicemailStore,
    voicemails: new Voicemails({ store: voicemailStore, files: recordingFiles }),
    sipDevices: new SipDevices({
      users,
      store: pgSipDeviceStore(pool),
      registrar: options.registrar ?? noRegistrar,
      registrarUri: options.sipRegistrarUri ?? DEFAULT_REGISTRAR_URI,
      log: options.log,
    }),
    browserAudio: new BrowserAudio({
      store: pgBrowserAudioStore(pool),
      users,
      registrar: options.registrar ?? noRegistrar,
      sipUri: (conferenceId: string) => conferenceSipUri(options.sipRegistrarUri ?? DEFAULT_REGISTRAR_URI, conferenceId),
      clock,
      log: options.log,
    }),
    sessions: new Sessions({
      users,
      tokens: pgTokenStore(pool),
      hasher,
      clock,
      serviceToken: options.serviceToken,
      ttlMs: SESSION_TTL_MS,
    }),
    health: { asterisk: async () => telephony.isUp(), database: () => isDatabaseUp(pool) },
    webhooks: new Webhooks({
      store: webhookStore,
      sender: options.webhookSender ?? httpWebhookSender(webhookDestinations),
      destinations: webhookDestinations,
      clock,
      log: options.webhooksLog ?? options.log,
      random,
      settings: { ...DEFAULT_WEBHOOK_SETTINGS, ...options.webhooks },
    }),
    keypadGuesses: pgKeypadGuessStore(pool),
    keypadGuard: new KeypadGuard({
      store: pgKeypadGuessStore(pool),
      alarms: pgSecurityAlarms(pool),
      rule: options.keypad?.rule ?? DEFAULT_KEYPAD_GUESS_RULE,
      alarmPerMinute: options.keypad?.alarmPerMinute ?? 60,
      clock,
      log: options.log,
    }),
  };
}

export type Services = ReturnType<typeof createServices>;

/** Without Asterisk (API tests): devices are saved, and provisioned by nobody. */
/** Where users' phones register when SIP_REGISTRAR_URI does not say (this machine's Asterisk). */
const DEFAULT_REGISTRAR_URI = 'sip:127.0.0.1:5060';

const noRegistrar: SipRegistrar = { provision: async () => undefined, provisionBrowser: async () => undefined, remove: async () => undefined, contacts: async () => [] };

// Never a guessed directory: deleting files is only ever done where the configuration says.
const noRecordingDir: RecordingFiles = {
  remove: () => Promise.reject(new Error('no recording directory configured')),
  open: () => Promise.resolve(undefined),
  size: () => Promise.resolve(undefined),
};

import { DEFAULT_KEYPAD_GUESS_RULE, type KeypadGuessRule } from './domain/keypad-guessing.js';
import { isIP } from 'node:net';
import { DEFAULT_PIN_POLICY, type PinPolicy } from './domain/pin-policy.js';
import { DEFAULT_HASH_COST, type HashCost } from './ports/directory-store.js';
import { BLOCKABLE_NUMBER_TYPES, DEFAULT_BLOCKED_TYPES, DEFAULT_DIAL_OUT_LIMITS, type BlockableNumberType, type DialOutLimits } from './domain/dial-out-policy.js';

/** The only reader of process.env: every setting, validated once at start, with a clear message. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  /** PostgreSQL's binaries for the embedded server (without DATABASE_URL); unset: the newest Debian one. */
  readonly postgresBinDir: string | undefined;
  readonly dataDir: string;
  /**
   * `app`: the Stasis application parley registers (ARI_APP; the dialplan sends calls to `parley`).
   * `gatewayEndpoint`: the PJSIP endpoint calls parley places leave through (GATEWAY_ENDPOINT).
   */
  readonly ari: { readonly url: string; readonly username: string; readonly password: string; readonly app: string; readonly gatewayEndpoint: string };
  readonly apiToken: string;
  readonly logLevel: string;
  /** Where people reach parley's pages (invitation links to the settings page). */
  readonly publicUrl: string;
  /** Policy: anonymous meetings get a passcode unless the organiser turns it off (default true). */
  readonly passcodeForAnonymous: boolean;
  readonly jobs: {
    readonly retentionDays: number;
    readonly pinExpiryDays: number;
    readonly pinWarningDays: number;
    readonly recordingRetentionDays: number;
    /** Delivered webhooks are deleted this many days after delivery; 0: kept forever. */
    readonly webhookRetentionDays: number;
  };
  /** Outgoing webhooks: attempts before a delivery is dead, the first retry's wait (it doubles), the receiver's time to answer, how often to look for work. */
  readonly webhooks: { readonly maxAttempts: number; readonly retryBaseMs: number; readonly timeoutMs: number; readonly pollMs: number };
  /** Asterisk's stored recordings as this host sees them, for the purge. */
  readonly recordingDir: string;
  readonly pinPolicy: PinPolicy;
  /** The caller ID on every call parley places, when the carrier requires a fixed one; else the conference's access number. */
  readonly dialOutCallerId: string | undefined;
  /** How long an add-audio invitation waits for its answer. */
  readonly invitationSeconds: number;
  /** Where users' SIP phones register (shown with their credentials). */
  readonly sipRegistrarUri: string;
  /** How long a number an unanswered call is forwarded to may ring. */
  readonly forwardRingSeconds: number;
  /** The longest voicemail message a caller may leave. */
  readonly voicemailMaxSeconds: number;
  readonly attendant: {
    /** The key that starts in-conference commands: '*' or '#'. */
    readonly commandKey: '*' | '#';
    /** Seconds unauthenticated callers have to say their name; 0: no name recording. */
    readonly nameSeconds: number;
    readonly lobbyMaxMinutes: number;
  };
  /** Calls parley places through the gateway, per user and per deployment, per minute and at once. */
  readonly dialOutLimits: DialOutLimits;
  /** Number types no call goes to by default (the dial-out policy's blockedTypes until an administrator changes it). */
  readonly dialOutBlockedTypes: readonly BlockableNumberType[];
  /** Who a leg forwarded through the gateway shows as calling: the original caller, or the forwarding user. */
  readonly forwardCallerId: 'original' | 'user';
  /** Keypad brute force: wrong entries counted across calls per caller number (domain/keypad-guessing.ts). */
  readonly keypad: { readonly rule: KeypadGuessRule; readonly alarmPerMinute: number };
  /** Open event streams one user may hold at once (MAX_STREAMS_PER_USER). */
  readonly maxStreamsPerUser: number;
  /** What hashing a password or PIN costs (PASSWORD_HASH_MEMORY_KIB, PASSWORD_HASH_PASSES). */
  readonly hashCost: HashCost;
  /** Which proxies' X-Forwarded-For to believe (TRUST_PROXY): none, all, a hop count, or addresses/CIDRs. */
  readonly trustProxy: boolean | number | string[];
  /** Networks (CIDR) webhooks may be sent to although they are loopback, private or link-local (WEBHOOK_ALLOWED_NETWORKS). */
  readonly webhookAllowedNetworks: string[];
  /** Several media nodes behind Kamailio (README, "Beyond one media server"); undefined: one box. */
  readonly cluster: ClusterConfig | undefined;
}

export interface ClusterConfig {
  /** Every media node: its name (its Asterisk's systemname), ARI and where relay legs reach its SIP. */
  readonly nodes: ReadonlyArray<{ readonly name: string; readonly ariUrl: string; readonly sipUri: string }>;
  /** The node this instance is for (CLUSTER_HOME). */
  readonly home: string;
  /** This instance's name, unique in the cluster (INSTANCE_NAME), and where the others reach its API (INSTANCE_URL). */
  readonly instance: string;
  readonly instanceUrl: string;
  readonly leaseMs: number;
  /** Calls one node takes before conferences go elsewhere (NODE_MAX_CALLS). */
  readonly maxCalls: number;
}

/** CLUSTER_NODES=node-a=127.0.0.2,node-b=127.0.0.3: ARI on CLUSTER_ARI_PORT, SIP on CLUSTER_SIP_PORT of each. */
function parseCluster(env: NodeJS.ProcessEnv, port: number, problems: string[]): ClusterConfig | undefined {
  const spec = env.CLUSTER_NODES?.trim();
  if (!spec) return undefined;
  const ariPort = Number(env.CLUSTER_ARI_PORT ?? 8088);
  const sipPort = Number(env.CLUSTER_SIP_PORT ?? 5060);
  const nodes = list(spec).map((entry) => {
    const [name = '', host = ''] = entry.split('=');
    if (!/^[a-z0-9-]{1,32}$/.test(name) || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) problems.push(`CLUSTER_NODES entries look like node-a=10.0.0.2, not "${entry}"`);
    return { name, ariUrl: `http://${host}:${ariPort}`, sipUri: `sip:relay@${host}:${sipPort}` };
  });
  const home = env.CLUSTER_HOME?.trim() ?? '';
  if (!nodes.some((node) => node.name === home)) problems.push('CLUSTER_HOME must name one of CLUSTER_NODES (the node this instance is for)');
  const leaseSeconds = Number(env.NODE_LEASE_SECONDS ?? 4);
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < 2 || leaseSeconds > 60) problems.push('NODE_LEASE_SECONDS must be a whole number from 2 to 60');
  const maxCalls = Number(env.NODE_MAX_CALLS ?? 400);
  if (!Number.isInteger(maxCalls) || maxCalls < 1) problems.push('NODE_MAX_CALLS must be a whole number of calls');
  const instance = env.INSTANCE_NAME?.trim() || `parley-${home}`;
  return { nodes, home, instance, instanceUrl: (env.INSTANCE_URL?.trim() || `http://127.0.0.1:${port}`).replace(/\/$/, ''), leaseMs: leaseSeconds * 1000, maxCalls };
}

/** An address or a CIDR block ("10.0.0.0/8", "::1/128", "192.0.2.7"). */
export function isNetwork(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

function parseTrustProxy(value: string | undefined, problems: string[]): boolean | number | string[] {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 10) problems.push('TRUST_PROXY as a hop count must be 1 to 10');
    return hops;
  }
  const networks = list(text);
  const bad = networks.filter((n) => !isNetwork(n));
  if (bad.length > 0) problems.push(`TRUST_PROXY is false, true, a hop count or a comma-separated list of addresses/CIDRs; not ${bad.join(', ')}`);
  return networks;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const text = (name: string, fallback?: string): string => {
    const value = env[name]?.trim() || fallback;
    if (value === undefined) problems.push(`${name} is required`);
    return value ?? '';
  };
  const bounded = (name: string, fallback: number, min: number, max: number): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return value;
  };
  const days = (name: string, fallback: number): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0 || value > 3650) problems.push(`${name} must be a whole number of days (0-3650)`);
    return value;
  };
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be 0-65535, got "${env.PORT}"`);
  const ariUrl = text('ARI_URL', 'http://127.0.0.1:8088');
  if (ariUrl && !/^https?:\/\/[^/]+\/?$/.test(ariUrl)) problems.push(`ARI_URL must look like http://host:8088, got "${ariUrl}"`);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgres:// URL');
  const apiToken = text('API_TOKEN');
  if (apiToken && apiToken.length < 16) problems.push('API_TOKEN must be at least 16 characters');
  const logLevel = text('LOG_LEVEL', 'info');
  if (env.SIP_REGISTRAR_URI && !/^sips?:[^\s@]+$/.test(env.SIP_REGISTRAR_URI.trim())) problems.push('SIP_REGISTRAR_URI must look like sip:host[:port]');
  if (env.PUBLIC_URL && !/^https?:\/\/[^/]+/.test(env.PUBLIC_URL)) problems.push('PUBLIC_URL must be an http(s) URL');
  if (env.PASSCODE_FOR_ANONYMOUS && !['true', 'false'].includes(env.PASSCODE_FOR_ANONYMOUS)) problems.push('PASSCODE_FOR_ANONYMOUS is true or false');
  // A lockout setting that silently stopped applying would be worse than a refusal to start.
  if (env.PIN_MAX_ATTEMPTS?.trim()) problems.push('PIN_MAX_ATTEMPTS is gone: the keypad lockout thresholds follow the PIN length (README); remove it');
  const asteriskRoot = env.PARLEY_ASTERISK_ROOT?.trim() || '/var/cache/parley/asterisk-root';
  const recordingDir = text('ASTERISK_RECORDING_DIR', `${asteriskRoot.replace(/\/$/, '')}/var/spool/asterisk/recording`);
  if (recordingDir && !recordingDir.startsWith('/')) problems.push('ASTERISK_RECORDING_DIR must be an absolute path');
  const commandKey = text('COMMAND_KEY', '*');
  if (commandKey !== '*' && commandKey !== '#') problems.push('COMMAND_KEY must be * or #');
  const blockedTypes = (env.DIAL_OUT_BLOCKED_TYPES ?? DEFAULT_BLOCKED_TYPES.join(','))
    .split(',')
    .map((type) => type.trim())
    .filter((type) => type !== '');
  const unknownTypes = blockedTypes.filter((type) => !(BLOCKABLE_NUMBER_TYPES as readonly string[]).includes(type));
  if (unknownTypes.length > 0) problems.push(`DIAL_OUT_BLOCKED_TYPES: unknown ${unknownTypes.join(', ')}; known: ${BLOCKABLE_NUMBER_TYPES.join(', ')}`);
  const forwardCallerId = text('FORWARD_CALLER_ID', 'original');
  if (forwardCallerId !== 'original' && forwardCallerId !== 'user') problems.push('FORWARD_CALLER_ID must be original or user');
  const app = text('ARI_APP', 'parley');
  if (app && !/^[A-Za-z0-9_-]{1,48}$/.test(app)) problems.push('ARI_APP must be 1-48 letters, digits, - or _');
  const gatewayEndpoint = text('GATEWAY_ENDPOINT', 'gateway');
  if (gatewayEndpoint && !/^[A-Za-z0-9_-]{1,64}$/.test(gatewayEndpoint)) problems.push('GATEWAY_ENDPOINT must be a PJSIP endpoint name (letters, digits, - or _)');
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const config: Config = {
    port,
    host: text('HOST', '127.0.0.1'),
    databaseUrl,
    postgresBinDir: env.POSTGRES_BIN_DIR?.trim() || undefined,
    dataDir: text('DATA_DIR', './data'),
    ari: {
      url: ariUrl.replace(/\/$/, ''),
      username: text('ARI_USERNAME'),
      password: text('ARI_PASSWORD'),
      // asterisk-config/extensions.conf sends the gateway's calls to Stasis(parley,...); another name is for
      // several parley processes sharing one Asterisk (the test suite's files run side by side).
      app,
      gatewayEndpoint,
    },
    apiToken,
    logLevel,
    publicUrl: (env.PUBLIC_URL?.trim() || `http://127.0.0.1:${port}`).replace(/\/$/, ''),
    passcodeForAnonymous: (env.PASSCODE_FOR_ANONYMOUS?.trim() || 'true') === 'true',
    pinPolicy: {
      minLength: bounded('PIN_MIN_LENGTH', DEFAULT_PIN_POLICY.minLength, 4, 24),
      historySize: bounded('PIN_HISTORY', DEFAULT_PIN_POLICY.historySize, 0, 24),
      failureWindowMinutes: bounded('PIN_FAILURE_WINDOW_MINUTES', DEFAULT_PIN_POLICY.failureWindowMinutes, 1, 1440),
      lockoutMinutes: bounded('PIN_LOCKOUT_MINUTES', DEFAULT_PIN_POLICY.lockoutMinutes, 1, 1440),
      expiryDays: days('PIN_EXPIRY_DAYS', 0),
    },
    dialOutCallerId: env.DIAL_OUT_CALLER_ID?.trim() || undefined,
    invitationSeconds: bounded('INVITATION_SECONDS', 120, 5, 3600),
    sipRegistrarUri: env.SIP_REGISTRAR_URI?.trim() || 'sip:127.0.0.1:5060',
    forwardRingSeconds: bounded('FORWARD_RING_SECONDS', 30, 5, 120),
    voicemailMaxSeconds: bounded('VOICEMAIL_MAX_SECONDS', 180, 10, 600),
    attendant: {
      commandKey: commandKey === '#' ? '#' : '*',
      nameSeconds: bounded('NAME_RECORDING_SECONDS', 4, 0, 10),
      lobbyMaxMinutes: bounded('LOBBY_MAX_MINUTES', 30, 1, 24 * 60),
    },
    jobs: {
      retentionDays: days('MEETING_RETENTION_DAYS', 14),
      pinExpiryDays: days('PIN_EXPIRY_DAYS', 0),
      pinWarningDays: days('PIN_WARNING_DAYS', 7),
      recordingRetentionDays: days('RECORDING_RETENTION_DAYS', 30),
      webhookRetentionDays: days('WEBHOOK_RETENTION_DAYS', 3),
    },
    webhooks: {
      maxAttempts: bounded('WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
      retryBaseMs: bounded('WEBHOOK_RETRY_BASE_SECONDS', 10, 1, 3600) * 1000,
      timeoutMs: bounded('WEBHOOK_TIMEOUT_SECONDS', 5, 1, 60) * 1000,
      pollMs: bounded('WEBHOOK_POLL_MS', 1000, 100, 60_000),
    },
    recordingDir,
    dialOutLimits: {
      userPerMinute: bounded('DIAL_OUT_USER_PER_MINUTE', DEFAULT_DIAL_OUT_LIMITS.userPerMinute, 1, 10_000),
      userAtOnce: bounded('DIAL_OUT_USER_AT_ONCE', DEFAULT_DIAL_OUT_LIMITS.userAtOnce, 1, 10_000),
      perMinute: bounded('DIAL_OUT_PER_MINUTE', DEFAULT_DIAL_OUT_LIMITS.perMinute, 1, 100_000),
      atOnce: bounded('DIAL_OUT_AT_ONCE', DEFAULT_DIAL_OUT_LIMITS.atOnce, 1, 100_000),
    },
    dialOutBlockedTypes: blockedTypes as BlockableNumberType[],
    forwardCallerId: forwardCallerId === 'user' ? 'user' : 'original',
    keypad: {
      rule: {
        slowAfter: bounded('KEYPAD_SLOW_AFTER', DEFAULT_KEYPAD_GUESS_RULE.slowAfter, 1, 10_000),
        delayStepMs: bounded('KEYPAD_DELAY_STEP_MS', DEFAULT_KEYPAD_GUESS_RULE.delayStepMs, 0, 60_000),
        maxDelayMs: bounded('KEYPAD_MAX_DELAY_MS', DEFAULT_KEYPAD_GUESS_RULE.maxDelayMs, 0, 120_000),
        refuseAfter: bounded('KEYPAD_REFUSE_AFTER', DEFAULT_KEYPAD_GUESS_RULE.refuseAfter, 1, 10_000),
        windowMinutes: bounded('KEYPAD_WINDOW_MINUTES', DEFAULT_KEYPAD_GUESS_RULE.windowMinutes, 1, 7 * 1440),
        refuseMinutes: bounded('KEYPAD_REFUSE_MINUTES', DEFAULT_KEYPAD_GUESS_RULE.refuseMinutes, 1, 30 * 1440),
      },
      alarmPerMinute: bounded('KEYPAD_ALARM_PER_MINUTE', 60, 1, 1_000_000),
    },
    maxStreamsPerUser: bounded('MAX_STREAMS_PER_USER', 10, 1, 1000),
    hashCost: {
      // Below OWASP's 19 MiB only for test suites; argon2 needs at least 1 MiB and 2 passes here.
      memoryKiB: bounded('PASSWORD_HASH_MEMORY_KIB', DEFAULT_HASH_COST.memoryKiB, 1024, 4 * 1024 * 1024),
      passes: bounded('PASSWORD_HASH_PASSES', DEFAULT_HASH_COST.passes, 2, 100),
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY, problems),
    webhookAllowedNetworks: list(env.WEBHOOK_ALLOWED_NETWORKS),
    cluster: parseCluster(env, port, problems),
  };
  const badNetworks = config.webhookAllowedNetworks.filter((n) => !isNetwork(n));
  if (badNetworks.length > 0) problems.push(`WEBHOOK_ALLOWED_NETWORKS is a comma-separated list of CIDRs; not ${badNetworks.join(', ')}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** The command-line tools talk to a running parley through its API. */
export interface CliConfig {
  readonly url: string;
  readonly apiToken: string;
}

export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const apiToken = env.API_TOKEN?.trim();
  if (!apiToken) throw new ConfigError(['API_TOKEN is required (the administrator token of the running parley)']);
  const host = env.HOST?.trim() && env.HOST.trim() !== '0.0.0.0' ? env.HOST.trim() : '127.0.0.1';
  return { url: (env.PARLEY_URL?.trim() || `http://${host}:${env.PORT ?? 8080}`).replace(/\/$/, ''), apiToken };
}

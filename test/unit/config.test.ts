import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { argon2Hasher } from '../../src/adapters/crypto/argon2-hasher.js';

const REQUIRED = { API_TOKEN: 'config-test-token-0123', ARI_USERNAME: 'parley', ARI_PASSWORD: 'secret' };

describe('the keypad lockout settings', () => {
  it('default to a 30-minute failure window and a 60-minute lockout', () => {
    expect(loadConfig(REQUIRED).pinPolicy).toMatchObject({ failureWindowMinutes: 30, lockoutMinutes: 60 });
    expect(loadConfig({ ...REQUIRED, PIN_FAILURE_WINDOW_MINUTES: '15', PIN_LOCKOUT_MINUTES: '120' }).pinPolicy).toMatchObject({
      failureWindowMinutes: 15,
      lockoutMinutes: 120,
    });
  });

  it('refuse a window out of bounds, and PIN_MAX_ATTEMPTS, which no longer applies', () => {
    expect(() => loadConfig({ ...REQUIRED, PIN_FAILURE_WINDOW_MINUTES: '0' })).toThrow(/PIN_FAILURE_WINDOW_MINUTES must be a whole number from 1 to 1440/);
    expect(() => loadConfig({ ...REQUIRED, PIN_MAX_ATTEMPTS: '10' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...REQUIRED, PIN_MAX_ATTEMPTS: '10' })).toThrow(/PIN_MAX_ATTEMPTS is gone/);
  });
});

describe('the recording settings', () => {
  it('keep recordings 30 days in the Asterisk root of scripts/asterisk.sh unless told otherwise', () => {
    const defaults = loadConfig(REQUIRED);
    expect(defaults.jobs.recordingRetentionDays).toBe(30);
    expect(defaults.recordingDir).toBe('/var/cache/parley/asterisk-root/var/spool/asterisk/recording');
    expect(loadConfig({ ...REQUIRED, PARLEY_ASTERISK_ROOT: '/srv/ast/' }).recordingDir).toBe('/srv/ast/var/spool/asterisk/recording');
    const set = loadConfig({ ...REQUIRED, RECORDING_RETENTION_DAYS: '0', ASTERISK_RECORDING_DIR: '/mnt/recordings' });
    expect(set.jobs.recordingRetentionDays).toBe(0);
    expect(set.recordingDir).toBe('/mnt/recordings');
  });

  it('refuse a relative recording directory and a retention that is not whole days', () => {
    expect(() => loadConfig({ ...REQUIRED, ASTERISK_RECORDING_DIR: 'recordings' })).toThrow(/ASTERISK_RECORDING_DIR must be an absolute path/);
    expect(() => loadConfig({ ...REQUIRED, RECORDING_RETENTION_DAYS: '1.5' })).toThrow(/RECORDING_RETENTION_DAYS must be a whole number of days/);
  });
});

describe('the toll-fraud settings', () => {
  it('block premium-rate, shared-cost and satellite numbers and limit dial-out by default', () => {
    const defaults = loadConfig(REQUIRED);
    expect(defaults.dialOutBlockedTypes).toEqual(['premium-rate', 'shared-cost', 'satellite']);
    expect(defaults.dialOutLimits).toEqual({ userPerMinute: 20, userAtOnce: 20, perMinute: 60, atOnce: 100 });
    expect(defaults.forwardCallerId).toBe('original');
    const set = loadConfig({ ...REQUIRED, DIAL_OUT_BLOCKED_TYPES: 'premium-rate, voip', DIAL_OUT_USER_PER_MINUTE: '5', FORWARD_CALLER_ID: 'user' });
    expect(set.dialOutBlockedTypes).toEqual(['premium-rate', 'voip']);
    expect(set.dialOutLimits.userPerMinute).toBe(5);
    expect(set.forwardCallerId).toBe('user');
    expect(loadConfig({ ...REQUIRED, DIAL_OUT_BLOCKED_TYPES: '' }).dialOutBlockedTypes).toEqual([]);
  });

  it('refuse unknown types, limits out of bounds and an unknown caller-ID rule', () => {
    expect(() => loadConfig({ ...REQUIRED, DIAL_OUT_BLOCKED_TYPES: 'premium-rate,expensive' })).toThrow(/DIAL_OUT_BLOCKED_TYPES: unknown expensive/);
    expect(() => loadConfig({ ...REQUIRED, DIAL_OUT_AT_ONCE: '0' })).toThrow(/DIAL_OUT_AT_ONCE must be a whole number/);
    expect(() => loadConfig({ ...REQUIRED, FORWARD_CALLER_ID: 'spoof' })).toThrow(/FORWARD_CALLER_ID must be original or user/);
  });
});

describe('the keypad guessing settings and the passcode policy', () => {
  it('default to slowing down after 6 wrong entries and refusing after 30 in an hour, and to passcodes for anonymous meetings', () => {
    const defaults = loadConfig(REQUIRED);
    expect(defaults.keypad).toEqual({
      rule: { slowAfter: 6, delayStepMs: 2000, maxDelayMs: 16_000, refuseAfter: 30, windowMinutes: 60, refuseMinutes: 60 },
      alarmPerMinute: 60,
    });
    expect(defaults.passcodeForAnonymous).toBe(true);
    expect(loadConfig({ ...REQUIRED, PASSCODE_FOR_ANONYMOUS: 'false' }).passcodeForAnonymous).toBe(false);
    expect(loadConfig({ ...REQUIRED, KEYPAD_REFUSE_AFTER: '9', KEYPAD_DELAY_STEP_MS: '0' }).keypad.rule).toMatchObject({ refuseAfter: 9, delayStepMs: 0 });
  });

  it('refuse values out of bounds by name', () => {
    expect(() => loadConfig({ ...REQUIRED, KEYPAD_REFUSE_AFTER: '0' })).toThrow(/KEYPAD_REFUSE_AFTER must be a whole number from 1/);
    expect(() => loadConfig({ ...REQUIRED, KEYPAD_ALARM_PER_MINUTE: 'lots' })).toThrow(/KEYPAD_ALARM_PER_MINUTE/);
    expect(() => loadConfig({ ...REQUIRED, PASSCODE_FOR_ANONYMOUS: 'yes' })).toThrow(/PASSCODE_FOR_ANONYMOUS is true or false/);
  });
});

describe('the session and network settings', () => {
  it('trust no proxy unless told; TRUST_PROXY takes true, a hop count or addresses/CIDRs', () => {
    expect(loadConfig(REQUIRED).trustProxy).toBe(false);
    expect(loadConfig({ ...REQUIRED, TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ ...REQUIRED, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ...REQUIRED, TRUST_PROXY: '10.0.0.5, 192.168.0.0/16,::1' }).trustProxy).toEqual(['10.0.0.5', '192.168.0.0/16', '::1']);
    expect(() => loadConfig({ ...REQUIRED, TRUST_PROXY: 'proxy.example.com' })).toThrow(/TRUST_PROXY is false, true, a hop count/);
    expect(() => loadConfig({ ...REQUIRED, TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ ...REQUIRED, TRUST_PROXY: '0' })).toThrow(/TRUST_PROXY as a hop count/);
  });

  it('cap streams per user at 10 and allow no private webhook network unless told', () => {
    const defaults = loadConfig(REQUIRED);
    expect(defaults.maxStreamsPerUser).toBe(10);
    expect(defaults.webhookAllowedNetworks).toEqual([]);
    expect(loadConfig({ ...REQUIRED, WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8, fd00::/8' }).webhookAllowedNetworks).toEqual(['127.0.0.0/8', 'fd00::/8']);
    expect(() => loadConfig({ ...REQUIRED, WEBHOOK_ALLOWED_NETWORKS: 'localhost' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
    expect(() => loadConfig({ ...REQUIRED, MAX_STREAMS_PER_USER: '0' })).toThrow(/MAX_STREAMS_PER_USER/);
  });
});

describe('the Stasis app and the gateway endpoint', () => {
  it('default to parley and gateway, and take other names for a shared Asterisk', () => {
    expect(loadConfig(REQUIRED).ari).toMatchObject({ app: 'parley', gatewayEndpoint: 'gateway' });
    expect(loadConfig({ ...REQUIRED, ARI_APP: 'parley-t3-ab12', GATEWAY_ENDPOINT: 'gateway-test-3' }).ari).toMatchObject({
      app: 'parley-t3-ab12',
      gatewayEndpoint: 'gateway-test-3',
    });
  });

  it('refuse names Asterisk would read as something else (a comma splits Stasis arguments)', () => {
    expect(() => loadConfig({ ...REQUIRED, ARI_APP: 'parley,dial-in' })).toThrow(/ARI_APP must be/);
    expect(() => loadConfig({ ...REQUIRED, GATEWAY_ENDPOINT: 'gateway/sip:evil' })).toThrow(/GATEWAY_ENDPOINT must be/);
  });
});

describe('the password and PIN hashing cost', () => {
  it("defaults to argon2's own 64 MiB and 3 passes, and hashes at that cost", async () => {
    const { hashCost } = loadConfig(REQUIRED);
    expect(hashCost).toEqual({ memoryKiB: 65_536, passes: 3 });
    const hash = await argon2Hasher(hashCost).hash('80417');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
    // A hash made at another cost still verifies after the setting changes.
    expect(await argon2Hasher({ memoryKiB: 1024, passes: 2 }).verify(hash, '80417')).toBe(true);
  });

  it('takes a cost within argon2 bounds', () => {
    expect(loadConfig({ ...REQUIRED, PASSWORD_HASH_MEMORY_KIB: '19456', PASSWORD_HASH_PASSES: '2' }).hashCost).toEqual({ memoryKiB: 19_456, passes: 2 });
    expect(() => loadConfig({ ...REQUIRED, PASSWORD_HASH_MEMORY_KIB: '512' })).toThrow(/PASSWORD_HASH_MEMORY_KIB/);
    expect(() => loadConfig({ ...REQUIRED, PASSWORD_HASH_PASSES: '1' })).toThrow(/PASSWORD_HASH_PASSES/);
  });
});

describe('the cluster settings', () => {
  it('are absent on one box, and name every node, this instance and its own node in a cluster', () => {
    expect(loadConfig({ ...REQUIRED }).cluster).toBeUndefined();
    const { cluster } = loadConfig({ ...REQUIRED, PORT: '3101', CLUSTER_NODES: 'node-a=10.0.0.2, node-b=10.0.0.3', CLUSTER_HOME: 'node-b' });
    expect(cluster).toEqual({
      nodes: [
        { name: 'node-a', ariUrl: 'http://10.0.0.2:8088', sipUri: 'sip:relay@10.0.0.2:5060' },
        { name: 'node-b', ariUrl: 'http://10.0.0.3:8088', sipUri: 'sip:relay@10.0.0.3:5060' },
      ],
      home: 'node-b',
      instance: 'parley-node-b',
      instanceUrl: 'http://127.0.0.1:3101',
      leaseMs: 4000,
      maxCalls: 400,
    });
  });

  it('refuse a home that is not a node, a malformed node and a lease too short to renew', () => {
    expect(() => loadConfig({ ...REQUIRED, CLUSTER_NODES: 'node-a=10.0.0.2', CLUSTER_HOME: 'node-c' })).toThrow(/CLUSTER_HOME/);
    expect(() => loadConfig({ ...REQUIRED, CLUSTER_NODES: 'Node A=10.0.0.2', CLUSTER_HOME: 'Node A' })).toThrow(/CLUSTER_NODES/);
    expect(() => loadConfig({ ...REQUIRED, CLUSTER_NODES: 'node-a=10.0.0.2', CLUSTER_HOME: 'node-a', NODE_LEASE_SECONDS: '1' })).toThrow(/NODE_LEASE_SECONDS/);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

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

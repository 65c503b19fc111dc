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

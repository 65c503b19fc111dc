/** The dial-in PIN rules, configurable for the whole deployment. */
export interface PinPolicy {
  /** 4 to 24 digits. */
  readonly minLength: number;
  /** A new PIN may not be one of the last N. */
  readonly historySize: number;
  /**
   * Wrong PINs at the keypad lock the PIN for `lockoutMinutes` when they come close together, each
   * within this many minutes of the one before; how many is set by the PIN's length (pin-lockout.ts).
   */
  readonly failureWindowMinutes: number;
  readonly lockoutMinutes: number;
  /** 0: PINs never expire. */
  readonly expiryDays: number;
}

export const DEFAULT_PIN_POLICY: PinPolicy = { minLength: 5, historySize: 5, failureWindowMinutes: 30, lockoutMinutes: 60, expiryDays: 0 };
export const PIN_MAX_LENGTH = 24;

export type PinProblem =
  | 'pin-not-digits'
  | 'pin-too-short'
  | 'pin-too-long'
  | 'pin-repeated-digit'
  | 'pin-sequence'
  | 'pin-is-extension'
  | 'pin-is-phone-number'
  | 'pin-reused';

export const PIN_MESSAGES: Record<PinProblem, (policy: PinPolicy) => string> = {
  'pin-not-digits': () => 'Use digits only.',
  'pin-too-short': (p) => `Use at least ${p.minLength} digits.`,
  'pin-too-long': () => `Use at most ${PIN_MAX_LENGTH} digits.`,
  'pin-repeated-digit': () => 'Do not repeat one digit throughout (like 11111).',
  'pin-sequence': () => 'Do not use four or more digits in a row, up or down (like 1234 or 9876).',
  'pin-is-extension': () => 'Do not use your extension.',
  'pin-is-phone-number': () => 'Do not use your phone number.',
  'pin-reused': (p) => `Do not reuse one of your last ${p.historySize} PINs.`,
};

/** Everything wrong with a proposed PIN (history is checked by the caller, which holds the hashes). */
export function pinProblems(pin: string, policy: PinPolicy, owner: { extension: string | null; phones: readonly string[] }): PinProblem[] {
  if (!/^[0-9]+$/.test(pin)) return ['pin-not-digits'];
  const problems: PinProblem[] = [];
  if (pin.length < policy.minLength) problems.push('pin-too-short');
  if (pin.length > PIN_MAX_LENGTH) problems.push('pin-too-long');
  if (/^(\d)\1*$/.test(pin)) problems.push('pin-repeated-digit');
  if (hasRun(pin, 1) || hasRun(pin, -1)) problems.push('pin-sequence');
  if (owner.extension && pin === owner.extension) problems.push('pin-is-extension');
  if (owner.phones.some((phone) => pin.length >= 4 && phone.replace(/\D/g, '').endsWith(pin))) problems.push('pin-is-phone-number');
  return problems;
}

/** Four or more digits in a row, each one more (step 1) or one less (step -1) than the last. */
function hasRun(pin: string, step: 1 | -1): boolean {
  let run = 1;
  for (let i = 1; i < pin.length; i++) {
    run = Number(pin[i]) - Number(pin[i - 1]) === step ? run + 1 : 1;
    if (run >= 4) return true;
  }
  return false;
}

export function isPolicyValid(policy: PinPolicy): boolean {
  return (
    policy.minLength >= 4 &&
    policy.minLength <= PIN_MAX_LENGTH &&
    policy.historySize >= 0 &&
    policy.failureWindowMinutes >= 1 &&
    policy.lockoutMinutes >= 1
  );
}

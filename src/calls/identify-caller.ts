import type { User } from '../domain/user.js';
import type { Call } from '../ports/telephony.js';
import type { KeypadBuffer } from './keypad-buffer.js';
import { readEntry, sayWrongEntry, type EntryTiming } from './prompt-steps.js';
import { PROMPTS } from '../prompts/catalog.js';

export interface KeypadIdentities {
  verifyAtKeypad(identity: string, pin: string): Promise<{ verdict: 'ok'; user: User } | { verdict: 'wrong' } | { verdict: 'locked' }>;
}

/** "Please enter your extension or phone number", then the PIN; a few tries, and a lockout counted across calls. */
export async function identifyCaller(
  call: Call,
  keypad: KeypadBuffer,
  identities: KeypadIdentities,
  settings: { tries: number; timing: EntryTiming },
  /** Counts a wrong identity or PIN across calls; 'refused' ends the questions. */
  wrong?: () => Promise<'refused' | undefined>,
): Promise<User | 'locked' | 'refused' | undefined> {
  for (let attempt = 1; attempt <= settings.tries; attempt++) {
    const identity = await readEntry(call, keypad, [PROMPTS.enterIdentity], settings.timing);
    if (identity === undefined) continue;
    const pin = await readEntry(call, keypad, [PROMPTS.enterPin], settings.timing);
    if (pin === undefined) continue;
    const result = await identities.verifyAtKeypad(identity, pin);
    if (result.verdict !== 'wrong') return result.verdict === 'ok' ? result.user : 'locked';
    if ((await wrong?.()) === 'refused') return 'refused';
    await sayWrongEntry(call, keypad, [PROMPTS.invalidPin]);
  }
  return undefined;
}

import type { Locale } from '../domain/locales.js';
import type { Call } from '../ports/telephony.js';
import type { KeypadBuffer } from './keypad-buffer.js';
import type { CallLanguages } from './languages.js';
import { say, type EntryTiming } from './prompt-steps.js';
import { languageOffer } from '../prompts/catalog.js';

/** Greets in the access number's primary language, or in the one this caller chose last time. */
export async function greetingLanguage(call: Call, languages: CallLanguages | undefined): Promise<Locale[]> {
  if (!languages) return [];
  const { greet, offer } = await languages.forCall(call.dialed, call.caller.number);
  // A call adopted after a restart keeps the language it had (chosen, perhaps, and not remembered).
  if (call.adopted) return offer.filter((language) => language !== call.language);
  await call.setLanguage(greet);
  return offer;
}

/**
 * The caller said nothing: "For English, press 1. Pour le français, appuyez sur 2. ..." each in its
 * own language. A choice holds for the rest of the call and is remembered for the caller's next call;
 * any other key is left for the question that was being asked.
 */
export async function offerLanguages(
  call: Call,
  keypad: KeypadBuffer,
  offer: readonly Locale[],
  languages: CallLanguages | undefined,
  timing: EntryTiming,
): Promise<void> {
  if (offer.length === 0 || !languages) return;
  for (const [i, language] of offer.entries()) {
    await say(call, keypad, [languageOffer(i + 1)], language);
    if (keypad.hasPending()) break;
  }
  const key = await keypad.peekWithin(timing.firstKeyMs);
  const choice = key === undefined ? undefined : offer[Number(key) - 1];
  if (!choice || !/^[1-9]$/.test(key ?? '')) return;
  await keypad.next(0);
  await call.setLanguage(choice);
  await languages.remember(call.caller.number, choice);
}

import type { Language, Prompt } from './telephony.js';

/**
 * Speaks a directory name as a stored recording, for announcements and roll calls of callers who
 * signed in (guests record their own). `name` is the stored recording's name to write.
 */
export interface NameVoice {
  /** The prompt that plays it, or undefined when this name cannot be spoken in this language. */
  say(text: string, language: Language, name: string): Promise<Prompt | undefined>;
}

import type { Participant } from '../domain/participant.js';
import type { Prompt, Telephony } from '../ports/telephony.js';

/**
 * Plays prompts to everyone in the conference: once to the bridge when they all speak one language (the
 * mix goes on), otherwise to each caller privately in their own.
 */
export async function tellEveryone(telephony: Telephony, conferenceId: string, listeners: readonly Participant[], prompts: readonly Prompt[]): Promise<void> {
  if (prompts.length === 0 || listeners.length === 0) return;
  const languages = new Set(listeners.map((p) => p.language ?? 'en-US'));
  if (languages.size === 1) {
    await telephony.bridge(conferenceId).play(prompts, [...languages][0]!).finished;
    return;
  }
  await Promise.all(listeners.map((listener) => telephony.call(listener.channelId)?.play(prompts).finished));
}

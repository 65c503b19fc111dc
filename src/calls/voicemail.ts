import { randomUUID } from 'node:crypto';
import type { Log } from '../ports/log.js';
import type { RecordingFiles } from '../ports/recordings.js';
import type { Call } from '../ports/telephony.js';
import type { VoicemailStore } from '../ports/voicemail-store.js';
import { PROMPTS } from '../prompts/catalog.js';

export interface VoicemailDeps {
  readonly voicemails: Pick<VoicemailStore, 'insert'>;
  readonly files: Pick<RecordingFiles, 'size' | 'remove'>;
  /** The longest message a caller may leave. */
  readonly maxSeconds: number;
  readonly log: Log;
}

/** Asterisk's `wav`: 8 kHz, 16-bit mono after a 44-byte header. */
const WAV_HEADER_BYTES = 44;
const WAV_BYTES_PER_SECOND = 16_000;
/** Shorter than this is a hang-up at the beep, not a message. */
const MIN_SECONDS = 1;
/** Ten seconds of silence ends a message: the caller has gone quiet or left the phone. */
const SILENCE_SECONDS = 10;

/** Nobody answered a call to a user: the caller hears the greeting and leaves a message after the tone. */
export async function takeMessage(call: Call, userId: string, deps: VoicemailDeps): Promise<void> {
  await call.answer();
  await call.play([PROMPTS.voicemailGreeting]).finished;
  if (call.ended.aborted) return;
  const id = randomUUID();
  const recording = `voicemail-${id}`;
  await call.recordMessage(recording, { maxSeconds: deps.maxSeconds, silenceSeconds: SILENCE_SECONDS });
  await call.hangup();
  // Hanging up ends most messages, and Asterisk's report of the recording races the hangup: the file
  // itself says how long the message is.
  const seconds = await lengthOf(recording, deps.files);
  if (seconds < MIN_SECONDS) {
    await deps.files.remove(recording).catch(() => undefined);
    deps.log.info({ call: call.id, user: userId }, 'the caller left no message');
    return;
  }
  await deps.voicemails.insert({ id, userId, callerNumber: call.caller.number, callerName: call.caller.name, recording, seconds: Math.round(seconds * 10) / 10 });
  deps.log.info({ call: call.id, user: userId, voicemail: id, seconds }, 'voicemail left');
}

async function lengthOf(recording: string, files: Pick<RecordingFiles, 'size'>): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const bytes = await files.size(recording).catch(() => undefined);
    if (bytes !== undefined) return Math.max(0, bytes - WAV_HEADER_BYTES) / WAV_BYTES_PER_SECOND;
    // Asterisk may still be closing the file.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return 0;
}

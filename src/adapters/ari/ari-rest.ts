/**
 * The ARI operations parley uses, typed here because ari-client builds its API at runtime from
 * Asterisk's Swagger documents and @types/ari-client lags behind Asterisk 22.
 */
export interface AriChannelJson {
  id: string;
  name: string;
  state: string;
  caller: { name: string; number: string };
  /** Asterisk's form, e.g. fr_CA. */
  language?: string;
  dialplan?: { context: string; exten: string; priority: number; app_name?: string; app_data?: string };
}

export interface AriEvent {
  type: string;
  application?: string;
  channel?: AriChannelJson;
  args?: string[];
  digit?: string;
  /** ChannelDestroyed / ChannelHangupRequest: the Q.850 cause (17 busy, 19 no answer, 21 rejected). */
  cause?: number;
  /** Dial: the channel being called, and how far it got (RINGING, ANSWER, BUSY…). */
  peer?: AriChannelJson;
  dialstatus?: string;
  playback?: { id: string; state: string; target_uri: string };
  recording?: AriRecordingJson;
}

export interface AriRecordingJson {
  name: string;
  target_uri: string;
  state: string;
  /** Seconds recorded; talking_duration: seconds of speech (when silence detection ran). */
  duration?: number;
  talking_duration?: number;
}

export interface AriRest {
  channels: {
    list(): Promise<AriChannelJson[]>;
    create(p: { endpoint: string; app: string; appArgs: string; channelId: string; formats?: string; variables?: Record<string, string> }): Promise<unknown>;
    dial(p: { channelId: string; timeout: number }): Promise<void>;
    answer(p: { channelId: string }): Promise<void>;
    ring(p: { channelId: string }): Promise<void>;
    getChannelVar(p: { channelId: string; variable: string }): Promise<{ value: string }>;
    hangup(p: { channelId: string; reason?: string }): Promise<void>;
    play(p: { channelId: string; media: string[]; playbackId: string; lang?: string }): Promise<unknown>;
    mute(p: { channelId: string; direction: 'in' | 'out' | 'both' }): Promise<void>;
    unmute(p: { channelId: string; direction: 'in' | 'out' | 'both' }): Promise<void>;
    setChannelVar(p: { channelId: string; variable: string; value: string }): Promise<void>;
    sendDTMF(p: { channelId: string; dtmf: string; between?: number; duration?: number }): Promise<void>;
    record(p: {
      channelId: string;
      name: string;
      format: string;
      maxDurationSeconds?: number;
      maxSilenceSeconds?: number;
      ifExists?: 'fail' | 'overwrite' | 'append';
      beep?: boolean;
      terminateOn?: string;
    }): Promise<unknown>;
  };
  bridges: {
    list(): Promise<Array<{ id: string; name?: string; channels: string[] }>>;
    get(p: { bridgeId: string }): Promise<{ id: string; channels: string[] }>;
    createWithId(p: { bridgeId: string; type: string; name?: string }): Promise<unknown>;
    destroy(p: { bridgeId: string }): Promise<void>;
    addChannel(p: { bridgeId: string; channel: string; absorbDTMF?: boolean; role?: string }): Promise<void>;
    removeChannel(p: { bridgeId: string; channel: string }): Promise<void>;
    play(p: { bridgeId: string; media: string[]; playbackId: string; lang?: string }): Promise<unknown>;
    startMoh(p: { bridgeId: string; mohClass?: string }): Promise<void>;
    stopMoh(p: { bridgeId: string }): Promise<void>;
    record(p: { bridgeId: string; name: string; format: string; ifExists?: 'fail' | 'overwrite' | 'append'; beep?: boolean }): Promise<unknown>;
  };
  playbacks: {
    stop(p: { playbackId: string }): Promise<void>;
  };
  recordings: {
    deleteStored(p: { recordingName: string }): Promise<void>;
    stop(p: { recordingName: string }): Promise<void>;
  };
  applications: {
    subscribe(p: { applicationName: string; eventSource: string }): Promise<unknown>;
  };
  asterisk: {
    ping(): Promise<unknown>;
    /** Dynamic configuration (sorcery): PUT creates or merges an object's fields. */
    updateObject(p: { configClass: string; objectType: string; id: string; fields: Array<{ attribute: string; value: string }> }): Promise<unknown>;
    getObject(p: { configClass: string; objectType: string; id: string }): Promise<unknown>;
    deleteObject(p: { configClass: string; objectType: string; id: string }): Promise<void>;
  };
}

/** ari-client rejects with `new Error(<response body>)` and no status: classify by the body text. */
export function isGone(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /not found|not in stasis|not in a stasis|no such|not in (this|the) bridge|channel not in bridge/i.test(message);
}

/** Creating a bridge that exists already (another caller opened it first, or it outlived a restart). */
export function isAlreadyThere(error: unknown): boolean {
  return /already exists/i.test(error instanceof Error ? error.message : String(error));
}

/** Asterisk knows the channel but not as one of its Stasis apps' (gone from the app, or between two places). */
export function isNotInStasis(error: unknown): boolean {
  return /channel not in (a )?stasis/i.test(error instanceof Error ? error.message : String(error));
}

/**
 * Asterisk still shows the bridge but no Stasis app has it: destroyed a moment ago (its snapshot
 * outlives it briefly). Nothing to do with the channel being added.
 */
export function isStaleBridge(error: unknown): boolean {
  return /bridge not in (a )?stasis/i.test(error instanceof Error ? error.message : String(error));
}

/** The channel itself is gone (hung up), as opposed to the bridge. */
export function isCallGone(error: unknown): boolean {
  return isNotInStasis(error) || /channel not found/i.test(error instanceof Error ? error.message : String(error));
}

/** ARI requests get an answer within this time or count as failed, so no flow waits on a stuck Asterisk. */
export const REQUEST_TIMEOUT_MS = 10_000;

export function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`ARI ${what} timed out after ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** parley speaks of locales (fr-CA); Asterisk's sound folders use underscores (fr_CA). */
export function asteriskLanguage(locale: string): string {
  return locale.replace('-', '_');
}

export function localeOf(asterisk: string | undefined): string | undefined {
  return asterisk && /^[a-z]{2}_[A-Z]{2}$/.test(asterisk) ? asterisk.replace('_', '-') : undefined;
}

/** Sound names become `sound:` media; stored recordings keep their `recording:` URI. */
export function mediaUri(prompt: string): string {
  return prompt.startsWith('recording:') ? prompt : `sound:${prompt}`;
}

import { randomUUID } from 'node:crypto';
import { isDigit, type Digit } from '../../domain/keypad.js';
import type { Log } from '../../ports/log.js';
import { CallEnded, type Call, type Caller, type Language, type Playback, type Prompt } from '../../ports/telephony.js';
import { asteriskLanguage, isGone, mediaUri, withTimeout, type AriRecordingJson, type AriRest } from './ari-rest.js';
import { runInBackground } from '../../ports/background.js';
import { PlaybackWaits } from './ari-playbacks.js';

/**
 * Talk detection: 1.2 s of silence ends talking; energy threshold as ConfBridge's default. Calls that
 * come in through the dialplan have it already (PARLEY_TALK_DETECT in asterisk-config/extensions.conf, the same values,
 * before Stasis: one ARI request less per caller); calls parley places get it here.
 */
const TALK_DETECT = '1200,256';
/** How long the mixer takes to hold only silence from a caller just muted (a few 20 ms frames, with margin). */
const MUTE_SETTLE_MS = 300;

export interface CallContext {
  rest(): AriRest | undefined;
  log: Log;
  /** The media node the call is on (a cluster). */
  node?: string | undefined;
}

/** How often a hangup is sent before the call is taken as ended anyway, and the pause between tries. */
const HANGUP_TRIES = 3;
const HANGUP_RETRY_MS = 250;

/** One channel in parley's Stasis app. Events reach it through AriTelephony's single dispatcher. */
export class AriCall implements Call {
  private readonly controller = new AbortController();
  private readonly digitListeners = new Set<(digit: Digit) => void>();
  private readonly talkListeners = new Set<(talking: boolean) => void>();
  /** What talk detection last said (TALK_DETECT runs from the dialplan, before anyone watches). */
  private talkingNow = false;
  private readonly holdListeners = new Set<(held: boolean) => void>();
  private readonly playbacks = new PlaybackWaits();
  private readonly recordings = new Map<string, (recording: AriRecordingJson | undefined) => void>();
  private talkDetection: Promise<boolean> | undefined;
  /** When the caller was last muted (see play). */
  private mutedAt = 0;
  readonly ended = this.controller.signal;

  constructor(
    readonly id: string,
    readonly caller: Caller,
    readonly dialed: string,
    readonly adopted: boolean,
    private readonly context: CallContext,
    public language: Language = 'en-US',
    readonly placed = false,
    /** The channel's language in Asterisk as it came (e.g. en_US from the endpoint), if known. */
    private channelLanguage?: string,
    readonly adoptedInBridge = false,
  ) {
    if (!placed) this.talkDetection = Promise.resolve(true);
  }

  get node(): string | undefined {
    return this.context.node;
  }

  // --- events from the dispatcher ---
  receivedDigit(digit: string): void {
    if (!isDigit(digit)) return;
    for (const listener of this.digitListeners) listener(digit);
  }

  held(held: boolean): void {
    for (const listener of this.holdListeners) listener(held);
  }

  talking(talking: boolean): void {
    this.talkingNow = talking;
    for (const listener of this.talkListeners) listener(talking);
  }

  playbackFinished(playbackId: string): void {
    this.playbacks.finished(playbackId);
  }

  recordingEnded(recording: AriRecordingJson): void {
    this.recordings.get(recording.name)?.(recording);
  }

  /** Settles every playback still waited on: their PlaybackFinished may have been lost with the socket. */
  settlePlaybacks(): void {
    this.playbacks.settleAll();
  }

  end(): void {
    this.controller.abort();
    this.settlePlaybacks();
    for (const done of [...this.recordings.values()]) done(undefined);
  }

  // --- Call ---
  async answer(): Promise<void> {
    await this.request((rest) => rest.channels.answer({ channelId: this.id }));
  }

  /**
   * Every prompt names its language; the channel's is set as well, so a parley restarted under the call
   * finds it again. Most callers keep the language their endpoint gave the channel: no request then.
   */
  async setLanguage(language: Language): Promise<void> {
    this.language = language;
    const value = asteriskLanguage(language);
    if (value === this.channelLanguage) return;
    if (await this.request((rest) => rest.channels.setChannelVar({ channelId: this.id, variable: 'CHANNEL(language)', value }))) {
      this.channelLanguage = value;
    }
  }

  async recordName(name: string, limits: { maxSeconds: number; silenceSeconds: number }): Promise<Prompt | undefined> {
    const recording = await this.record(name, limits);
    if (this.ended.aborted) throw new CallEnded();
    // A name is at least a moment of speech; a recording of silence (or of the # alone) is no name.
    const spoke = recording?.state === 'done' && (recording.talking_duration ?? recording.duration ?? 0) >= 1;
    if (spoke) return `recording:${name}`;
    // Silence kept on disk would be a caller's recording nobody ever purges.
    await this.request((rest) => rest.recordings.deleteStored({ recordingName: name }));
    return undefined;
  }

  async recordMessage(name: string, limits: { maxSeconds: number; silenceSeconds: number }): Promise<void> {
    await this.record(name, limits);
  }

  /** Records until `#`, silence, the limit or hangup; settles with Asterisk's report when it came. */
  private async record(name: string, limits: { maxSeconds: number; silenceSeconds: number }): Promise<AriRecordingJson | undefined> {
    const finished = new Promise<AriRecordingJson | undefined>((resolve) => {
      const safety = setTimeout(() => done(undefined), (limits.maxSeconds + 10) * 1000);
      const done = (recording: AriRecordingJson | undefined) => {
        clearTimeout(safety);
        this.recordings.delete(name);
        resolve(recording);
      };
      this.recordings.set(name, done);
    });
    const started = await this.request((rest) =>
      rest.channels.record({
        channelId: this.id,
        name,
        format: 'wav',
        maxDurationSeconds: limits.maxSeconds,
        maxSilenceSeconds: limits.silenceSeconds,
        ifExists: 'overwrite',
        beep: true,
        terminateOn: '#',
      }),
    );
    if (!started) this.recordings.get(name)?.(undefined);
    return finished;
  }

  play(prompts: readonly Prompt[], language?: Language): Playback {
    const playbackId = randomUUID();
    const asked = performance.now();
    const since = () => Math.round(performance.now() - asked);
    const finished = this.ended.aborted ? Promise.resolve() : this.playbacks.wait(playbackId).then(() => this.context.log.debug({ call: this.id, playback: playbackId, ms: since() }, 'playback over'));
    // Just after a mute the mixer still holds a few frames of the caller's voice; a playback now would
    // suspend the caller with them queued, and they would reach the others when it ends. Let silence in.
    const settle = Math.max(0, this.mutedAt + MUTE_SETTLE_MS - Date.now());
    const start = () => {
      if (!this.playbacks.has(playbackId)) return; // stopped while it waited
      runInBackground(
        this.context.log,
        'start playback',
        this.request((rest) =>
          rest.channels.play({
            channelId: this.id,
            media: prompts.map(mediaUri),
            playbackId,
            lang: asteriskLanguage(language ?? this.language),
          }),
        ).then((started) => {
          if (!started) this.playbackFinished(playbackId);
          // With 'playback over', how long Asterisk took to start it and to play it (a loaded machine is slow at both).
          else this.context.log.debug({ call: this.id, playback: playbackId, media: prompts.map(mediaUri), ms: since() }, 'playback started');
        }),
        { call: this.id },
      );
    };
    if (settle > 0) setTimeout(start, settle);
    else start();
    return {
      finished,
      stop: async () => {
        await this.request((rest) => rest.playbacks.stop({ playbackId }));
        this.playbackFinished(playbackId);
      },
    };
  }

  onDigit(listener: (digit: Digit) => void): () => void {
    this.digitListeners.add(listener);
    return () => this.digitListeners.delete(listener);
  }

  /**
   * Mutes by scaling what the caller sends to zero (VOLUME(RX) divides each sample by 32768) rather than
   * with ARI's channel mute or a bridge mute: those drop the audio before TALK_DETECT sees it, and a
   * muted caller who talks must still be seen talking (the reminder, the roster's muted-but-talking).
   * TALK_DETECT is attached first, so it hears the caller before the volume hook silences them.
   */
  async setMuted(muted: boolean): Promise<void> {
    await this.detectTalking();
    await this.request((rest) =>
      rest.channels.setChannelVar({ channelId: this.id, variable: 'VOLUME(RX)', value: muted ? '-32768' : '0' }),
    );
    if (muted) this.mutedAt = Date.now();
  }

  async sendDigits(digits: string): Promise<void> {
    // Keys a few ms apart, as a fast typist's: the far end's keypad buffer keeps them all.
    await this.request((rest) => rest.channels.sendDTMF({ channelId: this.id, dtmf: digits, between: 60, duration: 80 }));
  }

  onHold(listener: (held: boolean) => void): () => void {
    this.holdListeners.add(listener);
    return () => this.holdListeners.delete(listener);
  }

  watchTalking(listener: (talking: boolean) => void): () => void {
    this.talkListeners.add(listener);
    // Talking since before it was watched (a browser that speaks from the first moment): Asterisk says
    // so once, and not again until a pause.
    if (this.talkingNow) queueMicrotask(() => this.talkListeners.has(listener) && listener(true));
    runInBackground(this.context.log, 'talk detection', this.detectTalking(), { call: this.id });
    return () => this.talkListeners.delete(listener);
  }

  /** Attaches TALK_DETECT once (a placed call; see TALK_DETECT); before any mute, so its hook comes first in the channel's chain. */
  private detectTalking(): Promise<unknown> {
    this.talkDetection ??= this.request((rest) =>
      rest.channels.setChannelVar({ channelId: this.id, variable: 'TALK_DETECT(set)', value: TALK_DETECT }),
    );
    return this.talkDetection;
  }

  async ring(): Promise<void> {
    await this.request((rest) => rest.channels.ring({ channelId: this.id }));
  }

  async hangup(reason: 'normal' | 'busy' | 'unavailable' | 'refused' = 'normal'): Promise<void> {
    // Cause 34 (congestion) reaches a SIP caller as 503, as the dialplan's own fallback does; cause 21
    // (call rejected) as 403.
    const cause = reason === 'unavailable' ? 'congestion' : reason === 'refused' ? 'rejected' : reason;
    // A hangup that did not reach Asterisk (the socket cut, no answer) is sent again: once the call counts
    // as ended here, nothing would end its line, and the caller would stay on, hearing nothing.
    for (let tries = 1; (await this.attempt((rest) => rest.channels.hangup({ channelId: this.id, reason: cause }))) === 'failed' && tries < HANGUP_TRIES; tries++) {
      await new Promise((resolve) => setTimeout(resolve, HANGUP_RETRY_MS));
    }
    this.end();
  }

  /** Runs one ARI request; a channel that is gone is a normal outcome (false), not an error. */
  private async request(fn: (rest: AriRest) => Promise<unknown>): Promise<boolean> {
    return (await this.attempt(fn)) === 'done';
  }

  private async attempt(fn: (rest: AriRest) => Promise<unknown>): Promise<'done' | 'gone' | 'failed'> {
    const rest = this.context.rest();
    if (this.ended.aborted) return 'gone';
    if (!rest) return 'failed';
    try {
      await withTimeout(fn(rest), 'request');
      return 'done';
    } catch (error) {
      if (isGone(error)) return 'gone';
      this.context.log.warn({ err: String(error), call: this.id }, 'ARI request failed');
      return 'failed';
    }
  }
}

// An in-memory Telephony port: calls that record what the caller heard and let a test script
// the caller (keys to press, when to hang up), and bridges that record who is in and whether
// music plays. Behaves like the ARI adapter where the flows can tell: playbacks on one call
// queue, every Call method is a no-op after hangup, a live call leaves its bridge when it ends.
import { isDigit, type Digit } from '../../src/domain/keypad.js';
import {
  CallEnded,
  type Call,
  type CallHandler,
  type Caller,
  type ConferenceBridge,
  type DialFailure,
  type DialOutcome,
  type DialRequest,
  type Language,
  type OutboundCall,
  type Playback,
  type Prompt,
  type Telephony,
} from '../../src/ports/telephony.js';

export interface CallerScript {
  /**
   * Keys sent the moment parley answers (one-tap dialing, e.g. "1234567#4321#"). For an adopted
   * call, which parley does not answer, they are sent when parley first listens for keys.
   */
  readonly keysOnArrival?: string;
  /**
   * Keys typed when a prompt starts playing (barge-in): a string is typed every time that prompt
   * plays; a list is a queue, one entry per time it plays (nothing once the queue is empty).
   */
  readonly keys?: Readonly<Record<Prompt, string | readonly string[]>>;
  /** How long after the prompt starts its keys are typed; 0 (the default) types them at once. */
  readonly typeAfterMs?: number;
  /** The caller hangs up while this prompt plays (they heard it start). */
  readonly hangUpAfter?: Prompt;
  /** What the caller says when asked to record their name: nothing (undefined) or a recording. */
  readonly saysName?: boolean;
  /** Runs as each prompt starts, before its keys: lets a test change the world at a given moment. */
  readonly onPrompt?: (prompt: Prompt, call: FakeCall) => void;
}

export interface FakeCallOptions extends CallerScript {
  readonly id?: string;
  readonly caller?: Partial<Caller>;
  readonly dialed?: string;
  /** A call answered before parley saw it (after a restart). */
  readonly adopted?: boolean;
  /** Adopted while in the bridge of this conference (after a restart mid-call): the call starts in it. */
  readonly inBridge?: string;
  /** parley placed it (dial-out). */
  readonly placed?: boolean;
  readonly language?: Language;
  /** The cluster's media node the call is on. */
  readonly node?: string;
}

export interface FakeTelephonyOptions {
  /** How long each prompt plays, in real milliseconds. */
  readonly promptMs?: number;
}

export class FakePlayback implements Playback {
  readonly finished: Promise<void>;
  private settle!: () => void;
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  started = false;
  done = false;
  /** True when stop() (or hangup) cut it short. */
  stopped = false;

  constructor(
    private readonly call: FakeCall,
    readonly prompts: readonly Prompt[],
    private readonly promptMs: number,
    readonly language: Language,
  ) {
    this.finished = new Promise<void>((resolve) => (this.settle = resolve));
  }

  /** Called by the call when this playback reaches the head of its queue. */
  start(): void {
    this.started = true;
    this.playNext();
  }

  async stop(): Promise<void> {
    this.end(true);
  }

  /** Settles the playback: naturally, or cut short when `stopped`. */
  end(stopped: boolean): void {
    if (this.done) return;
    this.done = true;
    this.stopped = stopped;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.settle();
    this.call.playbackEnded(this);
  }

  /** The prompt playing now (or last played). */
  get current(): Prompt | undefined {
    return this.started ? this.prompts[this.next - 1] : undefined;
  }

  private playNext(): void {
    if (this.done) return;
    const prompt = this.prompts[this.next++];
    if (prompt === undefined) return this.end(false);
    this.timer = setTimeout(() => this.playNext(), this.promptMs);
    this.call.promptStarted(prompt, this.language);
  }
}

export class FakeCall implements Call {
  private readonly controller = new AbortController();
  private readonly digitListeners = new Set<(digit: Digit) => void>();
  private readonly talkListeners = new Set<(talking: boolean) => void>();
  private readonly holdListeners = new Set<(held: boolean) => void>();
  private readonly queue: FakePlayback[] = [];
  private readonly keyQueues = new Map<Prompt, string[]>();
  private readonly script: CallerScript;
  private arrivalKeysSent = false;

  readonly id: string;
  readonly caller: Caller;
  readonly dialed: string;
  readonly adopted: boolean;
  readonly placed: boolean;
  readonly ended = this.controller.signal;

  /** Every prompt the caller heard start, in order, as passed to play. */
  readonly heard: Prompt[] = [];
  /** The language of each prompt in `heard`. */
  readonly heardIn: Language[] = [];
  language: Language = 'en-US';
  /** Names recorded on this call. */
  readonly recordings: string[] = [];
  /** Prompts cut short by stop() (barge-in) or a hangup, in order. */
  readonly interrupted: Prompt[] = [];
  /** Every key the caller pressed, in order. */
  pressed = '';
  answered: boolean;
  /** How many times parley asked to answer (an adopted call must not be answered again). */
  answerRequests = 0;
  hungUpBy: 'caller' | 'parley' | undefined;
  /** The channel's inbound audio is muted (what Call.setMuted controls). */
  muted = false;
  /** Whether talk detection is on (someone watches talking). */
  talkDetection = false;
  /** The id of the bridge the call is in, if any. */
  bridge: string | undefined;
  readonly adoptedInBridge: boolean;
  readonly node?: string;

  constructor(
    private readonly telephony: FakeTelephony,
    options: FakeCallOptions,
    private readonly promptMs: number,
  ) {
    this.id = options.id ?? 'call-1';
    this.caller = { number: '+14255550123', name: 'Alice', ...options.caller };
    this.dialed = options.dialed ?? '14255550100';
    this.adopted = options.adopted ?? false;
    this.adoptedInBridge = this.adopted && options.inBridge !== undefined;
    this.placed = options.placed ?? false;
    if (options.node !== undefined) this.node = options.node;
    this.answered = this.adopted || this.placed;
    if (options.language) this.language = options.language;
    this.script = options;
    for (const [prompt, keys] of Object.entries(options.keys ?? {})) {
      if (typeof keys !== 'string') this.keyQueues.set(prompt, [...keys]);
    }
  }

  get hungUp(): boolean {
    return this.ended.aborted;
  }

  // --- Call (parley's side) ---

  async answer(): Promise<void> {
    if (this.hungUp) return;
    this.answerRequests++;
    this.answered = true;
    this.sendArrivalKeys();
  }

  async setLanguage(language: Language): Promise<void> {
    if (!this.hungUp) this.language = language;
  }

  async recordName(name: string): Promise<Prompt | undefined> {
    if (this.hungUp) throw new CallEnded();
    this.heard.push('(beep)');
    this.heardIn.push(this.language);
    this.recordings.push(name);
    return this.script.saysName === false ? undefined : `recording:${name}`;
  }

  async recordMessage(name: string): Promise<void> {
    if (this.hungUp) return;
    this.heard.push('(beep)');
    this.heardIn.push(this.language);
    this.recordings.push(name);
  }

  play(prompts: readonly Prompt[], language?: Language): Playback {
    const playback = new FakePlayback(this, prompts, this.promptMs, language ?? this.language);
    if (this.hungUp) {
      playback.end(false);
      return playback;
    }
    this.queue.push(playback);
    if (this.queue.length === 1) playback.start();
    return playback;
  }

  onDigit(listener: (digit: Digit) => void): () => void {
    this.digitListeners.add(listener);
    if (this.adopted) queueMicrotask(() => this.sendArrivalKeys());
    return () => this.digitListeners.delete(listener);
  }

  async setMuted(muted: boolean): Promise<void> {
    if (!this.hungUp) this.muted = muted;
  }

  /** Keys sent to the far end, in order. */
  readonly sentDigits: string[] = [];

  async sendDigits(digits: string): Promise<void> {
    if (!this.hungUp) this.sentDigits.push(digits);
  }

  onHold(listener: (held: boolean) => void): () => void {
    this.holdListeners.add(listener);
    return () => this.holdListeners.delete(listener);
  }

  /** Test control: the caller's phone puts the call on hold, or resumes it. */
  hold(held: boolean): void {
    for (const listener of [...this.holdListeners]) listener(held);
  }

  watchTalking(listener: (talking: boolean) => void): () => void {
    this.talkListeners.add(listener);
    if (!this.hungUp) this.talkDetection = true;
    if (this.talkingNow) queueMicrotask(() => this.talkListeners.has(listener) && listener(true));
    return () => this.talkListeners.delete(listener);
  }

  /** How many times parley told this caller's phone it is ringing. */
  ringbacks = 0;
  /** How the call was ended by parley, when it was. */
  hungUpWith: 'normal' | 'busy' | 'unavailable' | 'refused' | undefined;

  async ring(): Promise<void> {
    if (!this.ended.aborted) this.ringbacks++;
  }

  async hangup(reason: 'normal' | 'busy' | 'unavailable' | 'refused' = 'normal'): Promise<void> {
    if (!this.ended.aborted) this.hungUpWith = reason;
    this.end('parley');
  }

  // --- the caller's side, for tests ---

  /** The caller presses these keys now, one after another. */
  press(keys: string): void {
    if (this.hungUp) return;
    for (const key of keys) {
      if (!isDigit(key)) throw new Error(`not a phone key: ${key}`);
      this.pressed += key;
      for (const listener of [...this.digitListeners]) listener(key);
    }
  }

  /** The caller hangs up. */
  hangUp(): void {
    this.end('caller');
  }

  /** Talk detection reports the caller talking or silent. */
  talk(talking: boolean): void {
    if (this.hungUp) return;
    this.talkingNow = talking;
    for (const listener of [...this.talkListeners]) listener(talking);
  }
  private talkingNow = false;

  /** How many listeners wait for keys (0 once every flow stopped listening). */
  get digitListenerCount(): number {
    return this.digitListeners.size;
  }

  /** The prompt playing now, if any. */
  get playing(): Prompt | undefined {
    return this.queue[0]?.current;
  }

  // --- from FakePlayback and FakeTelephony ---

  promptStarted(prompt: Prompt, language: Language): void {
    this.heard.push(prompt);
    this.heardIn.push(language);
    this.script.onPrompt?.(prompt, this);
    const keys = this.keysFor(prompt);
    const hangUp = this.script.hangUpAfter === prompt;
    if (keys === undefined && !hangUp) return;
    const act = () => {
      if (keys !== undefined) this.press(keys);
      if (hangUp) this.hangUp();
    };
    const delay = this.script.typeAfterMs ?? 0;
    if (delay > 0 && keys !== undefined) setTimeout(act, delay);
    else queueMicrotask(act);
  }

  playbackEnded(playback: FakePlayback): void {
    const cutShort = playback.stopped ? playback.current : undefined;
    if (cutShort !== undefined) this.interrupted.push(cutShort);
    const index = this.queue.indexOf(playback);
    if (index < 0) return;
    this.queue.splice(index, 1);
    if (index === 0 && !this.hungUp) this.queue[0]?.start();
  }

  private keysFor(prompt: Prompt): string | undefined {
    const queued = this.keyQueues.get(prompt);
    if (queued) return queued.shift();
    const keys = this.script.keys?.[prompt];
    return typeof keys === 'string' ? keys : undefined;
  }

  private sendArrivalKeys(): void {
    if (this.arrivalKeysSent || !this.script.keysOnArrival) return;
    this.arrivalKeysSent = true;
    this.press(this.script.keysOnArrival);
  }

  private end(by: 'caller' | 'parley'): void {
    if (this.hungUp) return;
    this.hungUpBy = by;
    this.controller.abort();
    for (const playback of [...this.queue]) playback.end(true);
    this.telephony.callEnded(this);
  }
}

/**
 * One conference's bridge, as the ARI adapter presents it: open() is idempotent, adding a call
 * that is gone or adding to a bridge that does not exist fails, music and destroy on a missing
 * bridge are no-ops.
 */
export class FakeBridge implements ConferenceBridge {
  readonly id: string;
  /** Whether the bridge exists in (fake) Asterisk: open() creates it, destroy() removes it. */
  exists = false;
  readonly members = new Set<string>();
  music = false;
  /** Prompts played to the whole bridge, with their language. */
  readonly announced: Array<{ prompts: readonly Prompt[]; language: Language }> = [];
  /** What parley asked of the bridge, in order: 'open', 'add <call>', 'music on', 'music off', 'destroy'. */
  readonly history: string[] = [];

  constructor(
    readonly conferenceId: string,
    private readonly telephony: FakeTelephony,
    readonly kind: 'conference' | 'lobby' = 'conference',
  ) {
    this.id = kind === 'lobby' ? `parley-lobby-${conferenceId}` : `parley-${conferenceId}`;
  }

  play(prompts: readonly Prompt[], language: Language): Playback {
    this.announced.push({ prompts, language });
    return { finished: Promise.resolve(), stop: async () => undefined };
  }

  /** Recordings running now, by name. */
  readonly recording = new Set<string>();

  async record(name: string): Promise<void> {
    this.history.push(`record ${name}`);
    if (!this.exists) throw new Error(`Bridge not found: ${this.id}`);
    this.recording.add(name);
  }

  async stopRecording(name: string): Promise<void> {
    this.history.push(`stop recording ${name}`);
    this.recording.delete(name);
  }

  get destroyed(): boolean {
    return this.history.includes('destroy');
  }

  async open(): Promise<void> {
    this.history.push('open');
    this.exists = true;
  }

  async add(callId: string): Promise<void> {
    this.history.push(`add ${callId}`);
    if (!this.exists) throw new Error(`Bridge not found: ${this.id}`);
    const call = this.telephony.call(callId);
    if (!call) throw new CallEnded(); // the port's contract: a hung-up call is CallEnded, not a failure
    if (call.bridge !== undefined) void this.telephony.bridgeById(call.bridge)?.remove(callId);
    this.members.add(callId);
    call.bridge = this.id;
  }

  async startMusic(): Promise<void> {
    this.history.push('music on');
    if (this.exists) this.music = true;
  }

  async stopMusic(): Promise<void> {
    this.history.push('music off');
    this.music = false;
  }

  async destroy(): Promise<void> {
    this.history.push('destroy');
    this.drop();
  }

  /** The bridge disappears without parley asking (removed in Asterisk, or Asterisk restarted). */
  vanish(): void {
    this.drop();
  }

  async remove(callId: string): Promise<void> {
    this.members.delete(callId);
    const call = this.telephony.allCalls.get(callId);
    if (call?.bridge === this.id) call.bridge = undefined;
  }

  private drop(): void {
    for (const callId of [...this.members]) void this.remove(callId);
    this.exists = false;
    this.music = false;
  }
}

/** A call parley is placing; the test plays the far end. */
export class FakeOutboundCall implements OutboundCall {
  readonly outcome: Promise<DialOutcome>;
  private settle!: (outcome: DialOutcome) => void;
  private readonly ringingListeners: Array<() => void> = [];
  cancelledWith: 'normal' | 'elsewhere' | undefined;

  constructor(
    readonly request: DialRequest,
    private readonly connect: () => FakeCall,
  ) {
    this.outcome = new Promise((resolve) => (this.settle = resolve));
  }

  get id(): string {
    return this.request.id;
  }

  onRinging(listener: () => void): void {
    this.ringingListeners.push(listener);
  }

  async cancel(reason: 'normal' | 'elsewhere' = 'normal'): Promise<void> {
    this.cancelledWith = reason;
    this.settle({ failed: 'cancelled' });
  }

  ring(): void {
    for (const listener of this.ringingListeners) listener();
  }

  answer(): FakeCall {
    const call = this.connect();
    this.settle({ answered: call });
    return call;
  }

  fail(failure: DialFailure): void {
    this.settle({ failed: failure });
  }
}

export class FakeTelephony implements Telephony {
  /** Calls still up, by channel id. */
  private readonly live = new Map<string, FakeCall>();
  /** Every call ever made, by channel id. */
  readonly allCalls = new Map<string, FakeCall>();
  /** Bridges by conference id. */
  readonly bridges = new Map<string, FakeBridge>();
  private handler: CallHandler | undefined;
  private synced: ((live: ReadonlySet<string>) => Promise<void>) | undefined;
  private nextCall = 1;
  up = true;

  constructor(private readonly options: FakeTelephonyOptions = {}) {}

  // --- Telephony ---

  onCall(handler: CallHandler): void {
    this.handler = handler;
  }

  onSynced(handler: (liveCallIds: ReadonlySet<string>) => Promise<void>): void {
    this.synced = handler;
  }

  bridge(conferenceId: string): FakeBridge {
    let bridge = this.bridges.get(conferenceId);
    if (!bridge) {
      bridge = new FakeBridge(conferenceId, this);
      this.bridges.set(conferenceId, bridge);
    }
    return bridge;
  }

  lobby(conferenceId: string): FakeBridge {
    const key = `lobby-${conferenceId}`;
    let bridge = this.bridges.get(key);
    if (!bridge) {
      bridge = new FakeBridge(conferenceId, this, 'lobby');
      this.bridges.set(key, bridge);
    }
    return bridge;
  }

  call(channelId: string): FakeCall | undefined {
    return this.live.get(channelId);
  }

  /** Calls parley placed, in order; a test answers or fails them. */
  readonly placed: FakeOutboundCall[] = [];

  dial(request: DialRequest): FakeOutboundCall {
    const outbound = new FakeOutboundCall(request, () => this.newCall({ id: request.id, placed: true, language: request.language }));
    this.placed.push(outbound);
    return outbound;
  }

  isUp(): boolean {
    return this.up;
  }

  liveCallIds(): ReadonlySet<string> {
    return new Set(this.live.keys());
  }

  // --- for tests ---

  /** A live call that no handler has seen yet: pass it to a flow yourself. */
  newCall(options: FakeCallOptions = {}): FakeCall {
    const id = options.id ?? `call-${this.nextCall++}`;
    if (this.allCalls.has(id)) throw new Error(`call ${id} exists`);
    const call = new FakeCall(this, { ...options, id }, this.options.promptMs ?? 2);
    if (options.inBridge !== undefined) {
      const bridge = this.bridge(options.inBridge);
      bridge.exists = true;
      bridge.members.add(id);
      call.bridge = bridge.id;
    }
    this.live.set(id, call);
    this.allCalls.set(id, call);
    return call;
  }

  /** A call reaching parley: handed to the onCall handler. */
  ring(options: FakeCallOptions = {}): FakeCall {
    if (!this.handler) throw new Error('no onCall handler registered');
    const call = this.newCall(options);
    this.handler(call);
    return call;
  }

  /** A call that was up before parley (re)started, handed to the onCall handler as adopted. */
  adopt(options: FakeCallOptions = {}): FakeCall {
    return this.ring({ ...options, adopted: true });
  }

  /** What AriTelephony does after a (re)connect: reports the calls still up. */
  async sync(): Promise<void> {
    await this.synced?.(new Set(this.live.keys()));
  }

  bridgeById(id: string): FakeBridge | undefined {
    return [...this.bridges.values()].find((bridge) => bridge.id === id);
  }

  callEnded(call: FakeCall): void {
    this.live.delete(call.id);
    if (call.bridge !== undefined) this.bridgeById(call.bridge)?.remove(call.id);
  }
}

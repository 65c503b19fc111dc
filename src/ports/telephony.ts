import { createHash } from 'node:crypto';
import type { Digit } from '../domain/keypad.js';

/**
 * A prompt is a sound name Asterisk resolves in the caller's language, e.g. `parley/welcome`, or
 * `recording:<name>` for a stored recording (a caller's recorded name).
 */
export type Prompt = string;

/** A locale such as `fr-CA`: which language's prompts Asterisk picks. */
export type Language = string;

export interface Playback {
  /** Settles when the prompt ends, is stopped, or the call ends (or at the adapter's one playback limit, should its event be lost); never rejects. */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

export interface Caller {
  readonly number: string;
  readonly name: string;
  /**
   * The username of the directory user's registered SIP device that placed the call (Asterisk checked
   * its digest); undefined for a call through the gateway, whose caller ID nobody vouches for.
   */
  readonly device?: string;
  /** A relay leg from another media node: the one-time ticket that says whose call it carries (src/calls/relay.ts). */
  readonly relayTicket?: string;
}

/** One live call. Every method is safe after hangup: it becomes a no-op. */
export interface Call {
  readonly id: string;
  readonly caller: Caller;
  /** The access number the caller dialled. */
  readonly dialed: string;
  /** The media node the call is on (a cluster); undefined on a single box. */
  readonly node?: string;
  /** Aborted when the call ends, whoever ends it. */
  readonly ended: AbortSignal;
  /** parley placed this call (dial-out), rather than answering it. */
  readonly placed: boolean;
  /** True for a call that was already answered before this process saw it (a restart or reconnect). */
  readonly adopted: boolean;
  /** An adopted call Asterisk had in a bridge when this process adopted it (false for any other call). */
  readonly adoptedInBridge: boolean;
  /** The language prompts are played in, until changed. */
  readonly language: Language;
  answer(): Promise<void>;
  setLanguage(language: Language): Promise<void>;
  /** Plays in the call's language, or in `language` for this playback only (the language offer). */
  play(prompts: readonly Prompt[], language?: Language): Playback;
  /**
   * Records the caller (after a beep; `#` or silence ends it) as a stored recording. Returns the prompt
   * that plays it back, or undefined when nothing usable was said.
   */
  recordName(name: string, limits: { maxSeconds: number; silenceSeconds: number }): Promise<Prompt | undefined>;
  /**
   * Records a message (after a beep) as the stored recording `name` until `#`, silence, the limit or
   * the caller hanging up; the file stays, whatever it holds. Never throws.
   */
  recordMessage(name: string, limits: { maxSeconds: number; silenceSeconds: number }): Promise<void>;
  /** Keys the caller presses, from the moment the call reached parley. */
  onDigit(listener: (digit: Digit) => void): () => void;
  /** Sends keys to the far end (RFC 4733), as if pressed there: keys a relayed caller typed ahead. */
  sendDigits(digits: string): Promise<void>;
  setMuted(muted: boolean): Promise<void>;
  /** Reports talking and silence on this call (talk detection); a caller already talking when watched is reported at once. */
  watchTalking(listener: (talking: boolean) => void): () => void;
  /** The caller's phone put the call on hold (true) or took it off hold (false). */
  onHold(listener: (held: boolean) => void): () => void;
  /** Tells an unanswered caller's phone it is ringing (ringback) while parley rings someone for them. */
  ring(): Promise<void>;
  /**
   * Ends the call; `busy` tells the caller's phone nobody can take it (SIP 486), `unavailable` that
   * the service cannot take calls now (SIP 503), `refused` that this call is not accepted (SIP 403).
   */
  hangup(reason?: 'normal' | 'busy' | 'unavailable' | 'refused'): Promise<void>;
}

/** A handle on a mixing bridge by id; `open` creates it in Asterisk when it is not there. */
export interface ConferenceBridge {
  readonly id: string;
  open(): Promise<void>;
  /** Rejects with CallEnded when the call hung up meanwhile. The call's keys stay with parley (onDigit). */
  add(callId: string): Promise<void>;
  /** Takes the call out of this bridge (it stays up); a call already gone is fine. */
  remove(callId: string): Promise<void>;
  startMusic(): Promise<void>;
  stopMusic(): Promise<void>;
  /** Plays to everyone in the bridge at once; the mix goes on. */
  play(prompts: readonly Prompt[], language: Language): Playback;
  /** Records the bridge's mix as the stored recording `<name>.wav` until stopped or the bridge goes. */
  record(name: string): Promise<void>;
  /** Stops that recording; one already over is fine. */
  stopRecording(name: string): Promise<void>;
  destroy(): Promise<void>;
}

export type CallHandler = (call: Call) => void;

/** Why a call parley placed did not become a conversation. */
export type DialFailure = 'busy' | 'no-answer' | 'declined' | 'failed' | 'cancelled';

/**
 * Where parley calls: a phone number through the gateway, one registered contact of a SIP endpoint, or
 * another media node (`relay`: its SIP URI), carrying a caller there with a one-time ticket.
 */
export type DialTarget =
  | { readonly phone: string }
  | { readonly endpoint: string; readonly contact: string }
  | { readonly relay: string; readonly ticket: string };

export interface DialRequest {
  /** The call's id, chosen before it exists, so the roster can name it from the first moment. */
  readonly id: string;
  readonly to: DialTarget;
  /** What the called phone shows. */
  readonly callerId: Caller;
  readonly ringSeconds: number;
  /** The language the called person hears. */
  readonly language: Language;
  /** A forwarded call: who it was meant for (sent as a Diversion header) and why it moved on. */
  readonly diversion?: Diversion;
  /**
   * Which media node places the call (a cluster): the one a call is on, or the conference's; a single
   * box ignores it.
   */
  readonly near?: { readonly call: string } | { readonly conference: string };
}

/** RFC 5806's reasons parley forwards for: forward-all, unanswered, simultaneous ring. */
export interface Diversion {
  readonly number: string;
  readonly reason: 'unconditional' | 'no-answer' | 'follow-me';
}

export type DialOutcome = { readonly answered: Call } | { readonly failed: DialFailure };

/** A call parley is placing. */
export interface OutboundCall {
  readonly id: string;
  /** Settles once: answered (the call is live and in parley's hands) or how it failed; never rejects. */
  readonly outcome: Promise<DialOutcome>;
  /** The far end is alerting. */
  onRinging(listener: () => void): void;
  /**
   * Stops a call not answered yet (`elsewhere`: another leg took it, and the phone is told so); hangs
   * up one already answered. The outcome becomes `cancelled` unless it had settled.
   */
  cancel(reason?: 'normal' | 'elsewhere'): Promise<void>;
}

/** Thrown out of a wait when the call it waited on has ended: a normal outcome, not a failure. */
export class CallEnded extends Error {
  readonly code = 'call-ended';
  constructor() {
    super('call ended');
    this.name = 'CallEnded';
  }
}

export interface Telephony {
  /** Registers the handler for calls reaching parley, new or adopted after a (re)connect. */
  onCall(handler: CallHandler): void;
  /** After every (re)connect, once live calls are re-adopted: the ids of the calls still up. */
  onSynced(handler: (liveCallIds: ReadonlySet<string>) => Promise<void>): void;
  /** The conference's mixing bridge; its id is stable, so a restarted parley finds it again. */
  bridge(conferenceId: string): ConferenceBridge;
  /** The conference's lobby: a holding bridge where callers hear music, not each other. */
  lobby(conferenceId: string): ConferenceBridge;
  /** Places a call; refused at once (outcome failed) when Asterisk is not connected. */
  dial(request: DialRequest): OutboundCall;
  /** The live call with this channel id, if it is still up. */
  call(channelId: string): Call | undefined;
  isUp(): boolean;
  /** The calls this process currently holds (valid while isUp()). */
  liveCallIds(): ReadonlySet<string>;
}

/** The digest realm devices authenticate in. */
export const SIP_REALM = 'parley';

/** The digest HA1 Asterisk checks a device's password against (RFC 2617): only it is kept, never the password. */
export function sipDigest(username: string, password: string): string {
  return createHash('md5').update(`${username}:${SIP_REALM}:${password}`).digest('hex');
}

/** A directory user's SIP device as Asterisk knows it: the name it registers with and its digest (HA1). */
export interface SipDevice {
  readonly username: string;
  /** MD5(username:realm:password); the password itself is never stored. */
  readonly ha1: string;
}

/** Where directory users' SIP devices register (Asterisk's PJSIP registrar, provisioned through ARI). */
export interface SipRegistrar {
  /** Creates or updates the device's endpoint, AOR and auth; contacts already registered stay. */
  provision(device: SipDevice): Promise<void>;
  /**
   * A browser's endpoint for one audio session (WebRTC: SIP over the WebSocket, DTLS-SRTP, Opus or
   * G.711): it registers nothing and only calls in.
   */
  provisionBrowser(device: SipDevice): Promise<void>;
  remove(username: string): Promise<void>;
  /** The contacts the device has registered now (SIP URIs), read through the live call `viaCallId`. */
  contacts(username: string, viaCallId: string): Promise<string[]>;
}

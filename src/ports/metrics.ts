/**
 * What the call flows report for monitoring (GET /metrics). Labels come only from the fixed lists
 * below, never from callers' input: no conference IDs, passcodes, PINs or numbers reach a metric.
 */

/** Where a call is: the attendant's steps, then the conference; calls to users and calls parley placed. */
export const CALL_STAGES = [
  'greeting',
  'conference-id',
  'passcode',
  'sign-in',
  'name',
  'lobby',
  'joining',
  'in-conference',
  'farewell',
  'user-call',
  'dial-out',
  /** A cluster: the caller was put through to their conference's media node, where they go on. */
  'relayed',
] as const;
export type CallStage = (typeof CALL_STAGES)[number];

/** Why a caller who reached the attendant did not get into the conference. */
export const JOIN_FAILURES = [
  /** This number kept guessing (keypad guard) and is refused for a while. */
  'keypad-refused',
  /** The tries at the conference ID ran out (wrong IDs or silence). */
  'wrong-id',
  'wrong-passcode',
  /** The tries at extension and PIN ran out. */
  'sign-in-failed',
  'pin-locked',
  /** The meeting admits only signed-in callers, and this one did not sign in. */
  'sign-in-required',
  'not-invited',
  'locked',
  'full',
  'ended',
  'lobby-timeout',
  /** A leader turned the caller away from the lobby. */
  'lobby-denied',
  /** The caller hung up before reaching the conference. */
  'hung-up',
  /** The database was unavailable: told so and released. */
  'unavailable',
  /** The call flow failed (a bug, or Asterisk refusing): released. */
  'error',
] as const;
export type JoinFailure = (typeof JOIN_FAILURES)[number];

/** One call's progress. A call is in one stage at a time; it joins or fails at most once (later reports are ignored). */
export interface CallMetrics {
  stage(stage: CallStage): void;
  /** The attendant put the caller in the bridge, `latencyMs` after their last answer (or the end of the step they waited in). */
  joined(latencyMs: number): void;
  failed(cause: JoinFailure): void;
  /** The call is over: it leaves its stage. */
  end(): void;
}

export interface Metrics {
  /** Starts following one call (call `end()` when its flow is over). */
  call(): CallMetrics;
}

/** The ARI adapter's one hook: times each REST request by operation (`channels.answer`, `bridges.addChannel`…). */
export interface RequestTimings {
  /** The recorder for one operation; looked up once per operation and kept, so a request costs one observation. */
  timer(operation: string): (seconds: number) => void;
}

/** The ARI adapter's other hook: counts the events the telephony server sends, by type (`StasisStart`…). */
export interface EventCounts {
  /** The counter for one event type; looked up once per type and kept. */
  counter(type: string): () => void;
}

const ignore = () => undefined;
export const NO_CALL_METRICS: CallMetrics = { stage: ignore, joined: ignore, failed: ignore, end: ignore };
export const NO_METRICS: Metrics = { call: () => NO_CALL_METRICS };

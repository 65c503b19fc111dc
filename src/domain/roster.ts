import type { ParticipantState } from './participant.js';

/**
 * The conference-endpoint state machine: which state may follow which. A call that is leaving only
 * finishes leaving, and one that has left never comes back (dialling in again is a new participant).
 * Setting the state a participant is already in is allowed and changes nothing (leaving twice is safe).
 */
const NEXT: Record<ParticipantState, readonly ParticipantState[]> = {
  inviting: ['ringing', 'connecting', 'disconnected'],
  ringing: ['connecting', 'disconnected'],
  connecting: ['lobby', 'connected', 'disconnecting', 'disconnected'],
  lobby: ['connecting', 'connected', 'disconnecting', 'disconnected'],
  connected: ['on-hold', 'disconnecting', 'disconnected'],
  'on-hold': ['connected', 'disconnecting', 'disconnected'],
  disconnecting: ['disconnected'],
  disconnected: [],
};

export const PARTICIPANT_STATES = Object.keys(NEXT) as ParticipantState[];

export function mayMove(from: ParticipantState, to: ParticipantState): boolean {
  return from === to || NEXT[from].includes(to);
}

/** The states from which `to` may be reached (itself included): what a store's conditional update accepts. */
export function predecessorsOf(to: ParticipantState): ParticipantState[] {
  return PARTICIPANT_STATES.filter((from) => mayMove(from, to));
}

/** Counted in the conference and heard in the bridge. */
export function inBridge(state: ParticipantState): boolean {
  return state === 'connected' || state === 'on-hold';
}

/** Not gone and not on the way out: a leader's end of the gathering reaches them. */
export function stillLive(state: ParticipantState): boolean {
  return state !== 'disconnected' && state !== 'disconnecting';
}

/** A call parley placed whose phone has not been answered yet. */
export function stillRinging(state: ParticipantState): boolean {
  return state === 'inviting' || state === 'ringing';
}

/** Was heard in the bridge until now (an ejected caller hearing the closing prompt still was): their leaving is announced. */
export function leavesTheBridge(state: ParticipantState): boolean {
  return inBridge(state) || state === 'disconnecting';
}

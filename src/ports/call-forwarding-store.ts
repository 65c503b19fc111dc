import type { CallForwardingSettings, Presence } from '../domain/call-routing.js';

/** Each user's call-forwarding settings and presence; absent: never set. */
export interface CallForwardingStore {
  settings(userId: string): Promise<CallForwardingSettings | undefined>;
  /** False when the user does not exist (any more). */
  saveSettings(userId: string, settings: CallForwardingSettings): Promise<boolean>;
  presence(userId: string): Promise<Presence | undefined>;
  /** False when the user does not exist (any more). */
  savePresence(userId: string, presence: Presence): Promise<boolean>;
}

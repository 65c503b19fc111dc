import type { SipDevice } from './telephony.js';

export interface UserSipDevice extends SipDevice {
  readonly userId: string;
}

export interface SipDeviceStore {
  get(userId: string): Promise<UserSipDevice | undefined>;
  byUsername(username: string): Promise<UserSipDevice | undefined>;
  all(): Promise<UserSipDevice[]>;
  /** Creates or replaces the user's device; false when `username` belongs to another user. */
  save(device: UserSipDevice): Promise<boolean>;
  remove(userId: string): Promise<UserSipDevice | undefined>;
}

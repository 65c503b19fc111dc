/** Runs a job (or any one-at-a-time action, by name) on one instance only: 'busy' while another holds it. */
export interface JobLock {
  exclusive<T>(job: string, run: () => Promise<T>): Promise<T | 'busy'>;
}

export interface Notice {
  readonly userId: string;
  readonly kind: 'pin-expiring';
  /** Makes the notice once-only, e.g. the PIN's set time. */
  readonly key: string;
  readonly payload: Record<string, unknown>;
}

export interface NoticeStore {
  /** False when the same notice exists already. */
  insertOnce(notice: Notice): Promise<boolean>;
}

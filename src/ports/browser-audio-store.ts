/** A browser's audio session: the endpoint made for it and who calls through it (no password kept). */
export interface BrowserAudioSession {
  readonly username: string;
  readonly conferenceId: string;
  /** The signed-in user; null for a guest from a join page. */
  readonly userId: string | null;
  readonly displayName: string;
  readonly createdAt: Date;
}

export interface BrowserAudioStore {
  save(session: Omit<BrowserAudioSession, 'createdAt'>): Promise<void>;
  get(username: string): Promise<BrowserAudioSession | undefined>;
  remove(username: string): Promise<BrowserAudioSession | undefined>;
  /** Removes and returns the sessions made before `before` (never used, or left behind by a crash). */
  removeOlderThan(before: Date): Promise<BrowserAudioSession[]>;
}

/** A message a caller left for a user: the stored recording `<recording>.wav`. */
export interface Voicemail {
  readonly id: string;
  readonly userId: string;
  readonly callerNumber: string;
  readonly callerName: string;
  readonly recording: string;
  readonly seconds: number;
  readonly createdAt: Date;
}

export interface VoicemailStore {
  insert(voicemail: Omit<Voicemail, 'createdAt'>): Promise<Voicemail>;
  /** The user's messages, newest first. */
  list(userId: string): Promise<Voicemail[]>;
  get(id: string): Promise<Voicemail | undefined>;
  remove(id: string): Promise<boolean>;
}

/** An answered call to a user: the caller's channel and the channel of the phone that answered. */
export interface UserCallPair {
  readonly callId: string;
  readonly legId: string;
  readonly userId: string;
}

export interface UserCallStore {
  save(pair: UserCallPair): Promise<void>;
  /** The pair this channel belongs to, either side. */
  byChannel(channelId: string): Promise<UserCallPair | undefined>;
  remove(callId: string): Promise<void>;
  all(): Promise<UserCallPair[]>;
}

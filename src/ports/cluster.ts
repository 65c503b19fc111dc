/**
 * parley past one media server: media nodes owned through leases, conferences placed on one node,
 * and relay legs that carry a caller from the node their call landed on to their conference's node.
 */

/** One Asterisk media node as the cluster knows it. */
export interface MediaNode {
  readonly name: string;
  /** Where relay legs from other nodes reach it (sip:127.0.0.3:5060). */
  readonly sipUri: string;
  readonly owner: string | undefined;
  /** Where the owner serves the API. */
  readonly ownerUrl: string | undefined;
  readonly fencingToken: number;
  readonly leaseUntil: Date | undefined;
  /** The owner reaches the node's Asterisk: conferences may be placed there. */
  readonly reachable: boolean;
  readonly maxCalls: number;
  /** The instance this node is for is alive (its heartbeat has not run out): it wants its node back. */
  readonly homeAlive: boolean;
}

/** The node a parley instance holds: its name and the fencing token of its lease. */
export interface Lease {
  readonly node: string;
  readonly token: number;
}

export interface NodeLeaseStore {
  /** Makes the nodes known (address and size); owners and leases stay as they are. */
  declare(nodes: ReadonlyArray<{ name: string; sipUri: string; maxCalls: number }>): Promise<void>;
  /** Takes the node when it is free, its lease has run out, or it is already ours; undefined: someone else holds it. */
  acquire(node: string, owner: string, ownerUrl: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extends our lease; false: it is no longer ours (taken over), and we must let go at once. */
  renew(lease: Lease, owner: string, ttlMs: number, reachable: boolean): Promise<boolean>;
  /** This instance, which the node is for, is alive and wants it (taken back from whoever holds it). */
  wantHome(node: string, ttlMs: number): Promise<void>;
  /** Gives the node up (a clean stop), so another instance need not wait for the lease to run out. */
  release(lease: Lease, owner: string): Promise<void>;
  all(): Promise<MediaNode[]>;
}

export interface PlacementStore {
  /**
   * Where the conference lives: its placement if that node is alive, else (placing it now) `preferred`
   * when it is alive and has room, else the least loaded live node; undefined when no node is alive.
   */
  place(conferenceId: string, preferred: string): Promise<string | undefined>;
  /** Where the conference was placed, alive or not. */
  nodeOf(conferenceId: string): Promise<string | undefined>;
  /** The conferences placed on these nodes. */
  conferencesOn(nodes: readonly string[]): Promise<string[]>;
}

/** What the conference's node needs to go on with a relayed caller as if they had called it. */
export interface RelayedCaller {
  readonly number: string;
  readonly name: string;
  readonly language: string;
  /** The access number they dialled. */
  readonly dialed: string;
  /** The username of the SIP device that placed the call, when one did. */
  readonly device?: string;
}

export interface RelayLeg {
  readonly ticket: string;
  readonly conferenceId: string;
  readonly fromNode: string;
  readonly toNode: string;
  readonly callerChannel: string;
  readonly relayChannel: string;
  readonly caller: RelayedCaller;
}

export interface RelayLegStore {
  open(leg: RelayLeg): Promise<void>;
  /**
   * The leg its ticket names, once, arriving at `toNode` as `channelId` within the ticket's life;
   * undefined otherwise.
   */
  redeem(ticket: string, toNode: string, channelId: string, maxAgeMs: number): Promise<RelayLeg | undefined>;
  /** The leg this channel is an end of (the caller's, the leg leaving their node, or the leg as it arrived). */
  byChannel(channelId: string): Promise<RelayLeg | undefined>;
  /** Legs leaving these nodes (for the settling after a (re)connect or takeover). */
  from(nodes: readonly string[]): Promise<RelayLeg[]>;
  close(ticket: string): Promise<void>;
}

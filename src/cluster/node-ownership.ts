import type { Lease, MediaNode, NodeLeaseStore } from '../ports/cluster.js';
import type { Log } from '../ports/log.js';

export interface OwnershipSettings {
  /** This parley instance's name (unique in the cluster) and where it serves the API. */
  readonly instance: string;
  readonly instanceUrl: string;
  /** The node this instance is for; it takes the others only when their owner is gone. */
  readonly home: string;
  /** Every media node of the cluster. */
  readonly nodes: ReadonlyArray<{ name: string; sipUri: string; maxCalls: number }>;
  /** A lease's life: an instance that stops renewing loses its nodes this long after its last renewal. */
  readonly leaseMs: number;
  /** How often leases are renewed and the others' nodes looked at. */
  readonly tickMs: number;
  /** An owned node whose Asterisk has not answered this long is dead: its calls are over. */
  readonly deadAfterMs: number;
}

/** What owning a node means for this instance (main.ts wires it to the ARI connections). */
export interface NodeDriver {
  /** Start driving the node's Asterisk: connect, re-adopt its calls. */
  attach(node: string): void;
  /** Stop driving it (the lease is lost or given up); calls stay up in Asterisk. */
  detach(node: string): void;
  /** Whether the node's Asterisk answers now. */
  reachable(node: string): boolean;
  /** Whether the node carries no call this instance drives. */
  idle(node: string): boolean;
  /** The node's Asterisk is dead: its calls are over. */
  abandon(node: string): void;
}

/**
 * Owns media nodes through leases in PostgreSQL: its own node from the start, another instance's as
 * soon as that one's lease has run out (its instance died), or when nobody has taken it for one lease
 * life (an instance starting a little later still gets its own node first). A renewal refused means
 * another instance holds the node now (a higher fencing token): this one lets go at once.
 */
export class NodeOwnership {
  private readonly held = new Map<string, Lease>();
  /** Nodes seen without a live owner, and since when (this instance's clock: only intervals matter). */
  private readonly orphanedSince = new Map<string, number>();
  private readonly unreachableSince = new Map<string, number>();
  private readonly abandoned = new Set<string>();
  /** Nodes found dead (their Asterisk unreachable), for relayed calls waiting on them. */
  private readonly dead = new Set<string>();
  private readonly deadWaiters = new Map<string, Set<() => void>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: NodeLeaseStore,
    private readonly driver: NodeDriver,
    private readonly settings: OwnershipSettings,
    private readonly log: Log,
  ) {}

  async start(): Promise<void> {
    await this.store.declare(this.settings.nodes);
    await this.tick();
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick()).catch((error: unknown) => this.log.warn({ err: String(error) }, 'node leases: a round failed'));
    }, this.settings.tickMs);
  }

  owned(): string[] {
    return [...this.held.keys()];
  }

  /**
   * Settles once the node is found dead (its owner cannot reach its Asterisk). A relayed call waits on
   * its node for as long as it lasts: `until` (its end) lets go of the wait, so calls that ended on a
   * node that lives on leave nothing behind.
   */
  lost(node: string, until: AbortSignal): Promise<void> {
    if (this.dead.has(node)) return Promise.resolve();
    return new Promise((resolve) => {
      if (until.aborted) return;
      const waiters = this.deadWaiters.get(node) ?? new Set();
      this.deadWaiters.set(node, waiters);
      waiters.add(resolve);
      until.addEventListener('abort', () => waiters.delete(resolve), { once: true });
    });
  }

  /** How many relayed calls wait on the node now. */
  waitingOn(node: string): number {
    return this.deadWaiters.get(node)?.size ?? 0;
  }

  /** A clean stop: the leases are given up, so another instance takes the nodes at its next round. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking.catch(() => undefined);
    for (const [node, lease] of this.held) {
      this.driver.detach(node);
      await this.store.release(lease, this.settings.instance).catch(() => undefined);
    }
    this.held.clear();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = performance.now();
    const { instance, instanceUrl, leaseMs, home } = this.settings;
    for (const [node, lease] of [...this.held]) {
      this.watchReachability(node, this.driver.reachable(node), now);
      // Reported dead only once found dead: a node just taken over is still connecting, its calls up.
      if (!(await this.store.renew(lease, instance, leaseMs, !this.abandoned.has(node)))) {
        this.log.error({ node, token: lease.token }, 'lost the lease on a media node: another instance owns it now; letting go');
        this.held.delete(node);
        this.driver.detach(node);
      }
    }
    await this.store.wantHome(home, leaseMs);
    const nodes = await this.store.all();
    for (const node of nodes) {
      this.noteDeath(node);
      if (this.held.has(node.name)) {
        // Its own instance is back: the node goes home at its first quiet moment (a call flow is never
        // moved mid-step from an instance that is alive).
        if (node.name !== home && node.homeAlive && this.driver.idle(node.name)) await this.giveBack(node.name);
        continue;
      }
      const free = node.owner === undefined || node.leaseUntil === undefined || !(node.leaseUntil.getTime() > Date.now());
      if (!free) {
        this.orphanedSince.delete(node.name);
        continue;
      }
      const since = this.orphanedSince.get(node.name) ?? now;
      this.orphanedSince.set(node.name, since);
      // A node whose owner's lease ran out is taken at once; one nobody has held yet (the cluster
      // starting) or given up (a clean stop) is left to its own instance for one lease life.
      if (node.name !== home && node.owner === undefined && now - since < leaseMs) continue;
      const lease = await this.store.acquire(node.name, instance, instanceUrl, leaseMs);
      if (!lease) continue;
      this.orphanedSince.delete(node.name);
      this.held.set(node.name, lease);
      this.unreachableSince.delete(node.name);
      this.abandoned.delete(node.name);
      this.log.info({ node: node.name, token: lease.token, takeover: node.name !== home, previousOwner: node.owner }, 'owns a media node');
      this.driver.attach(node.name);
    }
  }

  private async giveBack(node: string): Promise<void> {
    const lease = this.held.get(node);
    if (!lease) return;
    this.log.info({ node }, 'giving a media node back to its own instance');
    this.held.delete(node);
    this.driver.detach(node);
    await this.store.release(lease, this.settings.instance);
  }

  private watchReachability(node: string, reachable: boolean, now: number): void {
    if (reachable) {
      this.unreachableSince.delete(node);
      this.abandoned.delete(node);
      return;
    }
    const since = this.unreachableSince.get(node) ?? now;
    this.unreachableSince.set(node, since);
    if (now - since >= this.settings.deadAfterMs && !this.abandoned.has(node)) {
      this.abandoned.add(node);
      this.log.warn({ node, downMs: Math.round(now - since) }, 'a media node does not answer: its calls are over');
      this.driver.abandon(node);
    }
  }

  /** A node its owner reports unreachable is dead for the calls relayed to it. */
  private noteDeath(node: MediaNode): void {
    if (node.reachable) {
      this.dead.delete(node.name);
      return;
    }
    if (this.dead.has(node.name) || node.owner === undefined) return;
    this.dead.add(node.name);
    const waiters = this.deadWaiters.get(node.name) ?? new Set();
    this.deadWaiters.delete(node.name);
    for (const resolve of waiters) resolve();
  }
}

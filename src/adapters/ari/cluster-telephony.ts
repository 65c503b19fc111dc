import type { Log } from '../../ports/log.js';
import type { CallHandler, ConferenceBridge, DialOutcome, DialRequest, OutboundCall, SipRegistrar, Telephony } from '../../ports/telephony.js';
import type { AriCall } from './ari-call.js';
import type { AriTelephony } from './ari-telephony.js';

/** Where the cluster's conferences live (conference_placements). */
export interface PlacementLookup {
  nodeOf(conferenceId: string): Promise<string | undefined>;
}

/**
 * The media nodes this parley instance owns, as one Telephony: calls from every owned node reach the
 * same flows, a conference's bridge is opened on the node the conference is placed on, a call parley
 * places leaves the node of the call or conference it is for. Nodes join when their lease is taken
 * (at start, or taking over from an instance that died) and leave when it is lost.
 */
export class ClusterTelephony implements Telephony {
  private readonly nodes = new Map<string, AriTelephony>();
  private handler: CallHandler = () => undefined;
  private synced: (live: ReadonlySet<string>) => Promise<void> = async () => undefined;
  readonly registrar: SipRegistrar;

  constructor(
    /** The node this instance is for (its own Asterisk): where what belongs to no node in particular goes. */
    private readonly home: string,
    private readonly placements: PlacementLookup,
    private readonly log: Log,
    /** Every media node's registrar, owned by this instance or not (users' phones may register on any). */
    everyNode: ReadonlyMap<string, SipRegistrar> = new Map(),
  ) {
    this.registrar = new ClusterRegistrar(this, everyNode);
  }

  /** Starts driving a node's Asterisk: its calls (re-adopted at once) run through this instance's flows. */
  attach(node: string, telephony: AriTelephony): void {
    this.nodes.set(node, telephony);
    telephony.onCall((call) => this.handler(call));
    // Each node's sync reports the calls of every owned node: the roster is reconciled against them all.
    telephony.onSynced(async () => this.synced(this.liveCallIds()));
    telephony.start();
  }

  /** Stops driving the node (its lease was lost or given up); its calls stay up in Asterisk. */
  detach(node: string): void {
    const telephony = this.nodes.get(node);
    if (!telephony) return;
    this.nodes.delete(node);
    telephony.stop();
  }

  /** The node's Asterisk is dead: its calls are over for the flows and the roster. */
  abandon(node: string): void {
    this.nodes.get(node)?.abandonCalls();
  }

  owned(): string[] {
    return [...this.nodes.keys()];
  }

  node(name: string): AriTelephony | undefined {
    return this.nodes.get(name);
  }

  onCall(handler: CallHandler): void {
    this.handler = handler;
  }

  onSynced(handler: (live: ReadonlySet<string>) => Promise<void>): void {
    this.synced = handler;
  }

  isUp(): boolean {
    return [...this.nodes.values()].some((node) => node.isUp());
  }

  liveCallIds(): ReadonlySet<string> {
    return new Set([...this.nodes.values()].flatMap((node) => [...node.liveCallIds()]));
  }

  call(channelId: string): AriCall | undefined {
    for (const node of this.nodes.values()) {
      const call = node.call(channelId);
      if (call) return call;
    }
    return undefined;
  }

  /** The owned node a live call is on. */
  nodeOfCall(channelId: string): string | undefined {
    for (const [name, node] of this.nodes) if (node.call(channelId)) return name;
    return undefined;
  }

  dial(request: DialRequest): OutboundCall {
    return new RoutedOutboundCall(request, this.nodeFor(request), (name) => this.nodes.get(name));
  }

  bridge(conferenceId: string): ConferenceBridge {
    return new RoutedBridge(conferenceId, this.bridgeNode(conferenceId), (node) => this.nodes.get(node)?.bridge(conferenceId));
  }

  lobby(conferenceId: string): ConferenceBridge {
    return new RoutedBridge(conferenceId, this.bridgeNode(conferenceId), (node) => this.nodes.get(node)?.lobby(conferenceId));
  }

  private async nodeFor(request: DialRequest): Promise<string> {
    const near = request.near;
    if (near && 'call' in near) return this.nodeOfCall(near.call) ?? this.home;
    if (near) return (await this.placements.nodeOf(near.conference)) ?? this.home;
    return this.home;
  }

  /** A conference's (or lobby's) bridge is on its node; a two-party bridge (`call-<id>`) on its caller's. */
  private async bridgeNode(id: string): Promise<string> {
    if (id.startsWith('call-')) return this.nodeOfCall(id.slice('call-'.length)) ?? this.home;
    return (await this.placements.nodeOf(id)) ?? this.home;
  }
}

/** A bridge on the node it belongs to, found when first used. */
class RoutedBridge implements ConferenceBridge {
  constructor(
    readonly id: string,
    private readonly where: Promise<string>,
    private readonly on: (node: string) => ConferenceBridge | undefined,
  ) {
    where.catch(() => undefined);
  }

  private async bridge(): Promise<ConferenceBridge> {
    const node = await this.where;
    const bridge = this.on(node);
    if (!bridge) throw new Error(`media node ${node} is not owned by this instance`);
    return bridge;
  }

  async open(): Promise<void> {
    await (await this.bridge()).open();
  }
  async add(callId: string): Promise<void> {
    await (await this.bridge()).add(callId);
  }
  async remove(callId: string): Promise<void> {
    await (await this.bridge()).remove(callId);
  }
  async startMusic(): Promise<void> {
    await (await this.bridge()).startMusic();
  }
  async stopMusic(): Promise<void> {
    await (await this.bridge()).stopMusic();
  }
  play(prompts: readonly string[], language: string) {
    const playing = this.bridge().then((bridge) => bridge.play(prompts, language));
    return {
      finished: playing.then((playback) => playback.finished).catch(() => undefined),
      stop: async () => (await playing.catch(() => undefined))?.stop(),
    };
  }
  async record(name: string): Promise<void> {
    await (await this.bridge()).record(name);
  }
  async stopRecording(name: string): Promise<void> {
    await (await this.bridge()).stopRecording(name);
  }
  async destroy(): Promise<void> {
    await (await this.bridge()).destroy();
  }
}

/** A call placed from the node it belongs to, once that node is known. */
class RoutedOutboundCall implements OutboundCall {
  readonly outcome: Promise<DialOutcome>;
  private placed: OutboundCall | undefined;
  private cancelled: 'normal' | 'elsewhere' | undefined;
  private readonly ringing: Array<() => void> = [];

  constructor(
    private readonly request: DialRequest,
    node: Promise<string>,
    telephonyOf: (node: string) => AriTelephony | undefined,
  ) {
    this.outcome = node.then(
      (name): Promise<DialOutcome> => {
        const telephony = telephonyOf(name);
        if (this.cancelled) return Promise.resolve({ failed: 'cancelled' });
        if (!telephony) return Promise.resolve({ failed: 'failed' });
        this.placed = telephony.dial(request);
        for (const listener of this.ringing) this.placed.onRinging(listener);
        return this.placed.outcome;
      },
      (): DialOutcome => ({ failed: 'failed' }),
    );
  }

  get id(): string {
    return this.request.id;
  }

  onRinging(listener: () => void): void {
    this.ringing.push(listener);
    this.placed?.onRinging(listener);
  }

  async cancel(reason: 'normal' | 'elsewhere' = 'normal'): Promise<void> {
    this.cancelled = reason;
    await this.placed?.cancel(reason);
  }
}

/**
 * Users' devices exist on every node of the cluster, owned by this instance or not: a phone registers on
 * the node the SIP ingress picks for it, and calls to its user are sent to the same node. A node that is
 * down gets them all again when its owner reconnects (SipDevices.provisionAll). A browser's endpoint is
 * made on the nodes this instance drives, where its call will be.
 */
class ClusterRegistrar implements SipRegistrar {
  constructor(
    private readonly cluster: ClusterTelephony,
    private readonly everyNode: ReadonlyMap<string, SipRegistrar>,
  ) {}

  private owned(): SipRegistrar[] {
    return this.cluster.owned().flatMap((name) => this.cluster.node(name)?.registrar ?? []);
  }

  private every(): SipRegistrar[] {
    return this.everyNode.size > 0 ? [...this.everyNode.values()] : this.owned();
  }

  async provision(device: Parameters<SipRegistrar['provision']>[0]): Promise<void> {
    await allOf(this.every().map((registrar) => registrar.provision(device)));
  }
  async provisionBrowser(device: Parameters<SipRegistrar['provisionBrowser']>[0]): Promise<void> {
    await allOf(this.owned().map((registrar) => registrar.provisionBrowser(device)));
  }
  async remove(username: string): Promise<void> {
    await allOf(this.every().map((registrar) => registrar.remove(username)));
  }
  async contacts(username: string, viaCallId: string): Promise<string[]> {
    const node = this.cluster.nodeOfCall(viaCallId);
    const registrar = node ? this.cluster.node(node)?.registrar : undefined;
    return registrar ? await registrar.contacts(username, viaCallId) : [];
  }
}

/** Every node is tried even when one fails (it is down: its owner provisions it again when it is back). */
async function allOf(work: Array<Promise<void>>): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

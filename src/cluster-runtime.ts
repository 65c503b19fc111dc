import { AriTelephony } from './adapters/ari/ari-telephony.js';
import { ClusterTelephony } from './adapters/ari/cluster-telephony.js';
import { nodeRegistrar } from './adapters/ari/ari-node-config.js';
import type { ConferenceOwners } from './adapters/http/owner-forwarding.js';
import { pgNodeLeaseStore, pgPlacementStore, pgRelayLegStore } from './adapters/pg/cluster-stores.js';
import type { PrometheusMetrics } from './adapters/metrics/prometheus.js';
import type { RelayDeps } from './calls/relay.js';
import { NodeOwnership } from './cluster/node-ownership.js';
import type { ClusterConfig, Config } from './config.js';
import type { Pool } from './adapters/pg/pool.js';
import type { Logger } from 'pino';

/** How often leases are renewed, as a share of their life: three chances before one runs out. */
const TICKS_PER_LEASE = 4;
/** An owned node whose Asterisk does not answer this long is dead (Kamailio's probes take about as long). */
const DEAD_AFTER_MS = 4_000;

/**
 * One parley instance of a cluster (README, "Beyond one media server"): the media nodes it owns as one
 * Telephony, their leases, the relay legs between nodes, and where conference commands are carried out.
 */
export function clusterRuntime(config: Config, cluster: ClusterConfig, pool: Pool, log: Logger, metrics: PrometheusMetrics) {
  const leases = pgNodeLeaseStore(pool);
  const placements = pgPlacementStore(pool);
  const legs = pgRelayLegStore(pool);
  const registrars = new Map(cluster.nodes.map((node) => [node.name, nodeRegistrar({ ...config.ari, url: node.ariUrl, ingress: config.sipRegistrarUri }, log.child({ component: 'registrar', node: node.name }))]));
  const telephony = new ClusterTelephony(cluster.home, placements, log.child({ component: 'cluster' }), registrars);
  const nodeSettings = (name: string) => cluster.nodes.find((node) => node.name === name);
  const ownership = new NodeOwnership(
    leases,
    {
      attach: (node) => {
        const ari = { ...config.ari, url: nodeSettings(node)?.ariUrl ?? config.ari.url, node };
        telephony.attach(node, new AriTelephony(ari, log.child({ component: 'ari', node }), metrics, metrics));
      },
      detach: (node) => telephony.detach(node),
      reachable: (node) => telephony.node(node)?.isUp() ?? false,
      idle: (node) => (telephony.node(node)?.liveCallIds().size ?? 0) === 0,
      abandon: (node) => telephony.abandon(node),
    },
    {
      instance: cluster.instance,
      instanceUrl: cluster.instanceUrl,
      home: cluster.home,
      nodes: cluster.nodes.map((node) => ({ name: node.name, sipUri: node.sipUri, maxCalls: cluster.maxCalls })),
      leaseMs: cluster.leaseMs,
      tickMs: Math.round(cluster.leaseMs / TICKS_PER_LEASE),
      deadAfterMs: DEAD_AFTER_MS,
    },
    log.child({ component: 'node-leases' }),
  );
  const relays: RelayDeps & { owned(): readonly string[] } = {
    telephony,
    placements,
    legs,
    sipUriOf: async (node) => nodeSettings(node)?.sipUri,
    lost: (node, until) => ownership.lost(node, until),
    log: log.child({ component: 'relay' }),
    owned: () => ownership.owned(),
  };
  const owners: ConferenceOwners = {
    instance: cluster.instance,
    async elsewhere(conferenceId) {
      // A command may be the conference's first use (a dial-out before anyone called): it is placed now.
      const node = await placements.place(conferenceId, cluster.home);
      if (!node || ownership.owned().includes(node)) return undefined;
      const owner = (await leases.all()).find((candidate) => candidate.name === node);
      return owner?.ownerUrl && owner.leaseUntil && owner.leaseUntil.getTime() > Date.now() ? owner.ownerUrl : undefined;
    },
  };
  return {
    telephony,
    ownership,
    relays,
    owners,
    /** The conferences this instance answers for: those placed on the nodes it owns. */
    scope: async () => new Set(await placements.conferencesOn(ownership.owned())),
    /** Closes the connections kept to the nodes' configuration. */
    close: () => {
      for (const registrar of registrars.values()) registrar.close();
    },
    /** Where browsers' SIP goes: the instance's own node. */
    homeAriUrl: nodeSettings(cluster.home)?.ariUrl ?? config.ari.url,
  };
}

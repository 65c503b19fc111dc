// Join latency from Asterisk's own timestamps, measured the same way for both sides: an ARI app of the
// bench's own, subscribed to the SIP gateway's endpoint, sees every caller's keys whether the call is in
// the dialplan (native) or in parley's Stasis app (ChannelDtmfReceived), and Asterisk's CEL records the
// moment each caller enters a bridge (bench/cel.ts). Asterisk declines ChannelVarset (stasis.conf), so
// BRIDGEPEER, set on every channel of a bridge at each entry, no longer tells it.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { ari, ariEventsUrl } from './asterisk.js';
import { bridgeEntries } from './cel.js';

interface AriEvent {
  type: string;
  timestamp: string;
  digit?: string;
  channel?: { id: string };
}

export interface JoinWatch {
  /** From now on, only keys pressed (and joins after them) count: the warm-up caller is not measured. */
  startStorm(): void;
  /** Resolves when `count` callers have joined since the watch (or the storm) started; rejects after `ms`. */
  waitForJoins(count: number, ms: number, what: string): Promise<void>;
  /** Storm callers seen (they pressed #) whose channel still exists. */
  stormChannelsUp(): number;
  /** Storm callers in the bridge now. */
  inBridge(): number;
  /** Every caller seen pressing # (the warm-up's too) whose channel still exists. */
  channelsUp(): string[];
  summary(): JoinSummary;
  close(): Promise<void>;
}

export interface JoinSummary {
  /** Storm callers who reached the bridge. */
  readonly joined: number;
  /** Last '#' to in the bridge, ms, one per joined caller. */
  readonly latenciesMs: number[];
  /** Most storm callers in the bridge at once. */
  readonly peakInBridge: number;
}

/** Asterisk writes +0000; every JavaScript engine reads +00:00. */
const parseTime = (timestamp: string): number => Date.parse(timestamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

const GATEWAY = 'endpoint:PJSIP/gateway';

/**
 * Asterisk keeps an app's subscriptions after its socket closes, and builds every event for it still:
 * watchers of earlier runs (or of a bench that was killed) would load this run's Asterisk.
 */
async function dropOldWatchers(): Promise<void> {
  const apps = await ari<Array<{ name: string; endpoint_ids?: string[] }>>('GET', '/applications');
  for (const old of apps.filter((a) => a.name.startsWith('bench-') && (a.endpoint_ids ?? []).length > 0)) {
    await ari('DELETE', `/applications/${old.name}/subscription?eventSource=${encodeURIComponent(GATEWAY)}`).catch(() => undefined);
  }
}

export async function watchJoins(): Promise<JoinWatch> {
  await dropOldWatchers();
  const app = `bench-${randomBytes(4).toString('hex')}`;
  const socket = new WebSocket(ariEventsUrl(app));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  // Only what the measurement needs travels over the socket (Asterisk still builds every event).
  await ari('PUT', `/applications/${app}/eventFilter`, {
    allowed: ['ChannelDtmfReceived', 'ChannelDestroyed'].map((type) => ({ type })),
  });
  await ari('POST', `/applications/${app}/subscription?eventSource=${encodeURIComponent(GATEWAY)}`);

  let stormFrom = Number.POSITIVE_INFINITY;
  /** Each caller's '#' keys, in order (their last before the bridge entry starts the join). */
  const hashes = new Map<string, number[]>();
  const lastHash = (channel: string) => hashes.get(channel)?.at(-1);
  const joinedAt = new Map<string, number>();
  const latencies: number[] = [];
  const destroyed = new Set<string>();
  let inBridge = 0;
  let peak = 0;
  let joinsSinceMark = 0;
  const waiters: Array<() => void> = [];

  /** A caller in a bridge: the join counts from their last '#' before it (keys and entries come by two roads). */
  const joined = (channel: string, at: number) => {
    const pressed = (hashes.get(channel) ?? []).filter((time) => time <= at).pop();
    if (pressed === undefined || joinedAt.has(channel)) return false;
    joinedAt.set(channel, at);
    joinsSinceMark++;
    if (pressed >= stormFrom) {
      latencies.push(Math.round((at - pressed) * 10) / 10);
      peak = Math.max(peak, ++inBridge);
    }
    waiters.splice(0).forEach((wake) => wake());
    return true;
  };
  /** Entries of gateway callers whose last key has not reached the watch yet. */
  let early: Array<{ channel: string; at: number }> = [];
  const cel = bridgeEntries();
  const poll = setInterval(() => {
    const entries = cel.take().filter((entry) => entry.channelName.startsWith('PJSIP/gateway-'));
    early = [...early, ...entries.map((entry) => ({ channel: entry.channelId, at: entry.at }))].filter((entry) => !joined(entry.channel, entry.at));
  }, 20);

  socket.on('message', (data: Buffer) => {
    const event = JSON.parse(data.toString()) as AriEvent;
    const channel = event.channel?.id;
    if (!channel) return;
    const at = parseTime(event.timestamp);
    if (event.type === 'ChannelDtmfReceived' && event.digit === '#') {
      if (joinedAt.has(channel)) return;
      hashes.set(channel, [...(hashes.get(channel) ?? []), at]);
    } else if (event.type === 'ChannelDestroyed') {
      destroyed.add(channel);
      const pressed = lastHash(channel);
      if (joinedAt.has(channel) && pressed !== undefined && pressed >= stormFrom) inBridge--;
    }
  });

  return {
    startStorm() {
      stormFrom = Date.now();
      joinsSinceMark = 0;
    },
    async waitForJoins(count, ms, what) {
      const deadline = Date.now() + ms;
      while (joinsSinceMark < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${what}: ${joinsSinceMark} of ${count} callers reached a bridge within ${ms / 1000} s`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    stormChannelsUp: () => [...hashes.keys()].filter((channel) => (lastHash(channel) ?? -Infinity) >= stormFrom && !destroyed.has(channel)).length,
    inBridge: () => inBridge,
    channelsUp: () => [...hashes.keys()].filter((channel) => !destroyed.has(channel)),
    summary: () => ({ joined: latencies.length, latenciesMs: [...latencies], peakInBridge: peak }),
    close: async () => {
      clearInterval(poll);
      cel.close();
      await ari('DELETE', `/applications/${app}/subscription?eventSource=${encodeURIComponent(GATEWAY)}`).catch(() => undefined);
      socket.close();
    },
  };
}

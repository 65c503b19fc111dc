// A second ARI application that watches what callers are played, in which language: it subscribes
// to the SIP gateway's endpoint (every test caller's channel) and, on request, to a bridge.
// Not subscribeAll: Asterisk 22.10 deadlocked in res_stasis_device_state when such an app went away.
import { afterAll, beforeAll } from 'vitest';
import WebSocket from 'ws';
import { randomBytes } from 'node:crypto';
import { ari } from './ari.js';
import { slot, testApp } from './test-slot.js';

export interface PlaybackSeen {
  readonly media: string;
  /** Asterisk's form, e.g. fr_CA. */
  readonly language: string;
  /** channel:<id> or bridge:<id>. */
  readonly target: string;
  readonly at: number;
}

export interface AriWatch {
  /** The watch's own ARI app (a snoop channel may be sent to it). */
  readonly app: string;
  readonly playbacks: PlaybackSeen[];
  /** Playbacks on the call whose caller ID is `callerNumber`, in order. */
  playedTo(callerNumber: string): PlaybackSeen[];
  /** Starts watching playbacks to this bridge (announcements). */
  watchBridge(bridgeId: string): Promise<void>;
  /** Starts watching calls from a user's SIP device too (by its username), as the gateway's are. */
  watchDevice(username: string): Promise<void>;
  close(): void;
}

// Per file: files run side by side, each with its own watch (test-slot.ts).
const APP = `parley-watch-${randomBytes(4).toString('hex')}`;

export async function watchAri(): Promise<AriWatch> {
  const url = (process.env.ARI_URL ?? 'http://127.0.0.1:8088').replace(/^http/, 'ws');
  const key = `${process.env.ARI_USERNAME}:${process.env.ARI_PASSWORD}`;
  const socket = new WebSocket(`${url}/ari/events?app=${APP}&api_key=${encodeURIComponent(key)}`);
  const playbacks: PlaybackSeen[] = [];
  const callers = new Map<string, string>();
  const lastMedia = new Map<string, string>();
  const ours = new Set<string>();
  const mine = (channelId: string) => slot === 0 || ours.has(channelId);
  socket.on('message', (data: Buffer) => {
    const event = JSON.parse(data.toString()) as {
      type: string;
      channel?: { id: string; caller?: { number: string }; dialplan?: { app_data?: string } };
      playback?: { id: string; media_uri: string; language?: string; target_uri: string };
    };
    if (event.channel?.caller?.number) callers.set(event.channel.id, event.channel.caller.number);
    // Every gateway call on the Asterisk is seen; this file's are those in its parley's app.
    if (event.channel?.dialplan?.app_data?.startsWith(`${testApp},`)) ours.add(event.channel.id);
    // A list of media: PlaybackStarted, then PlaybackContinuing as each item ends and the next begins
    // (Asterisk may report one item twice): one entry per item.
    const playback = event.playback;
    if (!playback || (event.type !== 'PlaybackStarted' && event.type !== 'PlaybackContinuing')) return;
    if (lastMedia.get(playback.id) === playback.media_uri) return;
    lastMedia.set(playback.id, playback.media_uri);
    playbacks.push({ media: playback.media_uri, language: playback.language ?? '', target: playback.target_uri, at: Date.now() });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const subscribe = (source: string) => ari('POST', `/applications/${APP}/subscription?eventSource=${encodeURIComponent(source)}`);
  await subscribe('endpoint:PJSIP/gateway');
  return {
    app: APP,
    playbacks,
    playedTo: (callerNumber) =>
      playbacks.filter((p) => {
        const channel = p.target.replace(/^channel:/, '');
        return callers.get(channel) === callerNumber && mine(channel);
      }),
    // The roster may say "connected" a moment before the bridge exists: retry while Asterisk says it does not.
    watchBridge: async (bridgeId) => {
      for (let waited = 0; ; waited += 100) {
        try {
          return void (await subscribe(`bridge:${bridgeId}`));
        } catch (error) {
          if (waited >= 10_000 || !String(error).includes('422')) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    watchDevice: async (username) => void (await subscribe(`endpoint:PJSIP/${username}`)),
    close: () => socket.close(),
  };
}

/** For a test file: a watch opened before its tests and closed after them. */
export function useAriWatch(): AriWatch {
  let watch: AriWatch | undefined;
  beforeAll(async () => void (watch = await watchAri()));
  afterAll(() => watch?.close());
  const current = () => {
    if (!watch) throw new Error('the ARI watch is not open yet: use it inside a test');
    return watch;
  };
  return {
    app: APP,
    get playbacks() {
      return current().playbacks;
    },
    playedTo: (callerNumber) => current().playedTo(callerNumber),
    watchBridge: (bridgeId) => current().watchBridge(bridgeId),
    watchDevice: (username) => current().watchDevice(username),
    close: () => current().close(),
  };
}

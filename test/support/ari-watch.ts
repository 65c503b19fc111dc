// A second ARI application that sees every event on the Asterisk (subscribeAll): what each caller
// was played, in which language. parley's own app is unaffected by it.
import WebSocket from 'ws';

export interface PlaybackSeen {
  readonly media: string;
  /** Asterisk's form, e.g. fr_CA. */
  readonly language: string;
  /** channel:<id> or bridge:<id>. */
  readonly target: string;
  readonly at: number;
}

export interface AriWatch {
  readonly playbacks: PlaybackSeen[];
  /** Playbacks on the call whose caller ID is `callerNumber`, in order. */
  playedTo(callerNumber: string): PlaybackSeen[];
  close(): void;
}

export async function watchAri(): Promise<AriWatch> {
  const url = (process.env.ARI_URL ?? 'http://127.0.0.1:8088').replace(/^http/, 'ws');
  const key = `${process.env.ARI_USERNAME}:${process.env.ARI_PASSWORD}`;
  const socket = new WebSocket(`${url}/ari/events?app=parley-watch&subscribeAll=true&api_key=${encodeURIComponent(key)}`);
  const playbacks: PlaybackSeen[] = [];
  const callers = new Map<string, string>();
  socket.on('message', (data: Buffer) => {
    const event = JSON.parse(data.toString()) as {
      type: string;
      channel?: { id: string; caller?: { number: string } };
      playback?: { media_uri: string; language?: string; target_uri: string };
    };
    if (event.channel?.caller?.number) callers.set(event.channel.id, event.channel.caller.number);
    if ((event.type === 'PlaybackStarted' || event.type === 'PlaybackContinuing') && event.playback) {
      const { media_uri: media, language = '', target_uri: target } = event.playback;
      playbacks.push({ media, language, target, at: Date.now() });
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    playbacks,
    playedTo: (callerNumber) => playbacks.filter((p) => callers.get(p.target.replace(/^channel:/, '')) === callerNumber),
    close: () => socket.close(),
  };
}

// A small Server-Sent Events reader for tests: fetch with a bearer token, parse frames as they arrive.
export interface SseEvent {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: any;
}

export interface SseStream {
  /** Waits for the next event (or fails after `timeoutMs`). */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Events until one matches. */
  until(match: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
  /** Settles when the server ends the stream (or it is aborted). */
  readonly closed: Promise<void>;
}

export async function openSse(url: string, token: string, lastEventId?: string): Promise<SseStream & { status: number }> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  });
  const queue: SseEvent[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  const closed = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of frame.split('\n')) {
            if (line.startsWith(':') || !line.includes(':')) continue;
            const at = line.indexOf(':');
            fields.set(line.slice(0, at), line.slice(at + 1).trimStart());
          }
          if (!fields.has('data')) continue;
          queue.push({ id: fields.get('id'), event: fields.get('event') ?? 'message', data: JSON.parse(fields.get('data')!) });
          waiters.splice(0).forEach((wake) => wake());
        }
      }
    } catch {
      // aborted
    }
  })();
  const next = async (timeoutMs = 5000): Promise<SseEvent> => {
    const deadline = Date.now() + timeoutMs;
    while (queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no event arrived in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return queue.shift()!;
  };
  return {
    status: response.status,
    next,
    async until(match, timeoutMs = 5000) {
      const seen: SseEvent[] = [];
      for (;;) {
        const event = await next(timeoutMs);
        seen.push(event);
        if (match(event)) return seen;
      }
    },
    close: () => controller.abort(),
    closed,
  };
}

// The conference's event stream (Server-Sent Events over fetch, for the Authorization header), resumed by
// sequence number after any blip.
import { $ } from './dom.js';
import { auth, base } from './api.js';

export async function stream(state, onEvent) {
  let delay = 1000;
  for (;;) {
    if (!auth.token) return;
    try {
      const response = await fetch(`${base}/events`, {
        headers: { authorization: `Bearer ${auth.token}`, accept: 'text/event-stream', 'last-event-id': String(state.seq) },
      });
      if (response.status === 401) return auth.onSignedOut();
      if (response.status === 403 || response.status === 404) return onEvent('revoked', {});
      if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
      connection(true);
      delay = 1000;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (type && data) onEvent(type, JSON.parse(data));
        }
      }
    } catch {
      // A network blip: reconnect below and resume after state.seq.
    }
    if (!auth.token) return;
    connection(false);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}

function connection(up) {
  const node = $('connection');
  node.textContent = up ? 'Live' : 'Reconnecting…';
  node.classList.toggle('down', !up);
}

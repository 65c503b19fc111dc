import type { WebhookSender } from '../../ports/webhooks.js';

/** Why a request got no response, short and free of headers (they carry the signature). */
function reason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const text = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return text.slice(0, 200);
}

/**
 * Webhooks over Node's fetch. Redirects are not followed: a receiver that moved answers 3xx, which
 * counts as a failure the administrator sees in the delivery list, rather than parley posting
 * signed events to wherever a Location header points.
 */
export const fetchWebhookSender: WebhookSender = {
  async post({ url, headers, body, timeoutMs }) {
    try {
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      // Only the status matters; release the connection without reading what the receiver said.
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status };
    } catch (error) {
      return { error: reason(error) };
    }
  },
};

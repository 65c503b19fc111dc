import type { Log } from '../../ports/log.js';
import type { DialFailure, DialOutcome, DialRequest, OutboundCall } from '../../ports/telephony.js';
import { AriCall } from './ari-call.js';
import { asteriskLanguage, isGone, withTimeout, type AriRest } from './ari-rest.js';
import { runInBackground } from '../../ports/background.js';

/** The Stasis argument that marks calls parley placed (as `dial-in` marks calls it answers). */
export const DIAL_OUT = 'dial-out';
/** Beyond the ring time, how long to wait for Asterisk's verdict before ending the attempt ourselves. */
const VERDICT_GRACE_MS = 15_000;

/** Asterisk's names (REDIRECTING(reason)) for the Diversion reasons. */
const ASTERISK_REASON = { unconditional: 'cfu', 'no-answer': 'cfnr', 'follow-me': 'follow_me' } as const;

/** Q.850 causes as the outcome a roster shows. */
function failureFor(cause: number | undefined): DialFailure {
  if (cause === 17) return 'busy';
  if (cause === 18 || cause === 19) return 'no-answer';
  if (cause === 21) return 'declined';
  return 'failed';
}

/** The endpoint relay legs between media nodes leave and arrive through (asterisk-config/pjsip.conf). */
export const RELAY_ENDPOINT = 'relay';
/** The SIP header a relay leg carries its ticket in ([relay-in] in asterisk-config/extensions.conf). */
const TICKET_HEADER = 'X-Parley-Ticket';

/** The dial string: a number through the gateway, one contact of a registered endpoint, or another media node. */
export function dialString(request: DialRequest, gatewayEndpoint: string): string {
  const { to } = request;
  if ('phone' in to) return `PJSIP/${to.phone}@${gatewayEndpoint}`;
  if ('relay' in to) return `PJSIP/${RELAY_ENDPOINT}/${to.relay}`;
  return `PJSIP/${to.endpoint}/${to.contact}`;
}

/**
 * One call parley places: created in parley's app (so every event about it reaches the dispatcher),
 * then dialled; `Dial` events report ringing and answer, the channel's end reports why it failed.
 */
export class AriOutboundCall implements OutboundCall {
  readonly outcome: Promise<DialOutcome>;
  private settle!: (outcome: DialOutcome) => void;
  private settled = false;
  private cancelled = false;
  private readonly ringing = new Set<() => void>();
  private safety: NodeJS.Timeout | undefined;
  private readonly started: Promise<void>;
  private markStarted!: () => void;

  constructor(
    readonly request: DialRequest,
    readonly call: AriCall,
    private readonly rest: () => AriRest | undefined,
    private readonly log: Log,
  ) {
    this.outcome = new Promise((resolve) => (this.settle = resolve));
    this.started = new Promise((resolve) => (this.markStarted = resolve));
  }

  get id(): string {
    return this.request.id;
  }

  /** Creates and dials the channel; any refusal settles the outcome as failed. */
  async place(app: string, gatewayEndpoint: string): Promise<void> {
    const rest = this.rest();
    if (!rest) return this.fail('failed');
    const { request } = this;
    try {
      const formats = await this.formats(rest);
      await withTimeout(
        rest.channels.create({
          endpoint: dialString(request, gatewayEndpoint),
          app,
          appArgs: DIAL_OUT,
          channelId: request.id,
          formats,
          variables: {
            'CHANNEL(language)': asteriskLanguage(request.language),
            // The far end reads who calls from the connected line (From, P-Asserted-Identity).
            'CONNECTEDLINE(num)': request.callerId.number,
            'CONNECTEDLINE(name)': request.callerId.name,
            'CALLERID(num)': request.callerId.number,
            'CALLERID(name)': request.callerId.name,
            ...('relay' in request.to ? { [`PJSIP_HEADER(add,${TICKET_HEADER})`]: request.to.ticket } : {}),
            // A forwarded call names the user it was meant for: res_pjsip_diversion sends it as Diversion.
            ...(request.diversion
              ? {
                  'REDIRECTING(from-num)': request.diversion.number,
                  'REDIRECTING(orig-num)': request.diversion.number,
                  'REDIRECTING(reason)': ASTERISK_REASON[request.diversion.reason],
                  'REDIRECTING(count)': '1',
                }
              : {}),
          },
        }),
        'channel create',
      );
      // Asterisk answers the create before the channel is in the application; a dial sent in that
      // instant is refused ("Channel not in Stasis application"), so wait for its StasisStart.
      await withTimeout(this.started, 'StasisStart');
      await withTimeout(rest.channels.dial({ channelId: request.id, timeout: request.ringSeconds }), 'dial');
    } catch (error) {
      this.log.warn({ err: String(error), call: request.id }, 'could not place the call');
      await this.hangup('normal');
      return this.fail('failed');
    }
    this.safety = setTimeout(() => runInBackground(this.log, 'give up an unanswered call', this.giveUp(), { call: request.id }), request.ringSeconds * 1000 + VERDICT_GRACE_MS);
  }

  /**
   * G.711 either way; a relay leg offers its caller's own codec first, so that the node it leaves passes
   * the caller's audio on as it came instead of translating every frame.
   */
  private async formats(rest: AriRest): Promise<string> {
    const { to, near } = this.request;
    if (!('relay' in to) || !near || !('call' in near)) return 'ulaw,alaw';
    const native = await withTimeout(rest.channels.getChannelVar({ channelId: near.call, variable: 'CHANNEL(audionativeformat)' }), 'caller codec')
      .then((answer) => answer.value.replace(/[()]/g, '').split('|')[0] ?? '')
      .catch(() => '');
    return native === 'alaw' ? 'alaw,ulaw' : 'ulaw,alaw';
  }

  onRinging(listener: () => void): void {
    this.ringing.add(listener);
  }

  async cancel(reason: 'normal' | 'elsewhere' = 'normal'): Promise<void> {
    this.cancelled = true;
    await this.hangup(reason);
    this.fail('cancelled');
  }

  // --- from the dispatcher ---
  stasisStarted(): void {
    this.markStarted();
  }

  dialed(status: string): void {
    if (status === 'RINGING') for (const listener of this.ringing) listener();
    if (status === 'ANSWER') this.resolve({ answered: this.call });
  }

  /** The channel is gone: unless it was answered, that is the outcome. */
  ended(cause: number | undefined): void {
    this.fail(this.cancelled ? 'cancelled' : failureFor(cause));
  }

  private async giveUp(): Promise<void> {
    if (this.settled) return;
    this.log.warn({ call: this.id }, 'no verdict on a placed call; ending it');
    await this.hangup('normal');
    this.fail('failed');
  }

  private async hangup(reason: 'normal' | 'elsewhere'): Promise<void> {
    const rest = this.rest();
    if (!rest) return;
    // answered_elsewhere: the phones that lost the race show no missed call (SIP Reason cause 200).
    await withTimeout(rest.channels.hangup({ channelId: this.id, reason: reason === 'elsewhere' ? 'answered_elsewhere' : 'normal' }), 'hangup').catch(
      (error: unknown) => {
        if (!isGone(error)) this.log.warn({ err: String(error), call: this.id }, 'could not end a placed call');
      },
    );
  }

  private fail(failure: DialFailure): void {
    this.resolve({ failed: failure });
  }

  private resolve(outcome: DialOutcome): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.safety);
    this.settle(outcome);
  }
}

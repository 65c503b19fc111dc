import { isDialIn, stasisEntry } from './stasis-entry.js';
import type { Log } from '../../ports/log.js';
import type { EventCounts, RequestTimings } from '../../ports/metrics.js';
import type { CallHandler, ConferenceBridge, DialRequest, OutboundCall, SipRegistrar, Telephony } from '../../ports/telephony.js';
import { AriBridges, BRIDGE_PREFIX } from './ari-bridges.js';
import { AriRegistrar } from './ari-registrar.js';
import { AriCall } from './ari-call.js';
import { AriOutboundCall, DIAL_OUT } from './ari-outbound.js';
import { AriConnection, type AriSettings } from './ari-connection.js';
import { asteriskLanguage, localeOf, withTimeout, type AriChannelJson, type AriEvent, type AriRest } from './ari-rest.js';
import { runInBackground } from '../../ports/background.js';

const HANDLED_EVENTS = [
  'StasisStart',
  'StasisEnd',
  'ChannelDestroyed',
  'Dial',
  'ChannelDtmfReceived',
  'ChannelTalkingStarted',
  'ChannelTalkingFinished',
  'ChannelHold',
  'ChannelUnhold',
  'PlaybackFinished',
  'RecordingFinished',
  'RecordingFailed',
];

/**
 * Telephony over ARI. One dispatcher for every event, keyed by channel id (no per-channel
 * listeners); after every (re)connect the live channels are re-adopted and gone ones ended.
 */
export class AriTelephony implements Telephony {
  private readonly calls = new Map<string, AriCall>();
  /** Calls parley is placing, until they are answered or fail. */
  private readonly placing = new Map<string, AriOutboundCall>();
  private readonly connection: AriConnection;
  private readonly bridges: AriBridges;
  /** Directory users' SIP devices, over the same connection. */
  readonly registrar: SipRegistrar;
  private handler: CallHandler = () => undefined;
  private synced: (live: ReadonlySet<string>) => Promise<void> = async () => undefined;
  /** Bridges left empty from before this process are cleared once, at its first sync. */
  private leftoversCleared = false;

  constructor(
    private readonly settings: AriSettings,
    private readonly log: Log,
    /** Times every ARI request, by operation (GET /metrics). */
    timings?: RequestTimings,
    /** Counts every ARI event, by type (GET /metrics). */
    events?: EventCounts,
  ) {
    this.connection = new AriConnection(
      settings,
      { eventTypes: HANDLED_EVENTS, onEvent: (event) => this.dispatch(event), onConnected: () => this.resync() },
      log,
      timings,
      events,
    );
    this.registrar = new AriRegistrar(() => this.connection.rest, log, settings.app);
    this.bridges = new AriBridges(() => this.connection.rest, log, settings.app);
  }

  start(): void {
    this.connection.start();
  }

  stop(): void {
    this.connection.stop();
  }

  /**
   * The node's Asterisk is gone for good (a cluster's dead media node): its calls are over, whatever
   * their last events said, so their flows end and the roster lets them go.
   */
  abandonCalls(): void {
    for (const id of [...this.calls.keys()]) this.forget(id);
  }

  onCall(handler: CallHandler): void {
    this.handler = handler;
  }

  onSynced(handler: (live: ReadonlySet<string>) => Promise<void>): void {
    this.synced = handler;
  }

  isUp(): boolean {
    return this.connection.isUp();
  }

  liveCallIds(): ReadonlySet<string> {
    return new Set(this.calls.keys());
  }

  call(channelId: string): AriCall | undefined {
    return this.calls.get(channelId);
  }

  dial(request: DialRequest): OutboundCall {
    const { to } = request;
    const called = 'phone' in to ? to.phone : 'relay' in to ? to.relay : to.contact;
    const call = new AriCall(request.id, { number: called, name: '' }, '', false, { rest: () => this.connection.rest, log: this.log, node: this.settings.node }, request.language, true, asteriskLanguage(request.language));
    const placed = new AriOutboundCall(request, call, () => this.connection.rest, this.log);
    // Known before the channel exists: its first events (StasisStart, Dial) find it.
    this.calls.set(request.id, call);
    this.placing.set(request.id, placed);
    runInBackground(
      this.log,
      'forget a placed call',
      placed.outcome.then((outcome) => {
        this.placing.delete(request.id);
        if ('failed' in outcome) this.forget(request.id);
      }),
      { call: request.id },
    );
    runInBackground(this.log, 'place a call', placed.place(this.settings.app, this.settings.gatewayEndpoint), { call: request.id });
    return placed;
  }

  bridge(conferenceId: string): ConferenceBridge {
    return this.bridges.conference(conferenceId);
  }

  lobby(conferenceId: string): ConferenceBridge {
    return this.bridges.lobby(conferenceId);
  }

  private dispatch(event: AriEvent): void {
    const channelId = event.channel?.id;
    switch (event.type) {
      case 'StasisStart':
        if (event.channel && event.args && isDialIn(event.args)) this.admit(event.channel, event.args, false);
        if (channelId) this.placing.get(channelId)?.stasisStarted();
        return;
      case 'StasisEnd':
        if (channelId && !this.placing.has(channelId)) this.forget(channelId);
        return;
      case 'ChannelDestroyed':
        if (channelId) {
          this.placing.get(channelId)?.ended(event.cause);
          this.forget(channelId);
        }
        return;
      case 'Dial':
        if (event.peer && event.dialstatus) this.placing.get(event.peer.id)?.dialed(event.dialstatus);
        return;
      case 'ChannelDtmfReceived':
        if (channelId && event.digit) this.calls.get(channelId)?.receivedDigit(event.digit);
        return;
      case 'ChannelTalkingStarted':
      case 'ChannelTalkingFinished':
        if (channelId) this.calls.get(channelId)?.talking(event.type === 'ChannelTalkingStarted');
        return;
      case 'ChannelHold':
      case 'ChannelUnhold':
        if (channelId) this.calls.get(channelId)?.held(event.type === 'ChannelHold');
        return;
      case 'PlaybackFinished':
        if (event.playback) {
          const target = event.playback.target_uri;
          if (target.startsWith('bridge:')) this.bridges.playbackFinished(event.playback.id);
          else this.calls.get(target.replace(/^channel:/, ''))?.playbackFinished(event.playback.id);
        }
        return;
      case 'RecordingFinished':
      case 'RecordingFailed':
        if (event.recording) this.calls.get(event.recording.target_uri.replace(/^channel:/, ''))?.recordingEnded(event.recording);
        return;
    }
  }

  /** `args`: the Stasis app's arguments (asterisk-config/extensions.conf); none for a call parley placed. */
  private admit(channel: AriChannelJson, args: readonly string[], adopted: boolean, placed = false, inBridge = false): void {
    if (this.calls.has(channel.id)) return;
    const entry = placed ? { dialed: '' } : stasisEntry(args);
    const call = new AriCall(
      channel.id,
      { ...channel.caller, ...(entry.device ? { device: entry.device } : {}), ...(entry.relayTicket ? { relayTicket: entry.relayTicket } : {}) },
      entry.dialed ?? channel.dialplan?.exten ?? '',
      adopted,
      { rest: () => this.connection.rest, log: this.log, node: this.settings.node },
      localeOf(channel.language),
      placed,
      channel.language,
      inBridge,
    );
    this.calls.set(channel.id, call);
    this.handler(call);
  }

  private forget(channelId: string): void {
    const call = this.calls.get(channelId);
    if (!call) return;
    this.calls.delete(channelId);
    call.end();
  }

  /** Events were lost while the socket was down: rebuild the picture from what Asterisk has now. */
  private async resync(): Promise<void> {
    const rest = this.connection.rest;
    if (!rest) return;
    for (const call of this.calls.values()) call.settlePlaybacks();
    this.bridges.settlePlaybacks();
    const channels = (await withTimeout(rest.channels.list(), 'channel list')).filter((channel) => this.isOurs(channel));
    // Where each adopted call is: one adopted between its roster row and its bridge is put in the bridge.
    const bridges = await withTimeout(rest.bridges.list(), 'bridge list');
    const bridged = new Set(bridges.flatMap((bridge) => bridge.channels));
    const live = new Set(channels.map((channel) => channel.id));
    for (const id of [...this.calls.keys()]) if (!live.has(id)) this.forget(id);
    // Only at the first sync, and before any adopted call's flow runs: a flow may re-open a leftover
    // bridge and add its caller (a call to a user answered just before parley stopped), and a clean-up
    // after that would destroy the bridge under it. After a reconnect a bridge may be empty because a
    // join under way is about to add its caller, and this process's flows end their own bridges.
    if (!this.leftoversCleared) {
      await this.destroyEmptyBridges(rest, bridges, live);
      this.leftoversCleared = true;
    }
    for (const channel of channels) {
      if (this.calls.has(channel.id)) continue;
      await rest.applications
        .subscribe({ applicationName: this.settings.app, eventSource: `channel:${channel.id}` })
        .catch(() => undefined);
      if (this.isPlaced(channel)) {
        // Nobody watches a call still ringing from before: it must not ring on, or be answered into nothing.
        if (channel.state !== 'Up') {
          await rest.channels.hangup({ channelId: channel.id, reason: 'normal' }).catch(() => undefined);
          live.delete(channel.id);
          continue;
        }
        this.admit(channel, [], true, true, bridged.has(channel.id));
        continue;
      }
      this.admit(channel, (channel.dialplan?.app_data ?? '').split(',').slice(1), true, false, bridged.has(channel.id));
    }
    this.log.info({ calls: live.size }, 'ARI resynced');
    await this.synced(live);
  }

  /** A conference (or lobby) whose last caller left while parley was away still has its bridge in Asterisk. */
  private async destroyEmptyBridges(rest: AriRest, bridges: ReadonlyArray<{ id: string; name?: string; channels: string[] }>, live: ReadonlySet<string>): Promise<void> {
    for (const bridge of bridges) {
      // Another parley sharing this Asterisk names its bridges after its own app (older bridges: their id).
      const ours = bridge.id.startsWith(BRIDGE_PREFIX) && (bridge.name === this.settings.app || bridge.name === bridge.id);
      // A lobby's music plays through an announcer channel: only parley's own calls count as people.
      // One this process opened may be empty only because its first caller is being added (the list is
      // a snapshot from before the channels were adopted, and a first sync can fail and come later).
      if (ours && !this.bridges.isOpenedHere(bridge.id) && !bridge.channels.some((id) => live.has(id) || this.calls.has(id))) {
        await rest.bridges.destroy({ bridgeId: bridge.id }).catch(() => undefined);
      }
    }
  }

  private isOurs(channel: AriChannelJson): boolean {
    const dialplan = channel.dialplan;
    const [app, ...args] = (dialplan?.app_data ?? '').split(',');
    return (dialplan?.app_name === 'Stasis' && app === this.settings.app && isDialIn(args)) || this.isPlaced(channel);
  }

  private isPlaced(channel: AriChannelJson): boolean {
    return (channel.dialplan?.app_data ?? '').startsWith(`${this.settings.app},${DIAL_OUT}`);
  }
}

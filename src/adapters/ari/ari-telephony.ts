import type { Log } from '../../ports/log.js';
import { randomUUID } from 'node:crypto';
import { CallEnded, type CallHandler, type ConferenceBridge, type DialRequest, type Language, type OutboundCall, type Playback, type Prompt, type SipRegistrar, type Telephony } from '../../ports/telephony.js';
import { AriRegistrar } from './ari-registrar.js';
import { AriCall } from './ari-call.js';
import { AriOutboundCall, DIAL_OUT } from './ari-outbound.js';
import { AriConnection, type AriSettings } from './ari-connection.js';
import {
  asteriskLanguage,
  isAlreadyThere,
  isCallGone,
  isGone,
  localeOf,
  mediaUri,
  withTimeout,
  type AriChannelJson,
  type AriEvent,
  type AriRest,
} from './ari-rest.js';
import { runInBackground } from '../../ports/background.js';

const BRIDGE_TYPE = 'mixing,dtmf_events,proxy_media';
/** Lobby callers hear the bridge's music, not each other. */
const LOBBY_TYPE = 'holding';
const PLAYBACK_LIMIT_MS = 120_000;
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
/** parley's bridges, told apart from any other application's on the same Asterisk. */
export const BRIDGE_PREFIX = 'parley-';

/**
 * Telephony over ARI. One dispatcher for every event, keyed by channel id (no per-channel
 * listeners); after every (re)connect the live channels are re-adopted and gone ones ended.
 */
export class AriTelephony implements Telephony {
  private readonly calls = new Map<string, AriCall>();
  /** Calls parley is placing, until they are answered or fail. */
  private readonly placing = new Map<string, AriOutboundCall>();
  /** Playbacks to whole bridges (announcements), waited on by id. */
  private readonly bridgePlaybacks = new Map<string, () => void>();
  private readonly connection: AriConnection;
  /** Directory users' SIP devices, over the same connection. */
  readonly registrar: SipRegistrar;
  private handler: CallHandler = () => undefined;
  private synced: (live: ReadonlySet<string>) => Promise<void> = async () => undefined;

  constructor(
    private readonly settings: AriSettings,
    private readonly log: Log,
  ) {
    this.connection = new AriConnection(
      settings,
      { eventTypes: HANDLED_EVENTS, onEvent: (event) => this.dispatch(event), onConnected: () => this.resync() },
      log,
    );
    this.registrar = new AriRegistrar(() => this.connection.rest, log);
  }

  start(): void {
    this.connection.start();
  }

  stop(): void {
    this.connection.stop();
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
    const called = 'phone' in request.to ? request.to.phone : request.to.contact;
    const call = new AriCall(request.id, { number: called, name: '' }, '', false, { rest: () => this.connection.rest, log: this.log }, request.language, true);
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
    return this.bridgeHandle(BRIDGE_PREFIX + conferenceId, BRIDGE_TYPE);
  }

  lobby(conferenceId: string): ConferenceBridge {
    return this.bridgeHandle(`${BRIDGE_PREFIX}lobby-${conferenceId}`, LOBBY_TYPE);
  }

  private bridgeHandle(id: string, type: string): ConferenceBridge {
    /** `tolerate` says which failures are the outcome wanted anyway (stopping music that is not playing). */
    const request = async (fn: (rest: AriRest) => Promise<unknown>, tolerate: (error: unknown) => boolean) => {
      const rest = this.connection.rest;
      if (!rest) throw new Error('ARI is not connected');
      try {
        await withTimeout(fn(rest), 'bridge request');
      } catch (error) {
        if (!tolerate(error)) throw error;
      }
    };
    const never = () => false;
    const always = () => true;
    return {
      id,
      open: () => request((rest) => rest.bridges.createWithId({ bridgeId: id, type, name: this.settings.app }), isAlreadyThere),
      add: async (channel) => {
        try {
          await request((rest) => rest.bridges.addChannel({ bridgeId: id, channel, absorbDTMF: true }), never);
        } catch (error) {
          if (isCallGone(error)) throw new CallEnded();
          throw error;
        }
      },
      remove: (channel) => request((rest) => rest.bridges.removeChannel({ bridgeId: id, channel }), isGone),
      startMusic: () => request((rest) => rest.bridges.startMoh({ bridgeId: id, mohClass: 'default' }), always),
      stopMusic: () => request((rest) => rest.bridges.stopMoh({ bridgeId: id }), always),
      play: (prompts, language) => this.playToBridge(id, prompts, language),
      record: (name) => request((rest) => rest.bridges.record({ bridgeId: id, name, format: 'wav', ifExists: 'fail', beep: false }), never),
      stopRecording: (name) => request((rest) => rest.recordings.stop({ recordingName: name }), isGone),
      destroy: () => request((rest) => rest.bridges.destroy({ bridgeId: id }), isGone),
    };
  }

  private playToBridge(bridgeId: string, prompts: readonly Prompt[], language: Language): Playback {
    const playbackId = randomUUID();
    const finished = new Promise<void>((resolve) => {
      const safety = setTimeout(() => this.bridgePlaybacks.get(playbackId)?.(), PLAYBACK_LIMIT_MS);
      this.bridgePlaybacks.set(playbackId, () => {
        clearTimeout(safety);
        this.bridgePlaybacks.delete(playbackId);
        resolve();
      });
    });
    const done = () => this.bridgePlaybacks.get(playbackId)?.();
    const rest = this.connection.rest;
    if (!rest) done();
    else {
      const media = prompts.map(mediaUri);
      withTimeout(rest.bridges.play({ bridgeId, media, playbackId, lang: asteriskLanguage(language) }), 'bridge play').catch(
        (error: unknown) => {
          if (!isGone(error)) this.log.warn({ err: String(error), bridge: bridgeId }, 'announcement failed');
          done();
        },
      );
    }
    return {
      finished,
      stop: async () => {
        await this.connection.rest?.playbacks.stop({ playbackId }).catch(() => undefined);
        done();
      },
    };
  }

  private dispatch(event: AriEvent): void {
    const channelId = event.channel?.id;
    switch (event.type) {
      case 'StasisStart':
        if (event.channel && event.args?.[0] === 'dial-in') this.admit(event.channel, event.args[1], false);
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
          if (target.startsWith('bridge:')) this.bridgePlaybacks.get(event.playback.id)?.();
          else this.calls.get(target.replace(/^channel:/, ''))?.playbackFinished(event.playback.id);
        }
        return;
      case 'RecordingFinished':
      case 'RecordingFailed':
        if (event.recording) this.calls.get(event.recording.target_uri.replace(/^channel:/, ''))?.recordingEnded(event.recording);
        return;
    }
  }

  private admit(channel: AriChannelJson, dialed: string | undefined, adopted: boolean, placed = false): void {
    if (this.calls.has(channel.id)) return;
    const call = new AriCall(
      channel.id,
      channel.caller,
      dialed ?? channel.dialplan?.exten ?? '',
      adopted,
      { rest: () => this.connection.rest, log: this.log },
      localeOf(channel.language),
      placed,
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
    for (const done of [...this.bridgePlaybacks.values()]) done();
    const channels = (await withTimeout(rest.channels.list(), 'channel list')).filter((channel) => this.isOurs(channel));
    const live = new Set(channels.map((channel) => channel.id));
    for (const id of [...this.calls.keys()]) if (!live.has(id)) this.forget(id);
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
        this.admit(channel, '', true, true);
        continue;
      }
      const dialed = channel.dialplan?.app_data?.split(',')[2];
      this.admit(channel, dialed, true);
    }
    await this.destroyEmptyBridges(rest);
    this.log.info({ calls: live.size }, 'ARI resynced');
    await this.synced(live);
  }

  /** A conference (or lobby) whose last caller left while parley was away still has its bridge in Asterisk. */
  private async destroyEmptyBridges(rest: AriRest): Promise<void> {
    for (const bridge of await withTimeout(rest.bridges.list(), 'bridge list')) {
      // Another parley sharing this Asterisk names its bridges after its own app (older bridges: their id).
      const ours = bridge.id.startsWith(BRIDGE_PREFIX) && (bridge.name === this.settings.app || bridge.name === bridge.id);
      // A lobby's music plays through an announcer channel: only parley's own calls count as people.
      if (ours && !bridge.channels.some((id) => this.calls.has(id))) {
        await rest.bridges.destroy({ bridgeId: bridge.id }).catch(() => undefined);
      }
    }
  }

  private isOurs(channel: AriChannelJson): boolean {
    const dialplan = channel.dialplan;
    return (dialplan?.app_name === 'Stasis' && (dialplan.app_data ?? '').startsWith(`${this.settings.app},dial-in`)) || this.isPlaced(channel);
  }

  private isPlaced(channel: AriChannelJson): boolean {
    return (channel.dialplan?.app_data ?? '').startsWith(`${this.settings.app},${DIAL_OUT}`);
  }
}

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Log } from '../../ports/log.js';
import { CallEnded, type ConferenceBridge, type Language, type Playback, type Prompt } from '../../ports/telephony.js';
import { AriHttpError } from './ari-http.js';
import { PlaybackWaits } from './ari-playbacks.js';
import { asteriskLanguage, isAlreadyThere, isCallGone, isGone, isNotInStasis, isStaleBridge, mediaUri, withTimeout, type AriRest } from './ari-rest.js';

const BRIDGE_TYPE = 'mixing,dtmf_events,proxy_media';
/** Lobby callers hear the bridge's music, not each other. */
const LOBBY_TYPE = 'holding';
/** parley's bridges, told apart from any other application's on the same Asterisk. */
export const BRIDGE_PREFIX = 'parley-';
/** How long a bridge request lost with the ARI connection is sent again (an outage longer than this releases callers). */
const RETRY_LIMIT_MS = 30_000;
const RETRY_FIRST_DELAY_MS = 200;
/** Before a bridge just destroyed is made again under its id (Asterisk lets its snapshot go by then). */
const STALE_BRIDGE_WAIT_MS = 250;
/** Short: a caller half-way into a conference waits at most this long after ARI is back (a refused attempt costs nothing). */
const RETRY_MAX_DELAY_MS = 500;

class AriUnreachable extends Error {}

interface RequestOptions {
  readonly tolerate?: (error: unknown) => boolean;
  readonly once?: boolean;
  readonly done?: (rest: AriRest) => Promise<boolean>;
}

/**
 * Lost on the way rather than answered: no connection, a refused or reset socket, no answer in time.
 * An answer from Asterisk (any status) is not transient: it says what happened.
 */
function isTransient(error: unknown): boolean {
  if (error instanceof AriUnreachable) return true;
  if (error instanceof AriHttpError) return false;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ECONNABORTED)$/.test(code)) return true;
  return /socket hang up|timed out/i.test(error instanceof Error ? error.message : String(error));
}

/** Conference and lobby bridges over ARI, with stable ids, and the announcements played to them. */
export class AriBridges {
  /** Playbacks to whole bridges (announcements), waited on by id. */
  private readonly playbacks = new PlaybackWaits();
  /** Bridges this process has opened and not destroyed: never a leftover of an earlier one. */
  private readonly openedHere = new Set<string>();

  constructor(
    private readonly rest: () => AriRest | undefined,
    private readonly log: Log,
    /** The Stasis app, as each bridge's name: another parley sharing the Asterisk leaves these alone. */
    private readonly app: string,
  ) {}

  conference(conferenceId: string): ConferenceBridge {
    return this.handle(BRIDGE_PREFIX + conferenceId, BRIDGE_TYPE);
  }

  lobby(conferenceId: string): ConferenceBridge {
    return this.handle(`${BRIDGE_PREFIX}lobby-${conferenceId}`, LOBBY_TYPE);
  }

  playbackFinished(playbackId: string): void {
    this.playbacks.finished(playbackId);
  }

  /** Whether this process opened the bridge (and has not destroyed it): a join may be about to fill it. */
  isOpenedHere(bridgeId: string): boolean {
    return this.openedHere.has(bridgeId);
  }

  /** After a reconnect: announcements' PlaybackFinished may have been lost with the socket. */
  settlePlaybacks(): void {
    this.playbacks.settleAll();
  }

  private handle(id: string, type: string): ConferenceBridge {
    /**
     * A request lost with the socket (a blip, an outage, a stalled Asterisk) is sent again until ARI is
     * back: a caller on the way into a conference must not be released for a cut of parley's own
     * connection. `tolerate`: failures that are the outcome wanted anyway (stopping music that is not
     * playing); `once`: not sent again (a recording); `done`: asked before sending again, whether the
     * lost request had reached Asterisk and done its work (a request Asterisk would undo if repeated).
     */
    const request = async (fn: (rest: AriRest) => Promise<unknown>, options: RequestOptions = {}) => {
      const { tolerate = () => false, once = false, done } = options;
      const giveUp = Date.now() + RETRY_LIMIT_MS;
      for (let attempt = 0; ; attempt++) {
        const rest = this.rest();
        try {
          if (!rest) throw new AriUnreachable('ARI is not connected');
          if (attempt > 0 && done && (await withTimeout(done(rest), 'bridge check').catch(() => false))) return;
          await withTimeout(fn(rest), 'bridge request');
          return;
        } catch (error) {
          if (tolerate(error)) return;
          if (once || !isTransient(error) || Date.now() >= giveUp) throw error;
          if (attempt === 0) this.log.warn({ err: String(error), bridge: id }, 'bridge request lost with the ARI connection; sending it again');
          await sleep(Math.min(RETRY_MAX_DELAY_MS, RETRY_FIRST_DELAY_MS * 2 ** attempt));
        }
      }
    };
    const always = () => true;
    const open = () => {
      this.openedHere.add(id);
      return request((rest) => rest.bridges.createWithId({ bridgeId: id, type, name: this.app }), { tolerate: isAlreadyThere });
    };
    return {
      id,
      open,
      add: async (channel) => {
        // A channel added again is taken out of the bridge and put back (or, mid-join, left out): an
        // add whose answer was lost with the socket is sent again only if the channel is not in.
        const inBridge = async (rest: AriRest) => (await rest.bridges.get({ bridgeId: id })).channels.includes(channel);
        const add = () => request((rest) => rest.bridges.addChannel({ bridgeId: id, channel, absorbDTMF: true }), { done: inBridge });
        try {
          await add().catch(async (error: unknown) => {
            if (!isStaleBridge(error)) throw error;
            // The bridge was destroyed a moment ago (a restart's clean-up, its last caller leaving): made
            // again, with the caller in it. Once seen as a "call gone", which hung up a call being re-attached.
            this.log.warn({ err: String(error), bridge: id, channel }, 'the bridge was just destroyed; making it again');
            await sleep(STALE_BRIDGE_WAIT_MS);
            await open();
            await add();
          });
        } catch (error) {
          if (!isCallGone(error)) throw error;
          // "Not in Stasis" for a channel that exists: an add sent by a process that stopped meanwhile
          // may have put it in already. ("Channel not found" is final.)
          const rest = this.rest();
          if (isNotInStasis(error) && rest && (await withTimeout(inBridge(rest), 'bridge check').catch(() => false))) return;
          this.log.debug({ err: String(error), bridge: id, channel }, 'the call was gone before it reached the bridge');
          throw new CallEnded();
        }
      },
      remove: (channel) => request((rest) => rest.bridges.removeChannel({ bridgeId: id, channel }), { tolerate: isGone }),
      startMusic: () => request((rest) => rest.bridges.startMoh({ bridgeId: id, mohClass: 'default' }), { tolerate: always }),
      stopMusic: () => request((rest) => rest.bridges.stopMoh({ bridgeId: id }), { tolerate: always }),
      play: (prompts, language) => this.play(id, prompts, language),
      record: (name) => request((rest) => rest.bridges.record({ bridgeId: id, name, format: 'wav', ifExists: 'fail', beep: false }), { once: true }),
      stopRecording: (name) => request((rest) => rest.recordings.stop({ recordingName: name }), { tolerate: isGone }),
      destroy: () => {
        this.openedHere.delete(id);
        return request((rest) => rest.bridges.destroy({ bridgeId: id }), { tolerate: isGone });
      },
    };
  }

  private play(bridgeId: string, prompts: readonly Prompt[], language: Language): Playback {
    const playbackId = randomUUID();
    const finished = this.playbacks.wait(playbackId);
    const done = () => this.playbacks.finished(playbackId);
    const rest = this.rest();
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
        await this.rest()?.playbacks.stop({ playbackId }).catch(() => undefined);
        done();
      },
    };
  }
}

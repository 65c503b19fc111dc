import { CallEnded, type Telephony } from '../ports/telephony.js';
import { Serial } from './serial.js';

/**
 * Keeps each conference's bridge in step with its roster: open while anyone is connected, music
 * while exactly one is, gone when nobody is. Membership changes run in order per conference; the
 * sets below only cache what Asterisk was last told, so a restart merely costs a few idempotent calls.
 */
export class ConferenceBridges {
  private readonly serial = new Serial();
  private readonly opened = new Set<string>();
  private readonly music = new Map<string, boolean>();
  private readonly settling = new Map<string, Promise<number>>();

  constructor(
    private readonly telephony: Telephony,
    private readonly countConnected: (conferenceId: string) => Promise<number>,
  ) {}

  /**
   * Puts the call in the conference's bridge, opening the bridge first when needed. Once it is open,
   * joins go side by side: queued one behind another, a join storm waited on every earlier caller's
   * ARI round trip. Nothing destroys a bridge under them, since a joiner counts as connected before
   * it is added (and a bridge that vanished anyway is opened again).
   */
  add(conferenceId: string, callId: string): Promise<void> {
    if (this.opened.has(conferenceId)) return this.addTo(conferenceId, callId);
    return this.serial.run(conferenceId, async () => {
      if (!this.opened.has(conferenceId)) await this.telephony.bridge(conferenceId).open();
      this.opened.add(conferenceId);
      await this.addTo(conferenceId, callId);
    });
  }

  private async addTo(conferenceId: string, callId: string): Promise<void> {
    const bridge = this.telephony.bridge(conferenceId);
    try {
      await bridge.add(callId);
    } catch (error) {
      if (error instanceof CallEnded) throw error;
      // The bridge went away underneath (Asterisk restarted, or removed it): open it again once.
      await bridge.open();
      await bridge.add(callId);
    }
  }

  /**
   * Brings the bridge in line with the number of connected participants. Calls that arrive while
   * one is queued share it: a join storm costs one count per batch, not one per caller.
   * Resolves with the number of connected participants it found.
   */
  settle(conferenceId: string): Promise<number> {
    const queued = this.settling.get(conferenceId);
    if (queued) return queued;
    const run = this.serial.run(conferenceId, async () => {
      this.settling.delete(conferenceId);
      const connected = await this.countConnected(conferenceId);
      const bridge = this.telephony.bridge(conferenceId);
      if (connected === 0) {
        await bridge.destroy();
        this.opened.delete(conferenceId);
        this.music.delete(conferenceId);
        return connected;
      }
      const wanted = connected === 1;
      if (this.music.get(conferenceId) !== wanted) {
        await (wanted ? bridge.startMusic() : bridge.stopMusic());
        this.music.set(conferenceId, wanted);
      }
      return connected;
    });
    this.settling.set(conferenceId, run);
    return run;
  }

  drain(): Promise<void> {
    return this.serial.idle();
  }
}

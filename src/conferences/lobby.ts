import type { Conference } from '../domain/conference.js';
import type { Participant } from '../domain/participant.js';
import type { ParticipantStore } from '../ports/store.js';
import type { Call, Telephony } from '../ports/telephony.js';
import { Serial } from './serial.js';

export interface Admission {
  /** Resolves when a leader admits the caller (or arrives, for callers waiting for one), or turns them away. */
  readonly decided: Promise<'admitted' | 'denied'>;
  cancel(): void;
}

/**
 * The lobby: a holding bridge per conference, with music, and the callers waiting in it. The store
 * holds who waits (state 'lobby'); the wake-ups here only tell a waiting call flow it was admitted.
 */
export class Lobby {
  private readonly serial = new Serial();
  private readonly waiting = new Map<string, (decision: 'admitted' | 'denied') => void>();
  /** The calls this process put in (or found in) each conference's lobby bridge. */
  private readonly members = new Map<string, Set<string>>();

  constructor(
    private readonly telephony: Telephony,
    private readonly participants: Pick<ParticipantStore, 'list' | 'setState' | 'leaveLobby'>,
  ) {}

  admission(participantId: string): Admission {
    let cancel = () => undefined as void;
    const decided = new Promise<'admitted' | 'denied'>((resolve) => {
      this.waiting.set(participantId, resolve);
      cancel = () => void this.waiting.delete(participantId);
    });
    return { decided, cancel };
  }

  async enter(conference: Conference, participant: Participant, call: Call): Promise<void> {
    await this.participants.setState(participant.id, 'lobby');
    await this.serial.run(conference.id, async () => {
      const bridge = this.telephony.lobby(conference.id);
      await bridge.open();
      await bridge.startMusic();
      await bridge.add(call.id);
      this.memberSet(conference.id).add(call.id);
    });
  }

  /** A call found waiting after a restart: still in the bridge, now counted again. */
  rejoin(conferenceId: string, call: Call): void {
    this.memberSet(conferenceId).add(call.id);
  }

  private memberSet(conferenceId: string): Set<string> {
    let set = this.members.get(conferenceId);
    if (!set) this.members.set(conferenceId, (set = new Set()));
    return set;
  }

  /** Out of the lobby bridge (admitted, timed out or gone); the bridge goes when nobody waits. */
  async leave(conferenceId: string, call: Call): Promise<void> {
    await this.serial.run(conferenceId, async () => {
      const bridge = this.telephony.lobby(conferenceId);
      await bridge.remove(call.id);
      const members = this.memberSet(conferenceId);
      members.delete(call.id);
      if (members.size === 0) {
        this.members.delete(conferenceId);
        await bridge.destroy();
      }
    });
  }

  /**
   * Admits one caller, or everyone waiting; returns how many were waiting and are now let in (by this
   * decision: a caller another leader decided about a moment before is not counted again).
   */
  async admit(conferenceId: string, participantId?: string): Promise<number> {
    const ids = participantId === undefined ? (await this.waitingIn(conferenceId)).map((p) => p.id) : [participantId];
    let admitted = 0;
    for (const id of ids) {
      if (!(await this.participants.leaveLobby(conferenceId, id, 'connecting'))) continue;
      admitted += 1;
      this.waiting.get(id)?.('admitted');
    }
    return admitted;
  }

  /**
   * Turns one waiting caller away: their call flow, waiting in this process, tells them and ends the
   * call. False when nobody by that ID waits here.
   */
  async deny(conferenceId: string, participantId: string): Promise<boolean> {
    const wake = this.waiting.get(participantId);
    if (!wake) return false;
    // The roster says so at once; the caller hears that a leader removed them, then the line ends.
    if (!(await this.participants.leaveLobby(conferenceId, participantId, 'disconnecting', 'lobby-denied'))) return false;
    wake('denied');
    return true;
  }

  async waitingIn(conferenceId: string): Promise<Participant[]> {
    return (await this.participants.list(conferenceId)).filter((p) => p.state === 'lobby');
  }
}

import type { Participant } from '../domain/participant.js';
import type { Log } from '../ports/log.js';
import type { ConferenceStore, ParticipantStore } from '../ports/store.js';
import type { Prompt, Telephony } from '../ports/telephony.js';
import { numberPrompt, PROMPTS } from '../prompts/catalog.js';
import { tellEveryone } from './tell-everyone.js';
import { runInBackground } from '../ports/background.js';

interface Pending {
  readonly joined: Participant[];
  readonly left: Participant[];
  timer: NodeJS.Timeout;
}

/**
 * Entry and exit announcements. Events are gathered for a moment per conference: a few are announced
 * by name (or tone), a crowd as one summary ("12 people have joined"), so a join storm is not fifty names.
 */
export class Announcer {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly deps: {
      telephony: Telephony;
      conferences: Pick<ConferenceStore, 'get'>;
      participants: Pick<ParticipantStore, 'list'>;
      log: Log;
    },
    private readonly windowMs = 1500,
    private readonly maxNamed = 3,
  ) {}

  joined(participant: Participant): void {
    this.gather(participant.conferenceId).joined.push(participant);
  }

  left(participant: Participant): void {
    this.gather(participant.conferenceId).left.push(participant);
  }

  private gather(conferenceId: string): Pending {
    let pending = this.pending.get(conferenceId);
    if (!pending) {
      const created: Pending = { joined: [], left: [], timer: setTimeout(() => runInBackground(this.deps.log, 'announce', this.flush(conferenceId, created), { conference: conferenceId }), this.windowMs) };
      created.timer.unref();
      this.pending.set(conferenceId, created);
      pending = created;
    }
    return pending;
  }

  private async flush(conferenceId: string, pending: Pending): Promise<void> {
    this.pending.delete(conferenceId);
    try {
      const conference = await this.deps.conferences.get(conferenceId);
      if (!conference?.announceEntryExit) return;
      const roster = await this.deps.participants.list(conferenceId);
      // Names may have been recorded or spoken since the event (a signed-in caller's directory name).
      const current = new Map(roster.map((p) => [p.id, p]));
      const fresh = (list: Participant[]) => list.map((p) => ({ ...p, nameRecording: current.get(p.id)?.nameRecording ?? p.nameRecording }));
      const gathered = { ...pending, joined: fresh(pending.joined), left: fresh(pending.left) };
      const prompts = conference.announceWith === 'tones' ? tones(gathered) : this.spoken(gathered);
      await tellEveryone(this.deps.telephony, conferenceId, roster.filter((p) => p.state === 'connected'), prompts);
    } catch (error) {
      this.deps.log.warn({ err: error, conference: conferenceId }, 'announcement failed');
    }
  }

  private spoken({ joined, left }: Pending): Prompt[] {
    if (joined.length + left.length > this.maxNamed) {
      return [
        ...(joined.length > 0 ? [numberPrompt(joined.length), PROMPTS.peopleJoined] : []),
        ...(left.length > 0 ? [numberPrompt(left.length), PROMPTS.peopleLeft] : []),
      ];
    }
    const named = (p: Participant, tone: Prompt, says: Prompt) => (p.nameRecording ? [p.nameRecording, says] : [tone]);
    return [
      ...joined.flatMap((p) => named(p, PROMPTS.toneEnter, PROMPTS.hasJoined)),
      ...left.flatMap((p) => named(p, PROMPTS.toneExit, PROMPTS.hasLeft)),
    ];
  }
}

function tones({ joined, left }: Pending): Prompt[] {
  return [...(joined.length > 0 ? [PROMPTS.toneEnter] : []), ...(left.length > 0 ? [PROMPTS.toneExit] : [])];
}

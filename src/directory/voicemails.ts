import { DomainError } from '../domain/errors.js';
import { canActFor, type Principal } from '../domain/user.js';
import type { RecordingFiles } from '../ports/recordings.js';
import type { Voicemail, VoicemailStore } from '../ports/voicemail-store.js';

export interface VoicemailsDeps {
  readonly store: VoicemailStore;
  readonly files: Pick<RecordingFiles, 'open' | 'remove'>;
}

/** A user's messages: they listen to and delete their own; administrators anyone's. */
export class Voicemails {
  constructor(private readonly deps: VoicemailsDeps) {}

  async list(principal: Principal, userId: string): Promise<Voicemail[]> {
    this.permitted(principal, userId);
    return this.deps.store.list(userId);
  }

  async audio(principal: Principal, userId: string, id: string): Promise<NodeJS.ReadableStream> {
    const voicemail = await this.find(principal, userId, id);
    const stream = await this.deps.files.open(voicemail.recording);
    if (!stream) throw new DomainError('voicemail-not-found', 'the message’s audio is gone');
    return stream;
  }

  async remove(principal: Principal, userId: string, id: string): Promise<void> {
    const voicemail = await this.find(principal, userId, id);
    await this.deps.store.remove(id);
    await this.deps.files.remove(voicemail.recording).catch(() => false);
  }

  private async find(principal: Principal, userId: string, id: string): Promise<Voicemail> {
    this.permitted(principal, userId);
    const voicemail = await this.deps.store.get(id);
    if (!voicemail || voicemail.userId !== userId) throw new DomainError('voicemail-not-found', `no message ${id}`);
    return voicemail;
  }

  private permitted(principal: Principal, userId: string): void {
    if (!canActFor(principal, userId)) throw new DomainError('forbidden', "only the user or an administrator may read a user's messages");
  }
}

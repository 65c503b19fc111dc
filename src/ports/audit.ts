/** Who did what to which conference, and when: every leader action, whatever it came through. */
export interface AuditEntry {
  readonly conferenceId: string;
  /** The directory user who acted, when one did. */
  readonly actorUserId: string | null;
  /** How the actor reads in the log: an e-mail address, "service", or "keypad: <name>". */
  readonly actor: string;
  readonly action: AuditAction;
  readonly participantId?: string | null;
  readonly detail?: Record<string, unknown>;
}

export type AuditAction =
  | 'mute'
  | 'unmute'
  | 'audience-mute'
  | 'audience-unmute'
  | 'eject'
  | 'lock'
  | 'unlock'
  | 'promote'
  | 'demote'
  | 'admit'
  | 'deny'
  | 'end'
  | 'announcements-on'
  | 'announcements-off'
  | 'recording-start'
  | 'recording-stop'
  | 'dial-out'
  | 'cancel-invitation'
  | 'invite'
  /** Deployment-wide (no conference): wrong keypad entries passed the alarm rate. */
  | 'keypad-guessing';

export interface AuditRecord extends AuditEntry {
  readonly id: number;
  readonly at: Date;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest last. */
  list(conferenceId: string): Promise<AuditRecord[]>;
}

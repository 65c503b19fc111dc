import type { Attendance } from '../conferences/attendance.js';
import type { UserStore } from '../ports/directory-store.js';
import type { NoticeStore } from '../ports/jobs.js';
import type { EventLog } from '../ports/events.js';
import type { Log } from '../ports/log.js';
import { UnsafeRecordingName, type RecordingFiles, type RecordingStore } from '../ports/recordings.js';
import type { ConferenceStore } from '../ports/store.js';
import type { Telephony } from '../ports/telephony.js';
import type { WebhookStore } from '../ports/webhooks.js';

const DAY_MS = 24 * 60 * 60_000;

export interface JobSettings {
  /** How long a meeting's conference ID stays reserved after its join window closed. */
  readonly retentionDays: number;
  /** PINs expire this many days after being set; 0: never. */
  readonly pinExpiryDays: number;
  /** Warn this many days before a PIN expires. */
  readonly pinWarningDays: number;
  /** Recordings and callers' recorded names are deleted this many days after they end; 0: kept forever. */
  readonly recordingRetentionDays: number;
  /** Delivered webhooks are deleted this many days after delivery (default 3); 0: kept forever. Dead ones always stay. */
  readonly webhookRetentionDays?: number;
}

export interface JobsDeps {
  readonly conferences: Pick<ConferenceStore, 'expire'>;
  readonly users: Pick<UserStore, 'withPinSetBetween'>;
  readonly notices: NoticeStore;
  readonly conferenceService: Pick<Attendance, 'reconcile'>;
  readonly telephony: Pick<Telephony, 'isUp' | 'liveCallIds'>;
  readonly recordings: Pick<RecordingStore, 'endedBefore' | 'markPurged' | 'nameRecordingsLeftBefore' | 'forgetNameRecording'>;
  readonly recordingFiles: RecordingFiles;
  readonly events: Pick<EventLog, 'purge'>;
  readonly webhookDeliveries: Pick<WebhookStore, 'purgeDelivered'>;
  readonly log: Log;
  readonly settings: JobSettings;
}

export type JobName = 'expire-meetings' | 'warn-pin-expiry' | 'close-stale-participants' | 'purge-recordings' | 'purge-events' | 'purge-webhook-deliveries';

/** Conference events are for streams resuming after a blip; the call records keep the history. */
export const EVENT_RETENTION_DAYS = 2;

export type Job = (now: Date) => Promise<number>;

/**
 * The scheduled jobs, each a function of the time it runs at (never reading the clock itself),
 * returning how many things it changed.
 */
export function scheduledJobs(deps: JobsDeps): Record<JobName, Job> {
  return {
    /** Meetings past their join window and retention end, and their conference IDs become free. */
    'expire-meetings': (now) => deps.conferences.expire(new Date(now.getTime() - deps.settings.retentionDays * DAY_MS)),

    /** One notice per PIN that expires within the warning period. */
    'warn-pin-expiry': async (now) => {
      const { pinExpiryDays, pinWarningDays } = deps.settings;
      if (pinExpiryDays <= 0) return 0;
      const from = new Date(now.getTime() - pinExpiryDays * DAY_MS);
      const to = new Date(from.getTime() + pinWarningDays * DAY_MS);
      let warned = 0;
      for (const { user, pinSetAt } of await deps.users.withPinSetBetween(from, to)) {
        const expiresAt = new Date(pinSetAt.getTime() + pinExpiryDays * DAY_MS);
        const notice = { userId: user.id, kind: 'pin-expiring' as const, key: pinSetAt.toISOString(), payload: { expiresAt: expiresAt.toISOString(), email: user.email } };
        if (await deps.notices.insertOnce(notice)) warned++;
      }
      return warned;
    },

    /** Participants still shown in a conference whose call this process no longer holds (a crash, a lost event). */
    'close-stale-participants': async () => {
      if (!deps.telephony.isUp()) return 0;
      return deps.conferenceService.reconcile(deps.telephony.liveCallIds());
    },

    /** Recordings and callers' recorded names past retention lose their files; recording rows stay, marked purged. */
    'purge-recordings': (now) => purgeRecordings(deps, now),

    /** Stream events older than EVENT_RETENTION_DAYS (a client resuming after them gets a snapshot). */
    'purge-events': (now) => deps.events.purge(new Date(now.getTime() - EVENT_RETENTION_DAYS * DAY_MS)),

    /** Delivered webhooks past their retention; dead ones stay in the dead-letter list until retried or their subscription goes. */
    'purge-webhook-deliveries': async (now) => {
      const days = deps.settings.webhookRetentionDays ?? 3;
      return days > 0 ? deps.webhookDeliveries.purgeDelivered(new Date(now.getTime() - days * DAY_MS)) : 0;
    },
  };
}

async function purgeRecordings(deps: JobsDeps, now: Date): Promise<number> {
  const { recordingRetentionDays } = deps.settings;
  if (recordingRetentionDays <= 0) return 0;
  const before = new Date(now.getTime() - recordingRetentionDays * DAY_MS);
  const counts = { recordings: 0, names: 0, filesMissing: 0, refused: 0 };
  /** True when the file is gone now (deleted, or already missing); false when its name was refused. */
  const removeFile = async (name: string, format: string | undefined, owner: Record<string, string>): Promise<boolean> => {
    try {
      if (!(await deps.recordingFiles.remove(name, format))) counts.filesMissing++;
      return true;
    } catch (error) {
      if (!(error instanceof UnsafeRecordingName)) throw error;
      counts.refused++;
      deps.log.warn(owner, 'recording name refused: it could reach outside the recording directory; left as it is');
      return false;
    }
  };

  for (const recording of await deps.recordings.endedBefore(before)) {
    if (!(await removeFile(recording.name, recording.format, { recordingId: recording.id }))) continue;
    await deps.recordings.markPurged(recording.id, now);
    counts.recordings++;
  }
  for (const { participantId, prompt } of await deps.recordings.nameRecordingsLeftBefore(before)) {
    if (!(await removeFile(prompt.replace(/^recording:/, ''), undefined, { participantId }))) continue;
    await deps.recordings.forgetNameRecording(participantId, prompt);
    counts.names++;
  }
  if (counts.recordings + counts.names + counts.refused > 0) deps.log.info({ job: 'purge-recordings', ...counts }, 'recordings purged');
  return counts.recordings + counts.names;
}

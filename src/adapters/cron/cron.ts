import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../../ports/clock.js';
import type { JobLock } from '../../ports/jobs.js';
import type { Log } from '../../ports/log.js';
import type { Job } from '../../meetings/jobs.js';

export interface CronJob {
  readonly name: string;
  /** A cron expression, e.g. every 5 minutes: '*\/5 * * * *'. */
  readonly schedule: string;
  readonly run: Job;
}

/** Runs one job now, on this instance only if no other holds it, and logs what it did. */
export async function runJob(job: CronJob, lock: JobLock, clock: Clock, log: Log): Promise<number | 'busy'> {
  const started = clock.now();
  try {
    const result = await lock.exclusive(job.name, () => job.run(started));
    if (result === 'busy') log.debug({ job: job.name }, 'job runs on another instance');
    else log.info({ job: job.name, changed: result, ms: clock.now().getTime() - started.getTime() }, 'job done');
    return result;
  } catch (error) {
    log.error({ job: job.name, err: error }, 'job failed');
    return 0;
  }
}

/** node-cron drives the jobs; a run still going when its next turn comes is skipped, not doubled. */
export function startJobs(jobs: readonly CronJob[], lock: JobLock, clock: Clock, log: Log): () => Promise<void> {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(job.schedule, async () => void (await runJob(job, lock, clock, log)), { name: job.name, noOverlap: true }),
  );
  return async () => {
    await Promise.all(tasks.map((task) => task.stop()));
  };
}

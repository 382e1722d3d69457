import { applicationStatusOfJobStatus } from './application-status.js';
import type { ApplicationDetails, ApplicationOverview, ApplicationStatus } from './applications.js';
import type { JobOverview } from './jobs.js';

/**
 * An application as `cluster.listApplications()` and watchers report it: the same shape on every
 * Flink version, from `GET /applications/overview` on 2.3+ or derived from a job before that.
 */
export interface ApplicationSummary {
  /** The application id. */
  applicationId: string;
  /** The application's name. */
  name: string;
  /** The current status. */
  status: ApplicationStatus;
  /** When the application was created (epoch ms). */
  startTime: number;
  /** When it reached a terminal status (epoch ms); undefined while it runs (Flink sends -1). */
  endTime: number | undefined;
  /** How long it has run, or ran, in milliseconds. */
  durationMs: number;
  /** How many of its jobs are in each job status (only statuses that occur). */
  jobCounts: Record<string, number>;
  /** True when derived from a job on a cluster before Flink 2.3, which has no application endpoints. */
  emulated: boolean;
}

/** An `/applications/overview` entry as an {@link ApplicationSummary}. */
export function applicationSummaryOfOverview(a: ApplicationOverview): ApplicationSummary {
  return summary(a.id, a.name, a.status, a['start-time'], a['end-time'], a.duration, a.jobs, false);
}

/** An `/applications/:id` body as an {@link ApplicationSummary} (its job counts from its jobs). */
export function applicationSummaryOfDetails(d: ApplicationDetails): ApplicationSummary {
  const counts: Record<string, number> = {};
  for (const job of d.jobs) counts[job.state] = (counts[job.state] ?? 0) + 1;
  return summary(d.id, d.name, d.status, d['start-time'], d['end-time'], d.duration, counts, false);
}

/**
 * The single-job application Flink's model makes of a job (every job before 2.3), as an
 * {@link ApplicationSummary}.
 */
export function applicationSummaryOfJob(j: JobOverview): ApplicationSummary {
  return summary(j.jid, j.name, applicationStatusOfJobStatus(j.state), j['start-time'], j['end-time'], j.duration, { [j.state]: 1 }, true);
}

function summary(
  applicationId: string,
  name: string,
  status: ApplicationStatus,
  startTime: number,
  endTime: number,
  durationMs: number,
  jobCounts: Record<string, number>,
  emulated: boolean,
): ApplicationSummary {
  return { applicationId, name, status, startTime, endTime: endTime > 0 ? endTime : undefined, durationMs, jobCounts, emulated };
}

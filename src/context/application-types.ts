import type { StateTarget } from '../operations/wait-for-state.js';
import type { ApplicationSummary } from '../schemas/application-summary.js';
import type { ApplicationStatus, KnownApplicationStatus } from '../schemas/applications.js';
import type { JobOverview } from '../schemas/jobs.js';

/**
 * An application with its jobs, the same shape on every Flink version: what
 * `cluster.listApplications()` reports of it, plus when it reached each status and its jobs.
 *
 * `name` is the main class for `runApplication()`, and `SingleJobApplication(<job>)` on 2.3 for
 * a jar run. `startTime` is when it started running (Flink 2.3's details report the RUNNING time,
 * its overview the CREATED time).
 */
export interface ApplicationDescription extends ApplicationSummary {
  /** When each status was reached (epoch ms); statuses never reached are absent. */
  timestamps: Partial<Record<KnownApplicationStatus, number>>;
  /** The application's jobs with their status, times and task counts. */
  jobs: JobOverview[];
}

/** A target for {@link ApplicationClient.waitFor}: one status, any of several, or a predicate. */
export type ApplicationStatusTarget = StateTarget<ApplicationStatus>;

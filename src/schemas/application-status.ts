import type { ApplicationStatus, KnownApplicationStatus } from './applications.js';
import type { JobStatus } from './job-status.js';

/**
 * The application state a job status stands for, in Flink's own model where a job submitted
 * outside run-application is a single-job application. Globally terminal statuses map as Flink
 * maps them (`ApplicationState.fromJobStatus`: FAILED→FAILED, CANCELED→CANCELED,
 * FINISHED→FINISHED); the others map to the application state a single-job application is in
 * meanwhile. A status this SDK does not know is passed through unchanged.
 *
 * @example
 * ```ts
 * applicationStatusOfJobStatus('CANCELLING'); // 'CANCELING'
 * ```
 */
export function applicationStatusOfJobStatus(status: JobStatus): ApplicationStatus {
  switch (status) {
    case 'FINISHED':
    case 'FAILED':
    case 'CANCELED':
      return status;
    case 'INITIALIZING':
    case 'CREATED':
      return 'CREATED';
    case 'RUNNING':
    case 'RESTARTING':
    case 'RECONCILING':
    // A SUSPENDED job is only terminal on this JobManager; another one resumes it.
    case 'SUSPENDED':
      return 'RUNNING';
    case 'FAILING':
      return 'FAILING';
    case 'CANCELLING':
      return 'CANCELING';
    default:
      return status;
  }
}

/** The job status whose first timestamp marks when a single-job application reached a state. */
export const JOB_STATUSES_OF_APPLICATION_STATUS: Readonly<Record<KnownApplicationStatus, readonly JobStatus[]>> = {
  CREATED: ['INITIALIZING', 'CREATED'],
  RUNNING: ['RUNNING'],
  FAILING: ['FAILING'],
  FAILED: ['FAILED'],
  CANCELING: ['CANCELLING'],
  CANCELED: ['CANCELED'],
  FINISHED: ['FINISHED'],
};

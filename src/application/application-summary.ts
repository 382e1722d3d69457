import type { ApplicationOverview } from '../schemas/applications.js';
import type { JobOverview } from '../schemas/jobs.js';
import type { ApplicationSummary } from './application-client.js';
import { applicationStateOfJobStatus } from './application-state.js';

/** An `/applications/overview` entry as `listApplications()` presents it. */
export function applicationSummaryOfOverview(a: ApplicationOverview): ApplicationSummary {
  return {
    applicationId: a.id,
    name: a.name,
    status: a.status,
    startTime: a['start-time'],
    endTime: a['end-time'] > 0 ? a['end-time'] : undefined,
    durationMs: a.duration,
    jobCounts: a.jobs,
    emulated: false,
  };
}

/** The single-job application of a job, as `listApplications()` presents it before Flink 2.3. */
export function applicationSummaryOfJob(j: JobOverview): ApplicationSummary {
  return {
    applicationId: j.jid,
    name: j.name,
    status: applicationStateOfJobStatus(j.state),
    startTime: j['start-time'],
    endTime: j['end-time'] > 0 ? j['end-time'] : undefined,
    durationMs: j.duration,
    jobCounts: { [j.state]: 1 },
    emulated: true,
  };
}

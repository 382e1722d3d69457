import { chain, internalServerError, throwableError } from '../java.js';
import type { JobModel } from '../job-model.js';
import type { ClusterModel } from '../model.js';
import { fail, type RouteResult } from '../route-kit.js';

/** Lookups and answers more than one resource uses. */

/** JSON object bodies. @internal */
export type Json = Record<string, unknown>;

/** Flink's `duration`: -1 before the start, else up to the end or now. @internal */
export function duration(start: number, end: number, now: number): number {
  if (start <= 0) return -1;
  return (end > 0 ? end : now) - start;
}

/** Newest first; jobs submitted in the same millisecond: the later submission first. @internal */
export function sortNewestFirst(jobs: Iterable<JobModel>): JobModel[] {
  return [...jobs].reverse().sort((a, b) => b.startTime - a.startTime);
}

/** The 404 of `/jobs/:id` and the routes reading a job's execution graph. @internal */
export function jobNotFound(jobId: string): RouteResult {
  return fail({
    status: 404,
    body: throwableError(
      chain(
        { className: 'org.apache.flink.runtime.rest.NotFoundException', message: `Job ${jobId} not found` },
        { className: 'org.apache.flink.runtime.messages.FlinkJobNotFoundException', message: `Could not find Flink job (${jobId})` },
      ),
    ),
  });
}

/** The 500 that routes asking the JobMaster directly give for an unknown job. @internal */
export function jobNotFound500(id: string): RouteResult {
  return fail({ status: 500, body: internalServerError({ className: 'org.apache.flink.runtime.messages.FlinkJobNotFoundException', message: `Could not find Flink job (${id})` }) });
}

/** The job of a validated `:jobid`, or the 404. @internal */
export function jobOf(model: ClusterModel, jobId: string): JobModel | RouteResult {
  return model.jobs.get(jobId) ?? jobNotFound(jobId);
}

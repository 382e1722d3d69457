import { badRequestBody, internalServerError, jsonParseCause, restHandlerError, typeMismatchCause } from '../java.js';
import type { JobModel } from '../job-model.js';
import type { ClusterModel } from '../model.js';
import { recordRequirementsUpdate } from '../rescale-history.js';
import { defineRoute, fail, isResult, ok, param, type Route, type RouteResult } from '../route-kit.js';
import { jobNotFound500, type Json } from './shared.js';

/**
 * A job's resource requirements (adaptive scheduler only): `GET` the per-vertex parallelism
 * bounds, `PUT` new ones (the job rescales). With the default scheduler both answer Flink's 500.
 */

/** `GET /jobs/:id/resource-requirements` (adaptive scheduler). @internal */
export function renderResourceRequirements(job: JobModel): Json {
  return Object.fromEntries(job.vertices.map((v) => {
    const req = job.requirements.get(v.id) ?? { lowerBound: 1, upperBound: v.parallelism };
    return [v.id, { parallelism: { lowerBound: req.lowerBound, upperBound: req.upperBound } }];
  }));
}

function defaultSchedulerUnsupported(): RouteResult {
  return fail({
    status: 500,
    body: internalServerError({
      className: 'java.lang.UnsupportedOperationException',
      message:
        'The DefaultScheduler does not support changing the parallelism without a job restart. This feature is currently only expected to work with the AdaptiveScheduler.',
      frames: [
        'org.apache.flink.runtime.scheduler.SchedulerNG.requestJobResourceRequirements(SchedulerNG.java:196)',
        'org.apache.flink.runtime.jobmaster.JobMaster.requestJobResourceRequirements(JobMaster.java:1032)',
        'java.base/java.util.concurrent.ForkJoinWorkerThread.run(ForkJoinWorkerThread.java:165)',
      ],
    }),
  });
}

function resourceRequirementsJob(model: ClusterModel, id: string): JobModel | RouteResult {
  const job = model.jobs.get(id);
  if (!job || job.isGloballyTerminal) return jobNotFound500(id);
  if (!job.adaptive) return defaultSchedulerUnsupported();
  return job;
}

function putResourceRequirements(model: ClusterModel, jobId: string, bodyText: string | undefined): RouteResult {
  const job = resourceRequirementsJob(model, jobId);
  if (isResult(job)) return job;
  let parsed: unknown;
  try {
    parsed = bodyText && bodyText.trim() !== '' ? JSON.parse(bodyText) : {};
  } catch {
    return fail({ status: 400, body: badRequestBody('JobResourceRequirementsBody', jsonParseCause(bodyText ?? '')) });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.keys(parsed).length === 0) {
    return fail({ status: 400, body: restHandlerError('Request body does not specify resource requirements.') });
  }
  const lines: string[] = [];
  const requested = new Map<string, { lowerBound: number; upperBound: number }>();
  for (const [vertexId, value] of Object.entries(parsed as Record<string, unknown>)) {
    const p = (value as { parallelism?: { lowerBound?: unknown; upperBound?: unknown } } | null)?.parallelism;
    const lower = Number(p?.lowerBound);
    const upper = Number(p?.upperBound);
    if (!job.vertices.some((v) => v.id === vertexId)) {
      lines.push(`Job vertex [${vertexId}] was not found in the JobGraph.`);
      continue;
    }
    if (!Number.isInteger(lower) || !Number.isInteger(upper) || lower < 1) {
      return fail({ status: 400, body: badRequestBody('JobResourceRequirementsBody', typeMismatchCause('int', 'org.apache.flink.runtime.rest.messages.job.JobResourceRequirementsBody', vertexId)) });
    }
    if (lower > upper) lines.push(`The requested lower bound [${lower}] for job vertex [${vertexId}] is higher than the upper bound [${upper}].`);
    requested.set(vertexId, { lowerBound: lower, upperBound: upper });
  }
  for (const v of job.vertices) if (!(v.id in (parsed as object))) lines.push(`The request is incomplete, missing job vertex [${v.id}] resource requirements.`);
  if (lines.length > 0) return fail({ status: 400, body: restHandlerError(lines.join('\n')) });
  for (const [id, req] of requested) job.requirements.set(id, req);
  recordRequirementsUpdate(model, job);
  job.scheduleRescale();
  return ok({});
}

// ---------------------------------------------------------------------------------------------
// Routes

/** The resource-requirements routes. @internal */
export const resourceRequirementRoutes: readonly Route[] = [
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/resource-requirements',
    params: { jobid: param.flinkId },
    handle: ({ model, params }) => {
      const job = resourceRequirementsJob(model, params.jobid);
      return isResult(job) ? job : ok(renderResourceRequirements(job));
    },
  }),
  // The body is a map keyed by vertex id, checked as a whole: read here, not by a BodySpec.
  defineRoute({
    method: 'PUT',
    path: '/jobs/:jobid/resource-requirements',
    params: { jobid: param.flinkId },
    handle: ({ model, params, bodyText }) => putResourceRequirements(model, params.jobid, bodyText),
  }),
];

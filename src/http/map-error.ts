import { ApplicationNotFoundError } from '../errors/application-not-found-error.js';
import { FlinkApiError, type FlinkApiErrorInit } from '../errors/flink-api-error.js';
import { FlinkAuthenticationError } from '../errors/flink-authentication-error.js';
import { FlinkBadRequestError } from '../errors/flink-bad-request-error.js';
import { FlinkConflictError } from '../errors/flink-conflict-error.js';
import { FlinkNotFoundError } from '../errors/flink-not-found-error.js';
import { FlinkServerError } from '../errors/flink-server-error.js';
import { JarNotFoundError } from '../errors/jar-not-found-error.js';
import { JobNotFoundError } from '../errors/job-not-found-error.js';
import { OperationNotFoundError } from '../errors/operation-not-found-error.js';
import { TaskManagerNotFoundError } from '../errors/task-manager-not-found-error.js';

/** What a request is about, so its failures can name it. */
export type ResourceRef =
  | { kind: 'job'; jobId: string; /** A part of the job (vertex, checkpoint, rescale): a 404 means the job only when its text says so. */ part?: boolean }
  | { kind: 'taskmanager'; taskManagerId: string }
  | { kind: 'application'; applicationId: string }
  | { kind: 'operation'; operation: string; triggerId: string; jobId?: string }
  | { kind: 'jar'; jarId: string };

/**
 * Flink answers a path it has no route for with 404 `Not found: <uri>` (non-GET) or `Unable to load
 * requested file <uri>` (GET, which falls through to the web UI's file handler). That is not "the job does
 * not exist" but "this cluster lacks the endpoint" (an older Flink), and must not be reported as a
 * missing job or application.
 */
export function isUnknownRoute(errors: readonly string[]): boolean {
  return errors.length === 1 && /^(Not found: \/|Unable to load requested file \/)/.test(errors[0] ?? '');
}

/**
 * Some of Flink's routes report a missing resource with 500 (or 400) rather than 404, naming it
 * only in the exception text: `GET /applications/:id` for an unknown application (2.3), the jar
 * routes for a jar that was deleted ("Jar file ... does not exist"), and actions that reach the
 * dispatcher for an unknown job. These patterns recognise those answers per resource kind.
 */
const NOT_FOUND_TEXT: Record<ResourceRef['kind'], RegExp | undefined> = {
  // Before 2.3 an application is emulated by its single job, so a missing job means a missing application.
  application: /FlinkApplicationNotFoundException|Could not find Flink application|FlinkJobNotFoundException|Could not find Flink job/,
  jar: /Jar file .{0,300} does not exist|File .{0,300} does not exist in /,
  job: /FlinkJobNotFoundException|Could not find Flink job/,
  operation: undefined,
  taskmanager: /UnknownTaskExecutorException|No TaskExecutor registered/,
};

function namesMissingResource(resource: ResourceRef, errors: readonly string[]): boolean {
  const pattern = NOT_FOUND_TEXT[resource.kind];
  return pattern !== undefined && errors.some((e) => pattern.test(e));
}

/** Turns an error response into the most specific error class for what the request was about. */
export function mapHttpError(init: FlinkApiErrorInit & { resource: ResourceRef | undefined }): FlinkApiError {
  const { resource, ...base } = init;
  const status = base.status;
  // A 404 without Flink's errors array is a proxy's or a wrong path prefix's, not Flink naming a resource.
  const partOnly = resource?.kind === 'job' && resource.part === true;
  const missing = resource !== undefined && ((status === 404 && base.errors.length > 0 && !isUnknownRoute(base.errors) && (!partOnly || namesMissingResource(resource, base.errors))) || ((status === 500 || status === 400) && namesMissingResource(resource, base.errors)));
  if (missing) {
    switch (resource.kind) {
      case 'job':
        return new JobNotFoundError({ ...base, jobId: resource.jobId });
      case 'application':
        return new ApplicationNotFoundError({ ...base, applicationId: resource.applicationId });
      case 'operation':
        return new OperationNotFoundError({ ...base, triggerId: resource.triggerId, operation: resource.operation, jobId: resource.jobId });
      case 'jar':
        return new JarNotFoundError({ ...base, jarId: resource.jarId });
      case 'taskmanager':
        return new TaskManagerNotFoundError({ ...base, taskManagerId: resource.taskManagerId });
    }
  }
  if (status === 400) return new FlinkBadRequestError(base);
  if (status === 401 || status === 403) return new FlinkAuthenticationError(base);
  if (status === 404) return new FlinkNotFoundError(base);
  if (status === 409) return new FlinkConflictError(base);
  if (status >= 500) return new FlinkServerError(base);
  return new FlinkApiError(base);
}

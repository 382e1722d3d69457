import { UnreachableStateError } from '../errors/unreachable-state-error.js';
import { OperationFailedError } from '../errors/operation-failed-error.js';
import { OperationLostError } from '../errors/operation-lost-error.js';
import { OperationNotFoundError } from '../errors/operation-not-found-error.js';
import type { RequestPipeline } from '../http/request-pipeline.js';
import { summarizeThrowable } from '../internal/throwable.js';
import type { RequestOptions } from '../options/request-options.js';
import { isGloballyTerminalJobStatus } from '../schemas/job-status.js';
import { JobStatusInfoSchema } from '../schemas/jobs.js';
import { AsynchronousOperationStatusSchema, CheckpointTriggerStatusSchema, SavepointStatusSchema } from '../schemas/operations.js';
import type { DualSchema } from '../schemas/schema-kit.js';
import type { OperationKind, OperationStatus } from './async-operation.js';
import type { OperationDriver, Retrigger } from './operation-handle.js';

const JOB_NOT_FOUND = /FlinkJobNotFoundException|Could not find Flink job/;

/** What a completed operation's payload says: its result, or its failure cause. */
type Outcome<T> = { result: T } | { failure: unknown };

/**
 * A driver that polls `path` for the operation's status: `{status: {id}, operation?}`. While the
 * status is not COMPLETED (Flink sends `"operation": null` meanwhile) the operation is in
 * progress; once it is, `outcome` reads the payload, whose field names differ per operation.
 */
function driver<B extends { status: { id: string } }, T>(init: {
  pipeline: RequestPipeline;
  kind: OperationKind;
  jobId: string | undefined;
  triggerId: string;
  path: string;
  schema: DualSchema<B>;
  outcome: (body: B) => Outcome<T>;
  retrigger: Retrigger<T> | undefined;
}): OperationDriver<T> {
  const { kind, jobId, triggerId } = init;
  // A trigger id the cluster forgets after it stopped answering for a while was lost with the
  // JobManager that held it, not mistyped: say so (OperationLostError), it changes what to do.
  const outagesAtStart = init.pipeline.outages;
  return {
    kind,
    jobId,
    triggerId,
    retrigger: init.retrigger,
    async poll(options: RequestOptions): Promise<OperationStatus<T>> {
      const body = await init.pipeline
        .request(
          {
            method: 'GET',
            path: init.path,
            schema: init.schema,
            alwaysValidate: true,
            resource: { kind: 'operation', operation: kind, triggerId, jobId },
          },
          options,
        )
        .catch((err: unknown) => {
          if (err instanceof OperationNotFoundError && !(err instanceof OperationLostError) && init.pipeline.outages > outagesAtStart) {
            throw new OperationLostError({ ...err, message: undefined, triggerId, operation: kind, jobId, cause: err });
          }
          throw err;
        });
      if (body.status.id !== 'COMPLETED') return { state: 'IN_PROGRESS' };
      const outcome = init.outcome(body);
      if ('result' in outcome) return { state: 'SUCCEEDED', result: outcome.result };
      const summary = summarizeThrowable(outcome.failure as Parameters<typeof summarizeThrowable>[0]);
      // Flink accepts a trigger for a job its dispatcher does not run (202) and reports the missing
      // job only here, in the operation's failure. That is either a job the cluster does not know
      // (JobNotFoundError) or one that already ended (it is still listed, just not running): one
      // status read tells which, so the error says what happened rather than "operation failed".
      if (jobId !== undefined && summary.stackTrace && JOB_NOT_FOUND.test(summary.stackTrace)) {
        const state = await init.pipeline
          .request({ method: 'GET', path: `/jobs/${jobId}/status`, schema: JobStatusInfoSchema, alwaysValidate: true, resource: { kind: 'job', jobId } }, options)
          .then((b) => b.status);
        if (isGloballyTerminalJobStatus(state)) {
          throw new UnreachableStateError({ resource: 'job', id: jobId, state, awaited: `${kind} ${triggerId}, which needs a running job` });
        }
      }
      return { state: 'FAILED', error: new OperationFailedError({ triggerId, operation: kind, jobId, ...summary }) };
    },
  };
}

/** Polls a savepoint or stop-with-savepoint operation; the result is the savepoint location. */
export function savepointDriver(pipeline: RequestPipeline, kind: 'savepoint' | 'stop', jobId: string, triggerId: string, retrigger?: Retrigger<string>): OperationDriver<string> {
  return driver({
    pipeline,
    retrigger,
    kind,
    jobId,
    triggerId,
    path: `/jobs/${jobId}/savepoints/${triggerId}`,
    schema: SavepointStatusSchema,
    outcome: ({ operation }): Outcome<string> =>
      typeof operation?.location === 'string' && !operation['failure-cause'] ? { result: operation.location } : { failure: operation?.['failure-cause'] },
  });
}

/** Polls a checkpoint operation; the result is the checkpoint id (its payload is camelCase). */
export function checkpointDriver(pipeline: RequestPipeline, jobId: string, triggerId: string, retrigger?: Retrigger<number>): OperationDriver<number> {
  return driver({
    pipeline,
    retrigger,
    kind: 'checkpoint',
    jobId,
    triggerId,
    path: `/jobs/${jobId}/checkpoints/${triggerId}`,
    schema: CheckpointTriggerStatusSchema,
    outcome: ({ operation }): Outcome<number> =>
      typeof operation?.checkpointId === 'number' && !operation.failureCause ? { result: operation.checkpointId } : { failure: operation?.failureCause },
  });
}

/** Polls a savepoint disposal; it succeeds unless the payload names a failure cause. */
export function disposalDriver(pipeline: RequestPipeline, triggerId: string): OperationDriver<void> {
  return driver({
    pipeline,
    retrigger: undefined,
    kind: 'savepoint-disposal',
    jobId: undefined,
    triggerId,
    path: `/savepoint-disposal/${triggerId}`,
    schema: AsynchronousOperationStatusSchema,
    outcome: ({ operation }): Outcome<void> => (operation?.['failure-cause'] ? { failure: operation['failure-cause'] } : { result: undefined }),
  });
}

/** Polls the deletion of a cluster data set; it succeeds unless the payload names a failure cause. */
export function dataSetDeletionDriver(pipeline: RequestPipeline, triggerId: string): OperationDriver<void> {
  return driver({
    pipeline,
    retrigger: undefined,
    kind: 'dataset-deletion',
    jobId: undefined,
    triggerId,
    path: `/datasets/delete/${triggerId}`,
    schema: AsynchronousOperationStatusSchema,
    outcome: ({ operation }): Outcome<void> => (operation?.['failure-cause'] ? { failure: operation['failure-cause'] } : { result: undefined }),
  });
}

import { OperationFailedError } from '../errors/operation-failed-error.js';
import type { RequestPipeline } from '../http/request-pipeline.js';
import { summarizeThrowable } from '../internal/throwable.js';
import type { RequestOptions } from '../options/request-options.js';
import { AsynchronousOperationStatusSchema, CheckpointTriggerStatusSchema, SavepointStatusSchema } from '../schemas/operations.js';
import type { DualSchema } from '../schemas/schema-kit.js';
import type { OperationKind, OperationStatus } from './async-operation.js';
import type { OperationDriver } from './operation-handle.js';

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
}): OperationDriver<T> {
  const { kind, jobId, triggerId } = init;
  return {
    kind,
    jobId,
    triggerId,
    async poll(options: RequestOptions): Promise<OperationStatus<T>> {
      const body = await init.pipeline.request(
        {
          method: 'GET',
          path: init.path,
          schema: init.schema,
          alwaysValidate: true,
          resource: { kind: 'operation', operation: kind, triggerId, jobId },
        },
        options,
      );
      if (body.status.id !== 'COMPLETED') return { state: 'IN_PROGRESS' };
      const outcome = init.outcome(body);
      if ('result' in outcome) return { state: 'SUCCEEDED', result: outcome.result };
      const summary = summarizeThrowable(outcome.failure as Parameters<typeof summarizeThrowable>[0]);
      return { state: 'FAILED', error: new OperationFailedError({ triggerId, operation: kind, jobId, ...summary }) };
    },
  };
}

/** Polls a savepoint or stop-with-savepoint operation; the result is the savepoint location. */
export function savepointDriver(pipeline: RequestPipeline, kind: 'savepoint' | 'stop', jobId: string, triggerId: string): OperationDriver<string> {
  return driver({
    pipeline,
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
export function checkpointDriver(pipeline: RequestPipeline, jobId: string, triggerId: string): OperationDriver<number> {
  return driver({
    pipeline,
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
    kind: 'savepoint-disposal',
    jobId: undefined,
    triggerId,
    path: `/savepoint-disposal/${triggerId}`,
    schema: AsynchronousOperationStatusSchema,
    outcome: ({ operation }): Outcome<void> => (operation?.['failure-cause'] ? { failure: operation['failure-cause'] } : { result: undefined }),
  });
}

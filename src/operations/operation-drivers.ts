import { OperationFailedError } from '../errors/operation-failed-error.js';
import type { ClientContext } from '../internal/client-context.js';
import { summarizeThrowable } from '../internal/throwable.js';
import type { RequestOptions } from '../options.js';
import { AsynchronousOperationStatusSchema, CheckpointTriggerStatusSchema, SavepointStatusSchema } from '../schemas/operations.js';
import type { OperationDriver, OperationKind, OperationStatus } from './async-operation.js';

function failed(kind: OperationKind, triggerId: string, jobId: string | undefined, cause: unknown): OperationStatus<never> {
  const summary = summarizeThrowable(cause as Parameters<typeof summarizeThrowable>[0]);
  return { state: 'FAILED', error: new OperationFailedError({ triggerId, operation: kind, jobId, ...summary }) };
}

/** Polls a savepoint or stop-with-savepoint operation; the result is the savepoint location. */
export function savepointDriver(kind: 'savepoint' | 'stop', jobId: string, triggerId: string): OperationDriver<string> {
  return {
    kind,
    jobId,
    triggerId,
    async poll(context: ClientContext, options: RequestOptions): Promise<OperationStatus<string>> {
      const body = await context.pipeline.request(
        {
          method: 'GET',
          path: `/jobs/${jobId}/savepoints/${triggerId}`,
          schema: SavepointStatusSchema,
          alwaysValidate: true,
          resource: { kind: 'operation', operation: kind, triggerId, jobId },
        },
        options,
      );
      if (body.status.id !== 'COMPLETED') return { state: 'IN_PROGRESS' };
      const op = body.operation;
      if (op?.['failure-cause'] || typeof op?.location !== 'string') return failed(kind, triggerId, jobId, op?.['failure-cause']);
      return { state: 'SUCCEEDED', result: op.location };
    },
  };
}

/** Polls a checkpoint operation; the result is the checkpoint id. */
export function checkpointDriver(jobId: string, triggerId: string): OperationDriver<number> {
  return {
    kind: 'checkpoint',
    jobId,
    triggerId,
    async poll(context: ClientContext, options: RequestOptions): Promise<OperationStatus<number>> {
      const body = await context.pipeline.request(
        {
          method: 'GET',
          path: `/jobs/${jobId}/checkpoints/${triggerId}`,
          schema: CheckpointTriggerStatusSchema,
          alwaysValidate: true,
          resource: { kind: 'operation', operation: 'checkpoint', triggerId, jobId },
        },
        options,
      );
      if (body.status.id !== 'COMPLETED') return { state: 'IN_PROGRESS' };
      const op = body.operation;
      if (op?.failureCause || typeof op?.checkpointId !== 'number') return failed('checkpoint', triggerId, jobId, op?.failureCause);
      return { state: 'SUCCEEDED', result: op.checkpointId };
    },
  };
}

/** Polls a savepoint disposal. */
export function disposalDriver(triggerId: string): OperationDriver<void> {
  return {
    kind: 'savepoint-disposal',
    jobId: undefined,
    triggerId,
    async poll(context: ClientContext, options: RequestOptions): Promise<OperationStatus<void>> {
      const body = await context.pipeline.request(
        {
          method: 'GET',
          path: `/savepoint-disposal/${triggerId}`,
          schema: AsynchronousOperationStatusSchema,
          alwaysValidate: true,
          resource: { kind: 'operation', operation: 'savepoint-disposal', triggerId },
        },
        options,
      );
      if (body.status.id !== 'COMPLETED') return { state: 'IN_PROGRESS' };
      const cause = body.operation?.['failure-cause'];
      if (cause) return failed('savepoint-disposal', triggerId, undefined, cause);
      return { state: 'SUCCEEDED', result: undefined };
    },
  };
}

import type { FlinkApiErrorInit } from './flink-api-error.js';
import { OperationNotFoundError } from './operation-not-found-error.js';

/**
 * Flink does not know the trigger id of an asynchronous operation that this client triggered (or
 * started to follow) before the cluster stopped answering for a while: the JobManager that ran it
 * died or lost its leadership (an HA failover, a restart), and the JobManager that answers now
 * starts with an empty operation cache. Whether the operation completed before that is unknown:
 * a savepoint may or may not have been written (its directory would lack `_metadata` if it was
 * cut short); a stop-with-savepoint may or may not have ended the job (under HA the job is
 * recovered from its last checkpoint if it had not).
 *
 * Triggering again **with the same trigger id** is the safe way on: a JobManager that does know
 * the id answers with that operation instead of starting a second one, and one that does not
 * starts it afresh. Wait for the job to run first (`job.ready()`).
 *
 * It is an {@link OperationNotFoundError} (`instanceof` holds), with its own code
 * `FLINK_OPERATION_LOST`.
 *
 * @example
 * ```ts
 * try {
 *   return await op.result();
 * } catch (err) {
 *   if (!(err instanceof OperationLostError)) throw err;
 *   await job.ready();
 *   return (await job.triggerSavepoint({ targetDirectory, triggerId: err.triggerId })).result();
 * }
 * ```
 */
export class OperationLostError extends OperationNotFoundError {
  static override readonly kind: string = 'OperationLostError';
  constructor(init: FlinkApiErrorInit & { triggerId: string; operation: string; jobId?: string }) {
    super(
      {
        ...init,
        message:
          init.message ??
          `${init.method} ${init.path} → ${init.status}: ${init.operation} operation ${init.triggerId} was lost: ` +
            'the cluster stopped answering after it was triggered (a JobManager failover or restart) and the JobManager answering now does not know it; ' +
            'trigger it again with the same triggerId once the job runs',
      },
      'FLINK_OPERATION_LOST',
    );
  }
}

import type { FlinkApiErrorInit } from './flink-api-error.js';
import type { FlinkErrorCode } from './flink-error-code.js';
import { FlinkNotFoundError } from './flink-not-found-error.js';

/**
 * Flink does not know the trigger id of an asynchronous operation (savepoint, stop, checkpoint,
 * savepoint disposal). Either it was never triggered on this cluster, or it completed more than
 * `rest.async.store-duration` ago (default 5 minutes) and its result expired, or the JobManager
 * restarted and lost it.
 */
export class OperationNotFoundError extends FlinkNotFoundError {
  static override readonly kind: string = 'OperationNotFoundError';
  /** The trigger id that was polled. */
  readonly triggerId: string;
  /** The kind of operation: `savepoint`, `stop`, `checkpoint` or `savepoint-disposal`. */
  readonly operation: string;
  /** The job the operation belongs to, when it belongs to one. */
  readonly jobId: string | undefined;
  constructor(init: FlinkApiErrorInit & { triggerId: string; operation: string; jobId?: string }, code: FlinkErrorCode = 'FLINK_OPERATION_NOT_FOUND') {
    super(
      {
        ...init,
        message:
          init.message ??
          `${init.method} ${init.path} → ${init.status}: ${init.operation} operation ${init.triggerId} not found; ` +
            'Flink keeps operation results only for rest.async.store-duration (default 5 min) after they complete',
      },
      code,
    );
    this.triggerId = init.triggerId;
    this.operation = init.operation;
    this.jobId = init.jobId;
  }
}

import { FlinkError } from './flink-error.js';

/**
 * An asynchronous operation (savepoint, stop-with-savepoint, checkpoint, savepoint disposal)
 * completed with a failure cause.
 */
export class OperationFailedError extends FlinkError {
  static override readonly kind: string = 'OperationFailedError';
  /** The trigger id. */
  readonly triggerId: string;
  /** The kind of operation. */
  readonly operation: string;
  /** The job it belonged to, if any. */
  readonly jobId: string | undefined;
  /** The first line of the failure cause. */
  readonly rootCause: string | undefined;
  /** The Java class of the failure cause. */
  readonly exceptionClass: string | undefined;
  /** The server-side stack trace. */
  readonly stackTrace: string | undefined;
  constructor(init: { triggerId: string; operation: string; jobId?: string; rootCause?: string; exceptionClass?: string; stackTrace?: string }) {
    super(
      `${init.operation} ${init.triggerId}${init.jobId ? ` of job ${init.jobId}` : ''} failed${init.rootCause ? `: ${init.rootCause}` : ''}`,
      'FLINK_OPERATION_FAILED',
    );
    this.triggerId = init.triggerId;
    this.operation = init.operation;
    this.jobId = init.jobId;
    this.rootCause = init.rootCause;
    this.exceptionClass = init.exceptionClass;
    this.stackTrace = init.stackTrace;
  }
}

import { FlinkError } from './flink-error.js';
import { causeSuffix, type FailureCause } from './failure-cause.js';
import type { JavaException } from './java-exception.js';

/**
 * An asynchronous operation (savepoint, stop-with-savepoint, checkpoint, savepoint disposal)
 * completed with a failure cause. The message names the root cause (the innermost exception, not
 * the `CompletionException` Flink wraps it in); `rootCause` carries its class and message.
 */
export class OperationFailedError extends FlinkError {
  static override readonly kind: string = 'OperationFailedError';
  /** The trigger id. */
  readonly triggerId: string;
  /** The kind of operation. */
  readonly operation: string;
  /** The job it belonged to, if any. */
  readonly jobId: string | undefined;
  /** The innermost exception of the failure: class and message. */
  readonly rootCause: JavaException | undefined;
  /** The server-side stack trace. */
  readonly stackTrace: string | undefined;
  constructor(init: { triggerId: string; operation: string; jobId?: string } & FailureCause) {
    super(`${init.operation} ${init.triggerId}${init.jobId ? ` of job ${init.jobId}` : ''} failed${causeSuffix(init.rootCause)}`, 'FLINK_OPERATION_FAILED');
    this.triggerId = init.triggerId;
    this.operation = init.operation;
    this.jobId = init.jobId;
    this.rootCause = init.rootCause;
    this.stackTrace = init.stackTrace;
  }

  /** The Java class of the root cause. */
  get exceptionClass(): string | undefined {
    return this.rootCause?.className;
  }
}

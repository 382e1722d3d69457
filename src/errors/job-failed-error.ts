import { FlinkError } from './flink-error.js';
import { causeSuffix, type FailureCause } from './failure-cause.js';
import type { JavaException } from './java-exception.js';

/**
 * A job ended without success: `result()` saw it FAILED or CANCELED.
 *
 * The message names the root cause (the innermost exception Flink reported, such as
 * `java.lang.IllegalStateException: boom`); `rootCause` carries its class and message, and
 * `stackTrace` the whole server-side trace. Flink's Java-serialized exception bytes are never
 * deserialized.
 */
export class JobFailedError extends FlinkError {
  static override readonly kind: string = 'JobFailedError';
  /** The job id. */
  readonly jobId: string;
  /** The terminal status: `FAILED` or `CANCELED` (or `UNKNOWN` when Flink could not tell). */
  readonly status: string;
  /** The innermost exception Flink reported: class and message. */
  readonly rootCause: JavaException | undefined;
  /** The server-side stack trace of the failure cause. */
  readonly stackTrace: string | undefined;
  constructor(init: { jobId: string; status: string } & FailureCause) {
    super(`job ${init.jobId} ${init.status === 'CANCELED' ? 'was canceled' : `ended ${init.status}`}${causeSuffix(init.rootCause)}`, 'FLINK_JOB_FAILED');
    this.jobId = init.jobId;
    this.status = init.status;
    this.rootCause = init.rootCause;
    this.stackTrace = init.stackTrace;
  }

  /** The Java class of the root cause. */
  get exceptionClass(): string | undefined {
    return this.rootCause?.className;
  }
}

import { FlinkError } from './flink-error.js';

/**
 * A job ended without success: `result()` saw it FAILED or CANCELED.
 *
 * `rootCause` is the first line of the failure Flink reported (exception class and message) and
 * `stackTrace` the whole server-side trace. Flink's Java-serialized exception bytes are never
 * deserialized.
 */
export class JobFailedError extends FlinkError {
  static override readonly kind: string = 'JobFailedError';
  /** The job id. */
  readonly jobId: string;
  /** The terminal status: `FAILED` or `CANCELED` (or `UNKNOWN` when Flink could not tell). */
  readonly status: string;
  /** The first line of the failure cause, e.g. `java.lang.IllegalStateException: boom`. */
  readonly rootCause: string | undefined;
  /** The Java class of the failure cause. */
  readonly exceptionClass: string | undefined;
  /** The server-side stack trace of the failure cause. */
  readonly stackTrace: string | undefined;
  constructor(init: { jobId: string; status: string; rootCause?: string; exceptionClass?: string; stackTrace?: string }) {
    super(
      `job ${init.jobId} ${init.status === 'CANCELED' ? 'was canceled' : `ended ${init.status}`}${init.rootCause ? `: ${init.rootCause}` : ''}`,
      'FLINK_JOB_FAILED',
    );
    this.jobId = init.jobId;
    this.status = init.status;
    this.rootCause = init.rootCause;
    this.exceptionClass = init.exceptionClass;
    this.stackTrace = init.stackTrace;
  }
}

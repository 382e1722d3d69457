import { FlinkError } from './flink-error.js';
import { causeSuffix, type FailureCause } from './failure-cause.js';
import type { JavaException } from './java-exception.js';

/**
 * An application ended without success: `result()` saw it FAILED or CANCELED. `rootCause` is the
 * innermost exception of the most recent entry of the application's exception history (a failure
 * of `main()` itself, or of one of its jobs), when Flink reported one; the message names it.
 */
export class ApplicationFailedError extends FlinkError {
  static override readonly kind: string = 'ApplicationFailedError';
  /** The application id. */
  readonly applicationId: string;
  /** The terminal status: `FAILED` or `CANCELED`. */
  readonly status: string;
  /** The innermost exception of the reported failure: class and message. */
  readonly rootCause: JavaException | undefined;
  /** The full stack trace of the reported exception. */
  readonly stackTrace: string | undefined;
  constructor(init: { applicationId: string; status: string } & FailureCause) {
    super(`application ${init.applicationId} ${init.status === 'CANCELED' ? 'was canceled' : `ended ${init.status}`}${causeSuffix(init.rootCause)}`, 'FLINK_APPLICATION_FAILED');
    this.applicationId = init.applicationId;
    this.status = init.status;
    this.rootCause = init.rootCause;
    this.stackTrace = init.stackTrace;
  }
}

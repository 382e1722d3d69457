import { FlinkError } from './flink-error.js';

/**
 * An application ended without success: `result()` saw it FAILED or CANCELED. `exception` holds
 * the first line of the most recent entry of the application's exception history (a failure of
 * `main()` itself, or of one of its jobs), when Flink reported one.
 */
export class ApplicationFailedError extends FlinkError {
  static override readonly kind: string = 'ApplicationFailedError';
  /** The application id. */
  readonly applicationId: string;
  /** The terminal state: `FAILED` or `CANCELED`. */
  readonly status: string;
  /** The first line of the reported exception. */
  readonly exception: string | undefined;
  /** The full stack trace of the reported exception. */
  readonly stackTrace: string | undefined;
  constructor(init: { applicationId: string; status: string; exception?: string; stackTrace?: string }) {
    super(
      `application ${init.applicationId} ${init.status === 'CANCELED' ? 'was canceled' : `ended ${init.status}`}${init.exception ? `: ${init.exception}` : ''}`,
      'FLINK_APPLICATION_FAILED',
    );
    this.applicationId = init.applicationId;
    this.status = init.status;
    this.exception = init.exception;
    this.stackTrace = init.stackTrace;
  }
}

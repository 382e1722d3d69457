import { FlinkError } from 'flink-client';

/**
 * The CLI's exit codes (documented in the README and `flink-client --help`): scripts switch on
 * them, so they never change meaning.
 */
export const EXIT = {
  OK: 0,
  /** Any other failure: a server error, an invalid response. */
  ERROR: 1,
  /** Bad flags or arguments (also an id that is not a valid Flink id). */
  USAGE: 2,
  /** The job, application, jar, operation or savepoint does not exist. */
  NOT_FOUND: 3,
  /** The request conflicts with the resource's state (HTTP 409, a job that already ended). */
  CONFLICT: 4,
  /** A request or a wait ran past its deadline. */
  TIMEOUT: 5,
  /** The cluster could not be reached. */
  CONNECTION: 6,
  /** Credentials were missing or refused (HTTP 401/403). */
  AUTH: 7,
  /** The job, application or operation waited on failed. */
  FAILED: 8,
  /** Interrupted by Ctrl-C (128 + SIGINT). */
  INTERRUPTED: 130,
} as const;

/** The exit code that tells a script what kind of failure `error` is. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (!(error instanceof FlinkError)) return EXIT.ERROR;
  switch (error.code) {
    case 'FLINK_INVALID_ARGUMENT':
    case 'FLINK_UNSUPPORTED_FEATURE':
      return EXIT.USAGE;
    case 'FLINK_NOT_FOUND':
    case 'FLINK_JOB_NOT_FOUND':
    case 'FLINK_APPLICATION_NOT_FOUND':
    case 'FLINK_OPERATION_NOT_FOUND':
    case 'FLINK_OPERATION_LOST':
    case 'FLINK_JAR_NOT_FOUND':
      return EXIT.NOT_FOUND;
    case 'FLINK_CONFLICT':
    case 'FLINK_UNREACHABLE_STATE':
      return EXIT.CONFLICT;
    case 'FLINK_TIMEOUT':
      return EXIT.TIMEOUT;
    case 'FLINK_CONNECTION_ERROR':
      return EXIT.CONNECTION;
    case 'FLINK_AUTHENTICATION':
    case 'FLINK_AUTH_PROVIDER_FAILED':
      return EXIT.AUTH;
    case 'FLINK_JOB_FAILED':
    case 'FLINK_APPLICATION_FAILED':
    case 'FLINK_OPERATION_FAILED':
      return EXIT.FAILED;
    case 'FLINK_ABORTED':
      return EXIT.INTERRUPTED;
    default:
      return EXIT.ERROR;
  }
}

/** A mistake in how the CLI was called: exit code 2, the message and a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

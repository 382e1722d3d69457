import { errorCategory, type FlinkErrorCategory } from 'flink-client';

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

/**
 * The exit code of each of the SDK's error categories (`errorCategory()`): the CLI keeps no list
 * of error codes of its own, so a code the SDK adds lands in its category's exit code.
 */
export const EXIT_BY_CATEGORY: Readonly<Record<FlinkErrorCategory, number>> = Object.freeze({
  usage: EXIT.USAGE,
  unsupported: EXIT.USAGE,
  rejected: EXIT.ERROR,
  authentication: EXIT.AUTH,
  'not-found': EXIT.NOT_FOUND,
  conflict: EXIT.CONFLICT,
  timeout: EXIT.TIMEOUT,
  connection: EXIT.CONNECTION,
  aborted: EXIT.INTERRUPTED,
  failed: EXIT.FAILED,
  server: EXIT.ERROR,
  'invalid-response': EXIT.ERROR,
  deployment: EXIT.ERROR,
  other: EXIT.ERROR,
});

/** The exit code that tells a script what kind of failure `error` is. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.USAGE;
  const category = errorCategory(error);
  return category === undefined ? EXIT.ERROR : EXIT_BY_CATEGORY[category];
}

/** A mistake in how the CLI was called: exit code 2, the message and a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

import { FlinkApiError } from '../errors/flink-api-error.js';
import { FlinkConnectionError } from '../errors/flink-connection-error.js';
import { FlinkError } from '../errors/flink-error.js';
import { FlinkServerError } from '../errors/flink-server-error.js';
import { FlinkTimeoutError } from '../errors/flink-timeout-error.js';
import { FlinkValidationError } from '../errors/flink-validation-error.js';

/**
 * Whether a failed watch poll is worth repeating. A watcher lives for hours or days, so it rides
 * out more than a wait does: every 5xx (a JobManager restarting or overloaded answers 500 too),
 * 408 and 429, and a body that is not JSON at all (a proxy's error page, a cut connection). What
 * stays fatal would fail the same way on every poll: credentials refused, a wrong URL or path
 * prefix (400/404 on the overview route), a JSON body the schema rejects, a closed client, and
 * anything that is not a flink-client error (a bug).
 */
export function isTransientWatchError(error: unknown): boolean {
  if (error instanceof FlinkConnectionError || error instanceof FlinkServerError) return true;
  if (error instanceof FlinkTimeoutError) return error.phase === 'attempt';
  if (error instanceof FlinkApiError) return error.status === 408 || error.status === 429;
  if (error instanceof FlinkValidationError) return error.issues.length === 1 && error.issues[0]?.message === 'response is not JSON';
  // A bearer token provider that failed once (its identity service blipped) may succeed next time.
  return error instanceof FlinkError && error.code === 'FLINK_AUTH_PROVIDER_FAILED';
}

/** A flink-client error for whatever a poll threw (a non-Flink error is a bug: keep it as the cause). */
export function asFlinkError(error: unknown): FlinkError {
  return error instanceof FlinkError ? error : new FlinkError(`watch failed: ${error instanceof Error ? error.message : String(error)}`, 'FLINK_WATCH_FAILED', { cause: error });
}

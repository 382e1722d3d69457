import { FlinkError } from '../errors/flink-error.js';
import { transience } from '../http/transient.js';

/**
 * Whether a failed watch poll is worth repeating: every failure that is not permanent by the
 * SDK's one definition (`http/transient.ts`). A watcher lives for hours or days, so unlike a wait
 * it also rides out the suspect ones (a 500 from a JobManager that is restarting, a proxy's error
 * page instead of JSON), backing off as they repeat. What stays fatal would fail the same way on
 * every poll: credentials refused, a wrong URL or path prefix (400/404 on the overview route), a
 * JSON body the schema rejects, a closed client, and anything that is not a flink-client error (a
 * bug).
 */
export function isTransientWatchError(error: unknown): boolean {
  return transience(error) !== 'permanent';
}

/** A flink-client error for whatever a poll threw (a non-Flink error is a bug: keep it as the cause). */
export function asFlinkError(error: unknown): FlinkError {
  return error instanceof FlinkError ? error : new FlinkError(`watch failed: ${error instanceof Error ? error.message : String(error)}`, 'FLINK_WATCH_FAILED', { cause: error });
}

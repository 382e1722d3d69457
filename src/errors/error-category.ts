import type { FlinkErrorCode } from './flink-error-code.js';

/**
 * Every category an error code belongs to: a coarse, stable answer to "what kind of failure is
 * this?" for callers that map errors to outcomes (exit codes, HTTP statuses, retry decisions)
 * without listing codes. A new code joins an existing category; a category is never renamed.
 *
 * - `usage`: the call was wrong (an invalid argument, a closed client, an upload stream used twice)
 * - `unsupported`: the cluster cannot do this (its version lacks it, it is disabled, an archive is read-only)
 * - `rejected`: the server refused the request (HTTP 400, or another 4xx without a category of its own)
 * - `authentication`: credentials missing or refused (HTTP 401/403), or the auth provider failed
 * - `not-found`: the job, application, jar, operation, TaskManager or log file does not exist
 * - `conflict`: the request conflicts with the resource's state (HTTP 409, or the job ended before the awaited state)
 * - `timeout`: a request or a wait ran past its deadline
 * - `connection`: the server could not be reached
 * - `aborted`: the caller's signal stopped the call
 * - `failed`: what was waited on failed (a job, an application, an operation, a SQL statement)
 * - `server`: the server failed (HTTP 5xx)
 * - `invalid-response`: the answer was not what Flink sends (invalid, too large)
 * - `deployment`: deploying a local cluster or gateway failed (no Flink home or Java, a port in use, the process exited)
 * - `other`: anything else
 */
export const FLINK_ERROR_CATEGORIES = [
  'usage',
  'unsupported',
  'rejected',
  'authentication',
  'not-found',
  'conflict',
  'timeout',
  'connection',
  'aborted',
  'failed',
  'server',
  'invalid-response',
  'deployment',
  'other',
] as const;

/** A category of error codes: one of {@link FLINK_ERROR_CATEGORIES}. */
export type FlinkErrorCategory = (typeof FLINK_ERROR_CATEGORIES)[number];

/**
 * The category of every stable error code. Typed as a record over all codes, so a code added
 * without a category fails to compile.
 */
export const FLINK_ERROR_CODE_CATEGORIES: Readonly<Record<FlinkErrorCode, FlinkErrorCategory>> = Object.freeze({
  FLINK_ERROR: 'other',
  FLINK_INVALID_ARGUMENT: 'usage',
  FLINK_CLIENT_CLOSED: 'usage',
  FLINK_ABORTED: 'aborted',
  FLINK_TIMEOUT: 'timeout',
  FLINK_UNSUPPORTED_FEATURE: 'unsupported',
  FLINK_FEATURE_DISABLED: 'unsupported',
  FLINK_ARCHIVE_READ_ONLY: 'unsupported',
  FLINK_LOG_FILE_NOT_FOUND: 'not-found',
  FLINK_UPLOAD_STREAM_CONSUMED: 'usage',
  FLINK_AUTH_PROVIDER_FAILED: 'authentication',
  FLINK_WATCH_FAILED: 'other',
  FLINK_CONNECTION_ERROR: 'connection',
  FLINK_VALIDATION_ERROR: 'invalid-response',
  FLINK_RESPONSE_TOO_LARGE: 'invalid-response',
  FLINK_API_ERROR: 'rejected',
  FLINK_BAD_REQUEST: 'rejected',
  FLINK_AUTHENTICATION: 'authentication',
  FLINK_NOT_FOUND: 'not-found',
  FLINK_JOB_NOT_FOUND: 'not-found',
  FLINK_TASK_MANAGER_NOT_FOUND: 'not-found',
  FLINK_APPLICATION_NOT_FOUND: 'not-found',
  FLINK_OPERATION_NOT_FOUND: 'not-found',
  // The new leader forgot the trigger id after a failover: re-trigger with the same id (safe).
  FLINK_OPERATION_LOST: 'not-found',
  FLINK_JAR_NOT_FOUND: 'not-found',
  FLINK_CONFLICT: 'conflict',
  FLINK_SERVER_ERROR: 'server',
  FLINK_JOB_FAILED: 'failed',
  FLINK_APPLICATION_FAILED: 'failed',
  FLINK_OPERATION_FAILED: 'failed',
  FLINK_UNREACHABLE_STATE: 'conflict',
  FLINK_SQL_STATEMENT_FAILED: 'failed',
  FLINK_CLUSTER_NOT_DEPLOYED: 'deployment',
  FLINK_HOME_NOT_FOUND: 'deployment',
  JAVA_NOT_FOUND: 'deployment',
  PORT_IN_USE: 'deployment',
  PROCESS_EXITED: 'deployment',
  STARTUP_TIMEOUT: 'timeout',
  TLS_SETUP_FAILED: 'deployment',
});

/**
 * The category of an error: of its code for a flink-client error (see
 * {@link FLINK_ERROR_CODE_CATEGORIES}), `undefined` for anything else. Reads `code` rather than
 * the class, so it works across two loaded copies of the package and for errors that crossed a
 * process boundary as plain `{ code }` objects. A code this version does not know is `other`.
 *
 * @example
 * ```ts
 * try {
 *   await cluster.job(jobId).cancel();
 * } catch (err) {
 *   switch (errorCategory(err)) {
 *     case 'not-found': return 'gone already';
 *     case 'timeout':
 *     case 'connection': return 'try again later';
 *     default: throw err;
 *   }
 * }
 * ```
 */
export function errorCategory(error: unknown): FlinkErrorCategory | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !(code.startsWith('FLINK_') || Object.hasOwn(FLINK_ERROR_CODE_CATEGORIES, code))) return undefined;
  return Object.hasOwn(FLINK_ERROR_CODE_CATEGORIES, code) ? FLINK_ERROR_CODE_CATEGORIES[code as FlinkErrorCode] : 'other';
}

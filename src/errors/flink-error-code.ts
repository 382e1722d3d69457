/**
 * Every `code` a flink-client error can carry. Switch on these rather than on messages: they are
 * stable across releases (a new one may be added; none is renamed).
 */
export const FLINK_ERROR_CODES = [
  // Generic and client-side
  'FLINK_ERROR',
  'FLINK_INVALID_ARGUMENT',
  'FLINK_CLIENT_CLOSED',
  'FLINK_ABORTED',
  'FLINK_TIMEOUT',
  'FLINK_UNSUPPORTED_FEATURE',
  'FLINK_FEATURE_DISABLED',
  'FLINK_ARCHIVE_READ_ONLY',
  'FLINK_LOG_FILE_NOT_FOUND',
  'FLINK_UPLOAD_STREAM_CONSUMED',
  'FLINK_AUTH_PROVIDER_FAILED',
  'FLINK_WATCH_FAILED',
  // Transport and responses
  'FLINK_CONNECTION_ERROR',
  'FLINK_VALIDATION_ERROR',
  'FLINK_RESPONSE_TOO_LARGE',
  // HTTP statuses
  'FLINK_API_ERROR',
  'FLINK_BAD_REQUEST',
  'FLINK_AUTHENTICATION',
  'FLINK_NOT_FOUND',
  'FLINK_JOB_NOT_FOUND',
  'FLINK_TASK_MANAGER_NOT_FOUND',
  'FLINK_APPLICATION_NOT_FOUND',
  'FLINK_OPERATION_NOT_FOUND',
  'FLINK_OPERATION_LOST',
  'FLINK_JAR_NOT_FOUND',
  'FLINK_CONFLICT',
  'FLINK_SERVER_ERROR',
  // Outcomes of waits
  'FLINK_JOB_FAILED',
  'FLINK_APPLICATION_FAILED',
  'FLINK_OPERATION_FAILED',
  'FLINK_UNREACHABLE_STATE',
  // SQL Gateway
  'FLINK_SQL_STATEMENT_FAILED',
  // Deploying local clusters
  'FLINK_CLUSTER_NOT_DEPLOYED',
  'FLINK_HOME_NOT_FOUND',
  'JAVA_NOT_FOUND',
  'PORT_IN_USE',
  'PROCESS_EXITED',
  'STARTUP_TIMEOUT',
  'TLS_SETUP_FAILED',
] as const;

/** A stable error code: one of {@link FLINK_ERROR_CODES}. */
export type FlinkErrorCode = (typeof FLINK_ERROR_CODES)[number];

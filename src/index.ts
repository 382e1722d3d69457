/**
 * flink-client: a typed, validated client for Apache Flink's REST API.
 *
 * Layers, from where a cluster is to one job:
 * `ClusterDescriptor` (RestClusterDescriptor, LocalClusterDescriptor) → `ClusterClient` →
 * `ApplicationClient` → `JobClient` → `AsyncOperation`; `cluster.watch()`, `job.watch()` and `application.watch()`
 * follow status changes of any number of jobs with one request per interval.
 *
 * @example
 * ```ts
 * import { RestClusterDescriptor } from 'flink-client';
 *
 * const cluster = await new RestClusterDescriptor({ url: 'http://localhost:8081' }).retrieve();
 * const { jarId } = await cluster.uploadJar('./job.jar');
 * const job = await cluster.runJar(jarId, { parallelism: 2 });
 * await job.waitFor('RUNNING');
 * const savepoint = await (await job.stopWithSavepoint()).result();
 * await cluster.close();
 * ```
 * @packageDocumentation
 */

// Cluster layer
export type { ClusterDescriptor, RetrieveOptions } from './cluster/cluster-descriptor.js';
export { RestClusterDescriptor } from './cluster/rest-cluster-descriptor.js';
export { type LocalApplicationOptions, LocalClusterDescriptor, type LocalClusterOptions, type LocalJobManager, type LocalProcess, type LocalTlsOptions } from './cluster/local-cluster-descriptor.js';
export type { LocalTlsMaterial } from './cluster/local-tls.js';
export {
  type ClaimMode,
  ClusterClient,
  type JarProgramParams,
  type RunApplicationParams,
  type RunJarParams,
  type UploadedJar,
  type UploadJarOptions,
  type ClusterRequest,
  type AggregatedMetricsParams,
} from './cluster/cluster-client.js';
export type { UploadProgress } from './http/multipart.js';
export type { HttpMethod } from './http/request-pipeline.js';

// Handles (cheap, no I/O when created; their types are interfaces)
export type { ApplicationClient, JobClient } from './context/handles.js';
export type { JobManagerClient, LogFile, LogReadOptions, ProcessDiagnostics, TaskManagerClient } from './context/manager-types.js';
export type { FlameGraphParams, JobVertexMetrics, SubtaskMetricsParams, SubtaskWatermark, VertexClient, VertexMetricsParams } from './context/vertex-types.js';
export type { ApplicationDescription, ApplicationStatusTarget } from './context/application-types.js';
export type {
  JobResult,
  JobStatusTarget,
  RescaleTarget,
  SavepointFormat,
  StopWithSavepointParams,
  TriggerCheckpointParams,
  TriggerSavepointParams,
} from './context/job-types.js';

// Applications (FLIP-549, Flink 2.3; emulated on older clusters)
export { applicationStatusOfJobStatus } from './schemas/application-status.js';
export type { ApplicationSummary } from './schemas/application-summary.js';
export {
  type ApplicationStatus,
  isTerminalApplicationStatus,
  KNOWN_APPLICATION_STATUSES,
  type KnownApplicationStatus,
  type TerminalApplicationStatus,
} from './schemas/applications.js';
export type { ApplicationExceptionInfo, ApplicationExceptions } from './schemas/applications.js';

// Long-running operations
export type { AsyncOperation, OperationKind, OperationStatus } from './operations/async-operation.js';
export type { StateTarget } from './operations/wait-for-state.js';

// Watching jobs and applications
export type { ClusterWatcher } from './watch/cluster-watcher.js';
export type {
  ApplicationChange,
  ApplicationWatchOptions,
  ClusterWatcherEvents,
  ClusterWatchOptions,
  JobChange,
  JobWatchOptions,
  WatchChange,
  WatchChanges,
  WatchChangeType,
  WatchErrorEvent,
  WatchEvent,
  WatchOptionsBase,
  WatchPollerInfo,
} from './watch/watch-types.js';

// Options and events
export { HistoryServerClient, type HistoryServerClientOptions } from './history/history-server-client.js';
export type { AuthOptions, ClusterClientOptions, Logger, RetryOptions, TlsOptions, TokenSource, ValidationMode } from './options/client-options.js';
export type { RequestOptions, WaitOptions, WaitProgress } from './options/request-options.js';
export type { ClusterClientEvents, FailureEvent, RequestEvent, ResponseEvent, RetryEvent } from './events.js';

// Errors
export { FlinkError, type FlinkErrorOptions } from './errors/flink-error.js';
export { FLINK_ERROR_CODES, type FlinkErrorCode } from './errors/flink-error-code.js';
export { isFlinkError } from './errors/is-flink-error.js';
export { errorCategory, FLINK_ERROR_CATEGORIES, FLINK_ERROR_CODE_CATEGORIES, type FlinkErrorCategory } from './errors/error-category.js';
export type { JavaException } from './errors/java-exception.js';
export type { FailureCause } from './errors/failure-cause.js';
export { FlinkApiError, type FlinkApiErrorInit } from './errors/flink-api-error.js';
export { FlinkBadRequestError } from './errors/flink-bad-request-error.js';
export { FlinkAuthenticationError } from './errors/flink-authentication-error.js';
export { FlinkNotFoundError } from './errors/flink-not-found-error.js';
export { JobNotFoundError } from './errors/job-not-found-error.js';
export { ApplicationNotFoundError } from './errors/application-not-found-error.js';
export { OperationNotFoundError } from './errors/operation-not-found-error.js';
export { OperationLostError } from './errors/operation-lost-error.js';
export { JarNotFoundError } from './errors/jar-not-found-error.js';
export { TaskManagerNotFoundError } from './errors/task-manager-not-found-error.js';
export { FeatureDisabledError } from './errors/feature-disabled-error.js';
export { ArchiveReadOnlyError } from './errors/archive-read-only-error.js';
export { FlinkConflictError } from './errors/flink-conflict-error.js';
export { FlinkServerError } from './errors/flink-server-error.js';
export { FlinkConnectionError, type FlinkConnectionErrorInit } from './errors/flink-connection-error.js';
export { FlinkTimeoutError } from './errors/flink-timeout-error.js';
export { FlinkAbortError } from './errors/flink-abort-error.js';
export { FlinkValidationError, type ValidationIssue } from './errors/flink-validation-error.js';
export { FlinkResponseTooLargeError } from './errors/flink-response-too-large-error.js';
export { FlinkArgumentError } from './errors/flink-argument-error.js';
export { UnsupportedFeatureError } from './errors/unsupported-feature-error.js';
export { JobFailedError } from './errors/job-failed-error.js';
export { ApplicationFailedError } from './errors/application-failed-error.js';
export { OperationFailedError } from './errors/operation-failed-error.js';
export { UnreachableStateError } from './errors/unreachable-state-error.js';
export { ApplicationStuckError } from './errors/application-stuck-error.js';
export { ClusterDeploymentError, type DeploymentFailure } from './errors/cluster-deployment-error.js';

// Response types (Flink's wire names)
export {
  type GloballyTerminalJobStatus,
  isGloballyTerminalJobStatus,
  type JobStatus,
  KNOWN_JOB_STATUSES,
  type KnownJobStatus,
} from './schemas/job-status.js';
export type { FlinkDouble, OpaqueJsonObject } from './schemas/common.js';
export type {
  ClusterOverview,
  ConfigEntries,
  ConfigEntry,
  DashboardConfig,
  ResourceProfile,
  TaskManagerHardware,
  TaskManagerInfo,
  TaskManagerMemoryConfiguration,
  TaskManagers,
} from './schemas/cluster.js';
export {
  type ExecutionExceptionInfo,
  type ExecutionState,
  type IOMetrics,
  type JobAccumulators,
  type JobConfig,
  type JobDetails,
  type JobExceptionHistory,
  type JobExceptionInfo,
  type JobExceptions,
  type JobExecutionConfig,
  type JobOverview,
  type JobIdWithStatus,
  type JobPlan,
  type JobPlanGraph,
  type JobPlanInput,
  type JobPlanNode,
  type JobType,
  type JobVertexDetails,
  KNOWN_EXECUTION_STATES,
  KNOWN_JOB_TYPES,
  KNOWN_SCHEDULER_TYPES,
  type ResourceRequirements,
  type RootExceptionInfo,
  type SchedulerType,
  type TaskCounts,
  type UserTaskAccumulator,
  type VertexResourceRequirements,
} from './schemas/jobs.js';
export {
  type CheckpointConfig,
  type CheckpointCounts,
  type CheckpointExternalization,
  type CheckpointingStatistics,
  type CheckpointMetrics,
  type CheckpointStatistics,
  type CheckpointStatisticsBase,
  type CheckpointStatus,
  type CheckpointSummary,
  type CompletedCheckpointStatistics,
  type FailedCheckpointStatistics,
  KNOWN_CHECKPOINT_CLASS_NAMES,
  KNOWN_CHECKPOINT_STATUSES,
  KNOWN_CHECKPOINT_TYPES,
  KNOWN_CHECKPOINTING_MODES,
  KNOWN_SAVEPOINT_FORMATS,
  type LatestCheckpoints,
  type RestoredCheckpointStatistics,
  type StatsSummary,
  type TaskCheckpointStatistics,
  type TaskCheckpointDetails,
  type TaskCheckpointSummary,
  type SubtaskCheckpointStatistics,
  type CheckpointParts,
  type CheckpointAlignment,
} from './schemas/checkpoints.js';
export type {
  AllocatedSlot,
  ClusterDataSet,
  ClusterDataSets,
  EnvironmentInfo,
  GarbageCollectorInfo,
  LogFileInfo,
  LogList,
  LogUrl,
  TaskManagerDetails,
  TaskManagerMetrics,
  ThreadDump,
  ThreadInfo,
} from './schemas/managers.js';
export {
  type AggregatedMetric,
  type AggregatedMetricCollection,
  type AggregatedMetricEntry,
  type AggregatedMetrics,
  METRIC_AGGREGATIONS,
  type MetricAggregation,
  type MetricCollection,
  type MetricEntry,
  type MetricValue,
  type MetricValues,
} from './schemas/metrics.js';
export {
  KNOWN_RESCALE_TERMINAL_STATES,
  KNOWN_RESCALE_TERMINATED_REASONS,
  KNOWN_RESCALE_TRIGGER_CAUSES,
  type LatestRescales,
  type RescaleConfig,
  type RescaleCounts,
  type RescaleDetails,
  type RescalesOverview,
  type RescaleSummary,
  type SchedulerStateSpan,
  type SlotRescale,
  type VertexRescale,
} from './schemas/rescales.js';
export {
  type AttemptAccumulators,
  type BackpressureLevel,
  type FlameGraphNode,
  KNOWN_BACKPRESSURE_LEVELS,
  type SubtaskAccumulators,
  type SubtaskAggregate,
  type SubtaskAggregates,
  type SubtaskAttemptDetails,
  type SubtaskBackpressure,
  type SubtasksAccumulators,
  type SubtaskTimes,
  type UserAccumulator,
  type VertexAccumulators,
  type VertexBackpressure,
  type VertexDetails,
  type VertexFlameGraph,
  type VertexSubtaskTimes,
  type VertexTaskManager,
  type VertexTaskManagers,
} from './schemas/vertices.js';
export type { JarEntryInfo, JarFileInfo, JarList } from './schemas/jars.js';

export { VERSION } from './version.js';

// SQL Gateway
export { SqlGatewayClient, type SqlGatewayClientOptions, type SqlGatewayApiVersion, type OpenSessionOptions } from './sql-gateway/sql-gateway-client.js';
export type { SqlSession, ExecuteOptions, RefreshMaterializedTableParams, DeployScriptParams, DeployedScript } from './sql-gateway/sql-session.js';
export type { SqlOperation, SqlOperationStatus, SqlResultOptions, SqlWaitOptions, SqlCollectOptions } from './sql-gateway/sql-operation.js';
export type { SqlRow, SqlRowKind, SqlValue } from './sql-gateway/sql-types.js';
export { LocalSqlGatewayDescriptor, type LocalSqlGatewayOptions } from './sql-gateway/local-sql-gateway-descriptor.js';
export { SqlStatementError, type SqlStatementErrorInit } from './errors/sql-statement-error.js';
export type { SqlColumn, SqlLogicalType, SqlRowField, SqlGatewayInfo, FetchResultsResponse, FetchResultsData } from './schemas/sql-gateway.js';

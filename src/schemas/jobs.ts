import { z } from 'zod';
import { type FlinkDouble, flinkDouble, hexId, numbersByName, type OpaqueJsonObject, opaqueJsonObject } from './common.js';
import { type JobStatus, jobStatusEnum, KNOWN_JOB_STATUSES } from './job-status.js';
import { defineSchema, type SchemaKit, typedSchema } from './schema-kit.js';

// ---------------------------------------------------------------------------------------------
// Enums

/** Task-level execution states (`org.apache.flink.runtime.execution.ExecutionState`), in Flink's order. */
export const KNOWN_EXECUTION_STATES = [
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'RUNNING',
  'FINISHED',
  'CANCELING',
  'CANCELED',
  'FAILED',
  'RECONCILING',
  'INITIALIZING',
] as const;

/** Job types (`org.apache.flink.runtime.jobgraph.JobType`). */
export const KNOWN_JOB_TYPES = ['BATCH', 'STREAMING'] as const;

/** Scheduler types (`JobManagerOptions.SchedulerType`), sent by Flink 2.3 as `schedulerType`. */
export const KNOWN_SCHEDULER_TYPES = ['Default', 'Adaptive', 'AdaptiveBatch'] as const;

/** Outcomes in `job-execution-result.application-status` (`ApplicationStatus`, kept for compatibility). */
export const KNOWN_JOB_RESULT_STATUSES = ['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN'] as const;

/** States of an asynchronous operation or result (`QueueStatus.Id`). */
export const KNOWN_QUEUE_STATUSES = ['IN_PROGRESS', 'COMPLETED'] as const;


/**
 * A task's execution state as Flink sends it (`ExecutionState`): `CREATED`, `SCHEDULED`,
 * `DEPLOYING`, `INITIALIZING`, `RUNNING`, `FINISHED`, `CANCELING`, `CANCELED`, `FAILED`,
 * `RECONCILING`, or, in lenient validation, a state a newer Flink added. Note `CANCELING` with one
 * L, unlike the job status `CANCELLING`.
 */
export type ExecutionState = (typeof KNOWN_EXECUTION_STATES)[number] | (string & {});

/** A job type: `BATCH` or `STREAMING` (or, in lenient validation, a newer one). */
export type JobType = (typeof KNOWN_JOB_TYPES)[number] | (string & {});

/** A scheduler type: `Default`, `Adaptive` or `AdaptiveBatch` (or, in lenient validation, a newer one). */
export type SchedulerType = (typeof KNOWN_SCHEDULER_TYPES)[number] | (string & {});

/** A job outcome: `SUCCEEDED`, `FAILED`, `CANCELED` or `UNKNOWN` (or, in lenient validation, a newer one). */
export type JobResultStatus = (typeof KNOWN_JOB_RESULT_STATUSES)[number] | (string & {});

// ---------------------------------------------------------------------------------------------
// Shared builders

/**
 * A Java throwable as Flink serialises it into a response (`SerializedThrowable`).
 *
 * The user's own exception is rarely `class`: Flink wraps it (e.g. in `JobException: Recovery is
 * suppressed by NoRestartBackoffTimeStrategy`), so look for it in the `Caused by:` lines of
 * `stack-trace`.
 */
export interface SerializedThrowable {
  /** The class name of the outermost throwable, such as `org.apache.flink.runtime.JobException`. */
  class: string;
  /** The full Java stack trace text, including its `Caused by:` chain. */
  'stack-trace': string;
  /**
   * Base64 of the Java-serialized throwable. Opaque: the SDK never deserializes it, and neither
   * should you (Java deserialization of untrusted bytes is unsafe); use `class` and `stack-trace`.
   */
  'serialized-throwable': string;
}

/**
 * A serialized Java throwable: `{"class", "stack-trace", "serialized-throwable"}`. The last is
 * base64 Java serialization, kept as an opaque string: never decode it; show `class` and
 * `stack-trace`.
 */
export function serializedThrowable(k: SchemaKit) {
  return k.object({
    class: z.string(),
    'stack-trace': z.string(),
    'serialized-throwable': z.string(),
  });
}

/**
 * A serialized Java throwable as Flink sends it in failure causes.
 *
 * Validates the `failure-cause` of `GET /jobs/:jobid/execution-result`,
 * `GET /jobs/:jobid/savepoints/:triggerid` and `GET /savepoint-disposal/:triggerid`, and the
 * `failureCause` of `GET /jobs/:jobid/checkpoints/:triggerid`: `{"class", "stack-trace",
 * "serialized-throwable"}` (the spec shows only `serialized-throwable`, as binary).
 */
export const SerializedThrowableSchema = typedSchema<SerializedThrowable>()(defineSchema(serializedThrowable));

/** The state of an asynchronous operation or result: `IN_PROGRESS` or `COMPLETED` (`QueueStatus`). */
export interface QueueStatus {
  /**
   * `IN_PROGRESS` until the operation has ended; `COMPLETED` says only that it ended, not that it
   * succeeded: look for a failure cause beside it.
   */
  id: (typeof KNOWN_QUEUE_STATUSES)[number] | (string & {});
}

/** The `{"id": "IN_PROGRESS" | "COMPLETED"}` status object of asynchronous operations and job results. */
export function queueStatus(k: SchemaKit) {
  return k.object({ id: k.openEnum(KNOWN_QUEUE_STATUSES) });
}

/**
 * How many of a job's subtasks (parallel task instances, over all vertices) are in each execution
 * state, keyed by the lower-case state name, plus `total`.
 */
export interface TaskCounts {
  /** All subtasks of the job: the sum of the vertices' parallelism. */
  total: number;
  /** Subtasks in `CREATED`. */
  created: number;
  /** Subtasks in `SCHEDULED`: waiting for a slot. */
  scheduled: number;
  /** Subtasks in `DEPLOYING`. */
  deploying: number;
  /** Subtasks in `RUNNING`. */
  running: number;
  /** Subtasks in `FINISHED`. */
  finished: number;
  /** Subtasks in `CANCELING` (one L). */
  canceling: number;
  /** Subtasks in `CANCELED`. */
  canceled: number;
  /** Subtasks in `FAILED`. */
  failed: number;
  /** Subtasks in `RECONCILING`. */
  reconciling: number;
  /** Subtasks in `INITIALIZING`: deployed, restoring state. */
  initializing: number;
}

/** The per-state task counts of a `/jobs/overview` entry: lower-case execution states plus `total`. */
function taskCounts(k: SchemaKit) {
  return k.object({
    total: z.number(),
    created: z.number(),
    scheduled: z.number(),
    deploying: z.number(),
    running: z.number(),
    finished: z.number(),
    canceling: z.number(),
    canceled: z.number(),
    failed: z.number(),
    reconciling: z.number(),
    initializing: z.number(),
  });
}

/**
 * One job as `GET /jobs/overview` lists it (`JobDetails` on the Flink side), also the shape of the
 * `jobs` of `GET /applications/:id`.
 *
 * Unlike `GET /jobs/:id`, the overview is not cached by the REST server: a status change shows up
 * within milliseconds, so it is what the SDK polls.
 */
export interface JobOverview {
  /** The job id (32 hex characters). */
  jid: string;
  /** The job name. */
  name: string;
  /**
   * `BATCH` or `STREAMING`. Flink 2.x only (absent on 1.20); `null` for a job that failed before it
   * was scheduled. Note the camelCase, unlike `job-type` of `GET /jobs/:id`.
   */
  jobType?: JobType | null;
  /** `Default`, `Adaptive` or `AdaptiveBatch`. Flink 2.x only (absent on 1.20); `null` like `jobType`. */
  schedulerType?: SchedulerType | null;
  /** When the JobManager received the job (its INITIALIZING time), ms since the epoch. */
  'start-time': number;
  /**
   * When the job became globally terminal (FINISHED, CANCELED, FAILED), ms since the epoch; **-1
   * while it runs** (and while SUSPENDED).
   */
  'end-time': number;
  /**
   * Run time in ms: `end-time − start-time` once ended; while the job runs, the server's clock at
   * the time of the answer minus `start-time`, so it grows from one call to the next.
   */
  duration: number;
  /** The job status. */
  state: JobStatus;
  /** The latest state change of the job or any of its subtasks, ms since the epoch. */
  'last-modification': number;
  /** Subtask counts per execution state. */
  tasks: TaskCounts;
  /**
   * Operators of a job submitted as a stream graph that are not yet turned into job vertices
   * (adaptive batch execution); 0 otherwise. Flink 2.x only.
   */
  'pending-operators'?: number;
}

/**
 * One job as listed by `GET /jobs/overview` and in `GET /applications/:id` (`JobDetails` on the
 * Flink side). `jobType`, `schedulerType` and `pending-operators` are absent before Flink 2.x;
 * `jobType` and `schedulerType` are `null` for a job that failed before it was scheduled.
 */
export function jobOverview(k: SchemaKit) {
  return k.object({
    jid: hexId(k),
    name: z.string(),
    jobType: k.openEnum(KNOWN_JOB_TYPES).nullable().optional(),
    schedulerType: k.openEnum(KNOWN_SCHEDULER_TYPES).nullable().optional(),
    'start-time': z.number(),
    'end-time': z.number(),
    duration: z.number(),
    state: jobStatusEnum(k),
    'last-modification': z.number(),
    tasks: taskCounts(k),
    'pending-operators': z.number().optional(),
  });
}

/**
 * The data a job vertex exchanged with other tasks, summed over its subtasks (`IOMetricsInfo`).
 *
 * Only data exchanged between Flink tasks counts: a source's `read-*` and a sink's `write-*` stay
 * 0. The JobManager fetches these metrics from the task managers in the background
 * (`metrics.fetcher.update-interval`, 10 s by default), so they lag; a `*-complete` flag is `false`
 * while some subtask has not reported yet.
 */
export interface IOMetrics {
  /** Bytes received from upstream tasks. */
  'read-bytes': number;
  /** Whether every subtask reported `read-bytes`. */
  'read-bytes-complete': boolean;
  /** Bytes sent to downstream tasks. */
  'write-bytes': number;
  /** Whether every subtask reported `write-bytes`. */
  'write-bytes-complete': boolean;
  /** Records received from upstream tasks. */
  'read-records': number;
  /** Whether every subtask reported `read-records`. */
  'read-records-complete': boolean;
  /** Records sent to downstream tasks. */
  'write-records': number;
  /** Whether every subtask reported `write-records`. */
  'write-records-complete': boolean;
  /** Time the subtasks were back-pressured, ms summed over subtasks. */
  'accumulated-backpressured-time': number;
  /** Time the subtasks were idle, ms summed over subtasks. */
  'accumulated-idle-time': number;
  /**
   * Time the subtasks were busy, ms summed over subtasks. A double: the string `"NaN"` when busy
   * time is not measured.
   */
  'accumulated-busy-time': FlinkDouble;
}

/** I/O metrics of a job vertex (`IOMetricsInfo`). */
export function ioMetrics(k: SchemaKit) {
  return k.object({
    'read-bytes': z.number(),
    'read-bytes-complete': z.boolean(),
    'write-bytes': z.number(),
    'write-bytes-complete': z.boolean(),
    'read-records': z.number(),
    'read-records-complete': z.boolean(),
    'write-records': z.number(),
    'write-records-complete': z.boolean(),
    'accumulated-backpressured-time': z.number(),
    'accumulated-idle-time': z.number(),
    'accumulated-busy-time': flinkDouble(),
  });
}

/** One input edge of a {@link JobPlanNode}: where its data comes from and how it is shipped. */
export interface JobPlanInput {
  /** The input's position among the node's inputs, from 0. */
  num: number;
  /** The id of the upstream node (job vertex). */
  id: string;
  /**
   * How records are distributed, such as `FORWARD`, `REBALANCE` or `HASH`. When unknown, Flink
   * 1.20 omits it and 2.x sends `null`.
   */
  ship_strategy?: string | null;
  /** The local strategy (batch plans); usually absent. */
  local_strategy?: string;
  /** The caching hint (batch plans); usually absent. */
  caching?: string;
  /** The data exchange mode, such as `pipelined_bounded` or `blocking`. */
  exchange: string;
}

/** One input edge of a plan node. */
function planInput(k: SchemaKit) {
  return k.object({
    num: z.number(),
    id: hexId(k),
    // Flink 1.20 omits a missing ship strategy; 2.x writes null.
    ship_strategy: z.string().nullable().optional(),
    local_strategy: z.string().optional(),
    caching: z.string().optional(),
    exchange: z.string(),
  });
}

/** One node of a {@link JobPlanGraph}: a job vertex, possibly several chained operators. */
export interface JobPlanNode {
  /** The job vertex id (32 hex characters), the key of the vertex everywhere else. */
  id: string;
  /** The vertex's parallelism. */
  parallelism: number;
  /** The operator name; often empty in streaming plans. */
  operator: string;
  /** The operator strategy; often empty in streaming plans. */
  operator_strategy: string;
  /** The chained operators' names as HTML (separated by `<br/>`), such as `Source: numbers<br/>`. */
  description: string;
  /** Raw optimizer properties, passed through without a fixed shape; `{}` for streaming jobs. */
  optimizer_properties: OpaqueJsonObject;
  /** The node's input edges; absent for sources. */
  inputs?: JobPlanInput[];
}

/** One node (job vertex) of a job plan. */
function planNode(k: SchemaKit) {
  return k.object({
    id: hexId(k),
    parallelism: z.number(),
    operator: z.string(),
    operator_strategy: z.string(),
    description: z.string(),
    optimizer_properties: opaqueJsonObject(),
    // Absent for source vertices.
    inputs: z.array(planInput(k)).optional(),
  });
}

/**
 * A job's plan: its job graph's vertices and edges. Flink 1.20 writes it as raw JSON from its plan
 * generator, Flink 2.x as a typed object; the fields are the same.
 */
export interface JobPlanGraph {
  /** The job id. */
  jid: string;
  /** The job name. */
  name: string;
  /** `BATCH` or `STREAMING`. */
  type: JobType;
  /** The job vertices, sources first. */
  nodes: JobPlanNode[];
}

/**
 * A job plan: `{jid, name, type, nodes}`. Flink 1.20 sends it as raw JSON made by its plan
 * generator, Flink 2.x as a typed object; the fields are the same.
 */
export function jobPlanGraph(k: SchemaKit) {
  return k.object({
    jid: hexId(k),
    name: z.string(),
    type: k.openEnum(KNOWN_JOB_TYPES),
    nodes: z.array(planNode(k)),
  });
}

/** One job vertex in `GET /jobs/:id` (`JobVertexDetailsInfo`): its state, times and I/O. */
export interface JobVertexDetails {
  /** The job vertex id (32 hex characters). */
  id: string;
  /** The id of the slot sharing group the vertex runs in. */
  slotSharingGroupId: string;
  /** The vertex name: its chained operators, such as `Source: numbers -> Map`. */
  name: string;
  /** The vertex's maximum parallelism (the number of key groups), the upper bound for rescaling. */
  maxParallelism: number;
  /** The vertex's current parallelism: its number of subtasks. */
  parallelism: number;
  /** The vertex state, aggregated over its subtasks. */
  status: ExecutionState;
  /** When the first subtask started deploying, ms since the epoch; -1 until one has. */
  'start-time': number;
  /** When the last subtask reached a terminal state, ms since the epoch; -1 until all have. */
  'end-time': number;
  /**
   * Run time in ms: `end-time − start-time` once all subtasks ended, the server's clock minus
   * `start-time` before; -1 until a subtask has started deploying.
   */
  duration: number;
  /** Subtasks per execution state, keyed by upper-case state name (`{"RUNNING": 2, ...}`). */
  tasks: Record<string, number>;
  /** The data the vertex exchanged with other tasks. */
  metrics: IOMetrics;
}

/** One vertex in `GET /jobs/:id` (`JobVertexDetailsInfo`). */
function jobVertex(k: SchemaKit) {
  return k.object({
    id: hexId(k),
    slotSharingGroupId: hexId(k),
    name: z.string(),
    maxParallelism: z.number(),
    parallelism: z.number(),
    status: k.openEnum(KNOWN_EXECUTION_STATES),
    'start-time': z.number(),
    'end-time': z.number(),
    duration: z.number(),
    tasks: numbersByName(k, KNOWN_EXECUTION_STATES),
    metrics: ioMetrics(k),
  });
}

// ---------------------------------------------------------------------------------------------
// Endpoints

/** A job's id and status, as `GET /jobs` lists it. */
export interface JobIdWithStatus {
  /** The job id. Note `id`, not `jid` as elsewhere. */
  id: string;
  /** The job status. Note `status`, not `state` as elsewhere. */
  status: JobStatus;
}

/** The body of `GET /jobs`: every job's id and status. */
export interface JobIdsWithStatus {
  /** Every job the cluster knows, running or ended. */
  jobs: JobIdWithStatus[];
}

/**
 * Every job's id and status.
 *
 * Validates `GET /jobs`: `{"jobs": [{"id", "status"}]}`.
 */
export const JobIdsWithStatusSchema = typedSchema<JobIdsWithStatus>()(defineSchema((k) =>
  k.object({
    jobs: z.array(k.object({ id: hexId(k), status: jobStatusEnum(k) })),
  }),
));

/**
 * One entry of the jobs overview.
 *
 * Validates an element of `GET /jobs/overview` → `jobs` (and of `GET /applications/:id` → `jobs`).
 */
export const JobOverviewSchema = typedSchema<JobOverview>()(defineSchema(jobOverview));

/** The body of `GET /jobs/overview`: every job the cluster knows, with state and task counts. */
export interface JobsOverview {
  /** Every job, running or ended (ended jobs stay until `jobstore.expiration-time`, 1 h by default). */
  jobs: JobOverview[];
}

/**
 * Every job the cluster knows, with state and task counts, in one call.
 *
 * Validates `GET /jobs/overview`: `{"jobs": [...]}`. Kept to plain types: it must stay fast on
 * thousands of entries.
 */
export const JobsOverviewSchema = typedSchema<JobsOverview>()(defineSchema((k) => k.object({ jobs: z.array(jobOverview(k)) })));

/**
 * The body of `GET /jobs/:jobid`: a job's status, status timestamps, vertices with their metrics,
 * and its plan (`JobDetailsInfo`).
 *
 * **Cached**: the REST server keeps this answer for `web.refresh-interval` (3 s by default), so
 * after a change `state` can lag by up to that long (a cancelled job read RUNNING for 3 s). Poll
 * `GET /jobs/:id/status` or the overview to follow a status; compare times with `now`, not with
 * the local clock.
 */
export interface JobDetails {
  /** The job id (32 hex characters). */
  jid: string;
  /**
   * The id of the application the job belongs to (Flink 2.3+; absent before). A job submitted
   * with `/jars/:id/run` is a single-job application whose id equals the job id.
   */
  'application-id'?: string | null;
  /** The job name. */
  name: string;
  /** A legacy flag, `false` for practically every job: it does not tell whether stop-with-savepoint works. */
  isStoppable: boolean;
  /** The job status, possibly up to 3 s old (see above). */
  state: JobStatus;
  /** `BATCH` or `STREAMING`; `null` for a job that failed before it was scheduled. Kebab case, unlike the overview's `jobType`. */
  'job-type': JobType | null;
  /** `Default`, `Adaptive` or `AdaptiveBatch`. Flink 2.3+ (absent on 1.20). */
  schedulerType?: SchedulerType | null;
  /** When the JobManager received the job (its INITIALIZING time), ms since the epoch. */
  'start-time': number;
  /** When the job became globally terminal, ms since the epoch; **-1 while it runs**. */
  'end-time': number;
  /** Run time in ms: `end-time − start-time` once ended, `now − start-time` while running. */
  duration: number;
  /** The job-wide maximum parallelism; -1 when the job does not set one (each vertex has its own). */
  maxParallelism: number;
  /** The server's clock when it built this (possibly cached) answer, ms since the epoch. */
  now: number;
  /**
   * When the job last entered each status, keyed by every job status name, ms since the epoch;
   * 0 for a status never reached.
   */
  timestamps: Record<string, number>;
  /** The job vertices, in topological order (sources first). */
  vertices: JobVertexDetails[];
  /**
   * How many **vertices** (not subtasks) are in each aggregate execution state, keyed by
   * upper-case state name. The job is RUNNING seconds before all its vertices are.
   */
  'status-counts': Record<string, number>;
  /** The job graph. */
  plan: JobPlanGraph;
  /** The stream graph as raw JSON, for jobs submitted as a stream graph (Flink 2.x); usually absent. */
  'stream-graph'?: OpaqueJsonObject;
  /** Operators not yet turned into job vertices (adaptive batch execution); Flink 2.x only. */
  'pending-operators'?: number;
}

/**
 * A job's details: status, status timestamps, vertices with metrics, and its plan.
 *
 * Validates `GET /jobs/:jobid`. Flink 2.x adds `pending-operators` and, for jobs submitted as a
 * stream graph, `stream-graph`; 2.3 adds `application-id` and `schedulerType`.
 */
export const JobDetailsSchema = typedSchema<JobDetails>()(defineSchema((k) =>
  z.preprocess(planOfRecoveringJob, k.object({
    jid: hexId(k),
    'application-id': hexId(k).nullable().optional(),
    name: z.string(),
    isStoppable: z.boolean(),
    state: jobStatusEnum(k),
    'job-type': k.openEnum(KNOWN_JOB_TYPES).nullable(),
    schedulerType: k.openEnum(KNOWN_SCHEDULER_TYPES).nullable().optional(),
    'start-time': z.number(),
    'end-time': z.number(),
    duration: z.number(),
    maxParallelism: z.number(),
    now: z.number(),
    timestamps: numbersByName(k, KNOWN_JOB_STATUSES),
    vertices: z.array(jobVertex(k)),
    'status-counts': numbersByName(k, KNOWN_EXECUTION_STATES),
    plan: jobPlanGraph(k),
    'stream-graph': opaqueJsonObject().optional(),
    'pending-operators': z.number().optional(),
  })),
));

/**
 * Flink 1.20 sends a plan without `jid`, `name`, `type` and `nodes` (`"plan": {}`) for a job its
 * new leader is still recovering after an HA failover (INITIALIZING): it is read as the job's plan
 * without vertices, which is what it is at that moment.
 */
function planOfRecoveringJob(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const b = body as Record<string, unknown>;
  const plan = b.plan as Record<string, unknown> | undefined;
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan) || 'jid' in plan || 'nodes' in plan) return body;
  return { ...b, plan: { ...plan, jid: b.jid, name: b.name, type: b['job-type'] ?? 'STREAMING', nodes: [] } };
}

/** The body of `GET /jobs/:jobid/status`: the job's current status, not cached. */
export interface JobStatusInfo {
  /** The job status, current to within milliseconds (unlike `state` of `GET /jobs/:id`). */
  status: JobStatus;
}

/**
 * A job's current status.
 *
 * Validates `GET /jobs/:jobid/status`: `{"status"}`.
 */
export const JobStatusInfoSchema = typedSchema<JobStatusInfo>()(defineSchema((k) => k.object({ status: jobStatusEnum(k) })));

/**
 * A globally terminal job's result, as Flink's own serializer writes it (`JobResult`; the OpenAPI
 * spec's field names for it are wrong).
 */
export interface JobExecutionResult {
  /** The job id. */
  id: string;
  /** The job name. Flink 2.3+ (absent on 1.20). */
  name?: string;
  /**
   * The job's outcome: `SUCCEEDED` (also after stop-with-savepoint), `FAILED`, `CANCELED` or
   * `UNKNOWN`. Named for compatibility; it is not an application state.
   */
  'application-status': JobResultStatus;
  /**
   * Accumulator name → base64 Java-serialized value. Opaque: never deserialize it; read
   * accumulators as strings from `GET /jobs/:id/accumulators`.
   */
  'accumulator-results': Record<string, string>;
  /** How long the job ran, in ms. */
  'net-runtime': number;
  /** Why the job failed; absent unless it did. The user's exception is in its `Caused by:` lines. */
  'failure-cause'?: SerializedThrowable;
  /** The id of the job's application. Flink 2.3+, absent for a job without an application. */
  'application-id'?: string;
  /** When the job started, ms since the epoch. Flink 2.3+. */
  'start-time'?: number;
  /** When the job ended, ms since the epoch. Flink 2.3+. */
  'end-time'?: number;
}

/**
 * A job's final result, written by Flink's own serializer (the OpenAPI spec's field names are
 * wrong). `name`, `start-time` and `end-time` are new in 2.3, as is `application-id` (absent for a
 * job without an application). `accumulator-results` maps names to base64 Java-serialized values.
 */
function jobResult(k: SchemaKit) {
  return k.object({
    id: hexId(k),
    name: z.string().optional(),
    'application-status': k.openEnum(KNOWN_JOB_RESULT_STATUSES),
    'accumulator-results': z.record(z.string(), z.string()),
    'net-runtime': z.number(),
    'failure-cause': serializedThrowable(k).optional(),
    'application-id': hexId(k).optional(),
    'start-time': z.number().optional(),
    'end-time': z.number().optional(),
  });
}

/** The body of `GET /jobs/:jobid/execution-result`. */
export interface JobExecutionResultResponse {
  /** `IN_PROGRESS` until the job is globally terminal, then `COMPLETED` (whatever the outcome). */
  status: QueueStatus;
  /** The result; absent while `status` is `IN_PROGRESS`. */
  'job-execution-result'?: JobExecutionResult;
}

/**
 * A job's execution result once it is globally terminal.
 *
 * Validates `GET /jobs/:jobid/execution-result`: `{"status": {"id"}, "job-execution-result"?}`;
 * the result is absent while the status is `IN_PROGRESS`.
 */
export const JobExecutionResultResponseSchema = typedSchema<JobExecutionResultResponse>()(defineSchema((k) =>
  k.object({
    status: queueStatus(k),
    'job-execution-result': jobResult(k).optional(),
  }),
));

/** One user accumulator of a job, summed over its subtasks. */
export interface UserTaskAccumulator {
  /** The accumulator name. */
  name: string;
  /** The accumulator's Java class (simple name), such as `IntCounter` or `LongCounter`. */
  type: string;
  /** The value's `toString()`: a **string**, also for numbers (`"1000"`). */
  value: string;
}

/**
 * The body of `GET /jobs/:jobid/accumulators`. Like `GET /jobs/:id`, cached for
 * `web.refresh-interval` (3 s): right after a job ends, the final values may not be there yet.
 */
export interface JobAccumulators {
  /** Always an empty list (Flink has no job-level accumulators any more). */
  'job-accumulators': Record<string, never>[];
  /** The user accumulators. */
  'user-task-accumulators': UserTaskAccumulator[];
  /**
   * Accumulator name → base64 Java-serialized value; `{}` unless requested with
   * `includeSerializedValue=true`. Opaque: never deserialize it.
   */
  'serialized-user-task-accumulators'?: Record<string, string>;
}

/**
 * A job's accumulators, as strings.
 *
 * Validates `GET /jobs/:jobid/accumulators`: `job-accumulators` (always empty),
 * `user-task-accumulators` `[{name, type, value}]`, and `serialized-user-task-accumulators` (name →
 * base64 Java serialization; filled only with `includeSerializedValue=true`, else `{}`).
 */
export const JobAccumulatorsSchema = typedSchema<JobAccumulators>()(defineSchema((k) =>
  k.object({
    'job-accumulators': z.array(k.object({})),
    'user-task-accumulators': z.array(k.object({ name: z.string(), type: z.string(), value: z.string() })),
    'serialized-user-task-accumulators': z.record(z.string(), z.string()).optional(),
  }),
));

/** One exception in a job's exception history (`JobExceptionsInfoWithHistory.ExceptionInfo`). */
export interface JobExceptionInfo {
  /**
   * The exception's class name. For a job failure this is usually Flink's wrapper, such as
   * `org.apache.flink.runtime.JobException`; the user's exception is in the `Caused by:` lines of
   * `stacktrace` or among the concurrent exceptions.
   */
  exceptionName: string;
  /** The full Java stack trace text. */
  stacktrace: string;
  /** When the failure happened, ms since the epoch. */
  timestamp: number;
  /** Labels the cluster's failure enrichers attached (`{}` without enrichers). */
  failureLabels: Record<string, string>;
  /** The failed task's name with its subtask index; absent for a failure not tied to a task. */
  taskName?: string;
  /** Flink 1.20's deprecated copy of `endpoint`; absent on 2.x. */
  location?: string;
  /** The `host:port` of the task manager the failed task ran on; absent when not tied to a task. */
  endpoint?: string;
  /** The id of the task manager the failed task ran on; absent when not tied to a task. */
  taskManagerId?: string;
}

/** A root failure of a job, with the exceptions that happened at the same time. */
export interface RootExceptionInfo extends JobExceptionInfo {
  /** Exceptions of other tasks that failed together with this one (often the user's own exception). */
  concurrentExceptions: JobExceptionInfo[];
}

/** Flink 1.20's deprecated per-task exception entry (`all-exceptions`); gone in 2.x. */
export interface ExecutionExceptionInfo {
  /** The stack trace text. */
  exception: string;
  /** The task's name. */
  task: string;
  /** Where the task ran (`host:port`), or `null`. */
  location: string | null;
  /** Where the task ran (`host:port`), or `null`. */
  endpoint: string | null;
  /** When the failure happened, ms since the epoch. */
  timestamp: number;
  /** The task manager's id, or `null`. */
  taskManagerId: string | null;
}

/** A job's exception history. */
export interface JobExceptionHistory {
  /**
   * Root failures, newest first: at most `maxExceptions` (a query parameter, 20 by default) of the
   * ones the JobManager keeps (`web.exception-history-size`, 16 by default).
   */
  entries: RootExceptionInfo[];
  /** Whether older entries were left out. */
  truncated: boolean;
}

/** One exception in a job's exception history. `location` is Flink 1.20's deprecated copy of `endpoint`. */
function exceptionInfoShape() {
  return {
    exceptionName: z.string(),
    stacktrace: z.string(),
    timestamp: z.number(),
    failureLabels: z.record(z.string(), z.string()),
    taskName: z.string().optional(),
    location: z.string().optional(),
    endpoint: z.string().optional(),
    taskManagerId: z.string().optional(),
  } satisfies z.ZodRawShape;
}

/** An exception that ran concurrently with a root exception. */
function exceptionInfo(k: SchemaKit) {
  return k.object(exceptionInfoShape());
}

/** A root exception of a job's exception history, with the exceptions that ran concurrently. */
function rootExceptionInfo(k: SchemaKit) {
  return k.object({ ...exceptionInfoShape(), concurrentExceptions: z.array(exceptionInfo(k)) });
}

/** Flink 1.20's deprecated per-task exception entry of `all-exceptions`. */
function executionExceptionInfo(k: SchemaKit) {
  return k.object({
    exception: z.string(),
    task: z.string(),
    location: z.string().nullable(),
    endpoint: z.string().nullable(),
    timestamp: z.number(),
    taskManagerId: z.string().nullable(),
  });
}

/**
 * The body of `GET /jobs/:jobid/exceptions`. Flink 1.20 also sends the deprecated top-level
 * `root-exception`, `timestamp`, `all-exceptions` and `truncated`; 2.x sends only
 * `exceptionHistory`.
 */
export interface JobExceptions {
  /** The exception history, newest first. */
  exceptionHistory: JobExceptionHistory;
  /** Flink 1.20 only (deprecated): the latest root exception's stack trace, or `null`. */
  'root-exception'?: string | null;
  /** Flink 1.20 only (deprecated): when the latest root exception happened, or `null`. */
  timestamp?: number | null;
  /** Flink 1.20 only (deprecated): per-task exceptions of the latest failure. */
  'all-exceptions'?: ExecutionExceptionInfo[];
  /** Flink 1.20 only (deprecated): whether `all-exceptions` was truncated. */
  truncated?: boolean;
}

/**
 * A job's exception history, newest first.
 *
 * Validates `GET /jobs/:jobid/exceptions`: `{"exceptionHistory": {"entries", "truncated"}}`.
 * Flink 1.20 also sends the deprecated `root-exception`, `timestamp`, `all-exceptions` and
 * `truncated` at the top level; 2.x removed them.
 */
export const JobExceptionsSchema = typedSchema<JobExceptions>()(defineSchema((k) =>
  k.object({
    exceptionHistory: k.object({
      entries: z.array(rootExceptionInfo(k)),
      truncated: z.boolean(),
    }),
    'root-exception': z.string().nullable().optional(),
    timestamp: z.number().nullable().optional(),
    'all-exceptions': z.array(executionExceptionInfo(k)).optional(),
    truncated: z.boolean().optional(),
  }),
));

/** A job's execution configuration (`ExecutionConfigInfo`). */
export interface JobExecutionConfig {
  /** `PIPELINED`, `BATCH`, ...: Flink 1.20 only (absent on 2.x). */
  'execution-mode'?: string;
  /** A human-readable description, such as `Cluster level default restart strategy`; not a config value. */
  'restart-strategy': string;
  /** The job's default parallelism. */
  'job-parallelism': number;
  /** Whether object reuse is enabled (`pipeline.object-reuse`). */
  'object-reuse-mode': boolean;
  /** The job's global job parameters, as strings. */
  'user-config': Record<string, string>;
}

/** The body of `GET /jobs/:jobid/config`. */
export interface JobConfig {
  /** The job id. */
  jid: string;
  /** The job name. */
  name: string;
  /** The execution configuration; absent when the archived configuration is missing. */
  'execution-config'?: JobExecutionConfig;
}

/**
 * A job's execution configuration.
 *
 * Validates `GET /jobs/:jobid/config`: `{"jid", "name", "execution-config"?}` (the spec's
 * `jobId`/`jobName`/`executionConfigInfo` are wrong). `execution-config` is absent when the archived
 * config is missing; its `execution-mode` exists only in Flink 1.20.
 */
export const JobConfigSchema = typedSchema<JobConfig>()(defineSchema((k) =>
  k.object({
    jid: hexId(k),
    name: z.string(),
    'execution-config': k
      .object({
        'execution-mode': z.string().optional(),
        'restart-strategy': z.string(),
        'job-parallelism': z.number(),
        'object-reuse-mode': z.boolean(),
        'user-config': z.record(z.string(), z.string()),
      })
      .optional(),
  }),
));

/** The body of `GET /jobs/:jobid/plan` and `POST /jars/:jarid/plan`. */
export interface JobPlan {
  /** The job graph. */
  plan: JobPlanGraph;
}

/**
 * A job's plan (its job graph's vertices and edges).
 *
 * Validates `GET /jobs/:jobid/plan` and `POST /jars/:jarid/plan`: `{"plan": {jid, name, type, nodes}}`.
 */
export const JobPlanSchema = typedSchema<JobPlan>()(defineSchema((k) => k.object({ plan: jobPlanGraph(k) })));

/** The parallelism bounds of one job vertex under the adaptive scheduler. */
export interface VertexResourceRequirements {
  /** The bounds the scheduler may choose the vertex's parallelism from. */
  parallelism: {
    /** The lowest parallelism the vertex may run with (1 unless lowered or raised by a `PUT`). */
    lowerBound: number;
    /** The highest parallelism (the current one unless changed), at most the vertex's max parallelism. */
    upperBound: number;
  };
}

/** The parallelism bounds of one vertex: `{"parallelism": {"lowerBound", "upperBound"}}`. */
function vertexResourceRequirements(k: SchemaKit) {
  return k.object({ parallelism: k.object({ lowerBound: z.number(), upperBound: z.number() }) });
}

/**
 * The body of `GET /jobs/:jobid/resource-requirements` (and of its `PUT`): per job vertex id, the
 * parallelism bounds. Only the adaptive scheduler supports it; with the default scheduler Flink
 * answers 500.
 */
export interface ResourceRequirements {
  /** The bounds of the vertex with this id. */
  [vertexId: string]: VertexResourceRequirements;
}

/**
 * A job's per-vertex parallelism bounds (adaptive scheduler).
 *
 * Validates `GET /jobs/:jobid/resource-requirements`: a top-level map vertex id →
 * `{"parallelism": {"lowerBound", "upperBound"}}`. The same shape is the body of `PUT`.
 */
export const ResourceRequirementsSchema = typedSchema<ResourceRequirements>()(defineSchema((k) => z.record(hexId(k), vertexResourceRequirements(k))));

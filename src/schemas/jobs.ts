import { z } from 'zod';
import { flinkDouble, hexId, numbersByName, opaqueJsonObject } from './common.js';
import { jobStatusEnum, KNOWN_JOB_STATUSES } from './job-status.js';
import { defineSchema, type SchemaKit, type SchemaOutput } from './schema-kit.js';

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

// ---------------------------------------------------------------------------------------------
// Shared builders

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
export const SerializedThrowableSchema = defineSchema(serializedThrowable);
/** A serialized Java throwable: its class name and stack trace text, plus opaque base64 bytes. */
export type SerializedThrowable = SchemaOutput<typeof SerializedThrowableSchema>;

/** The `{"id": "IN_PROGRESS" | "COMPLETED"}` status object of asynchronous operations and job results. */
export function queueStatus(k: SchemaKit) {
  return k.object({ id: k.openEnum(KNOWN_QUEUE_STATUSES) });
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

/** I/O metrics of a job vertex (`IOMetricsInfo`). */
function ioMetrics(k: SchemaKit) {
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

/**
 * Every job's id and status.
 *
 * Validates `GET /jobs`: `{"jobs": [{"id", "status"}]}`.
 */
export const JobIdsWithStatusSchema = defineSchema((k) =>
  k.object({
    jobs: z.array(k.object({ id: hexId(k), status: jobStatusEnum(k) })),
  }),
);
/** The body of `GET /jobs`. */
export type JobIdsWithStatus = SchemaOutput<typeof JobIdsWithStatusSchema>;

/**
 * One entry of the jobs overview.
 *
 * Validates an element of `GET /jobs/overview` → `jobs` (and of `GET /applications/:id` → `jobs`).
 */
export const JobOverviewSchema = defineSchema(jobOverview);
/** One job in `GET /jobs/overview`: id, name, state, times and task counts per state. */
export type JobOverview = SchemaOutput<typeof JobOverviewSchema>;

/**
 * Every job the cluster knows, with state and task counts, in one call.
 *
 * Validates `GET /jobs/overview`: `{"jobs": [...]}`. Kept to plain types: it must stay fast on
 * thousands of entries.
 */
export const JobsOverviewSchema = defineSchema((k) => k.object({ jobs: z.array(jobOverview(k)) }));
/** The body of `GET /jobs/overview`. */
export type JobsOverview = SchemaOutput<typeof JobsOverviewSchema>;

/**
 * A job's details: status, status timestamps, vertices with metrics, and its plan.
 *
 * Validates `GET /jobs/:jobid`. Flink 2.x adds `pending-operators` and, for jobs submitted as a
 * stream graph, `stream-graph`; 2.3 adds `application-id` and `schedulerType`.
 */
export const JobDetailsSchema = defineSchema((k) =>
  k.object({
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
  }),
);
/** The body of `GET /jobs/:jobid`. */
export type JobDetails = SchemaOutput<typeof JobDetailsSchema>;

/**
 * A job's current status.
 *
 * Validates `GET /jobs/:jobid/status`: `{"status"}`.
 */
export const JobStatusInfoSchema = defineSchema((k) => k.object({ status: jobStatusEnum(k) }));
/** The body of `GET /jobs/:jobid/status`. */
export type JobStatusInfo = SchemaOutput<typeof JobStatusInfoSchema>;

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

/**
 * A job's execution result once it is globally terminal.
 *
 * Validates `GET /jobs/:jobid/execution-result`: `{"status": {"id"}, "job-execution-result"?}`;
 * the result is absent while the status is `IN_PROGRESS`.
 */
export const JobExecutionResultResponseSchema = defineSchema((k) =>
  k.object({
    status: queueStatus(k),
    'job-execution-result': jobResult(k).optional(),
  }),
);
/** The body of `GET /jobs/:jobid/execution-result`. */
export type JobExecutionResultResponse = SchemaOutput<typeof JobExecutionResultResponseSchema>;

/**
 * A job's accumulators, as strings.
 *
 * Validates `GET /jobs/:jobid/accumulators`: `job-accumulators` (always empty),
 * `user-task-accumulators` `[{name, type, value}]`, and `serialized-user-task-accumulators` (name →
 * base64 Java serialization; filled only with `includeSerializedValue=true`, else `{}`).
 */
export const JobAccumulatorsSchema = defineSchema((k) =>
  k.object({
    'job-accumulators': z.array(k.object({})),
    'user-task-accumulators': z.array(k.object({ name: z.string(), type: z.string(), value: z.string() })),
    'serialized-user-task-accumulators': z.record(z.string(), z.string()).optional(),
  }),
);
/** The body of `GET /jobs/:jobid/accumulators`. */
export type JobAccumulators = SchemaOutput<typeof JobAccumulatorsSchema>;

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
 * A job's exception history, newest first.
 *
 * Validates `GET /jobs/:jobid/exceptions`: `{"exceptionHistory": {"entries", "truncated"}}`.
 * Flink 1.20 also sends the deprecated `root-exception`, `timestamp`, `all-exceptions` and
 * `truncated` at the top level; 2.x removed them.
 */
export const JobExceptionsSchema = defineSchema((k) =>
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
);
/** The body of `GET /jobs/:jobid/exceptions`. */
export type JobExceptions = SchemaOutput<typeof JobExceptionsSchema>;

/**
 * A job's execution configuration.
 *
 * Validates `GET /jobs/:jobid/config`: `{"jid", "name", "execution-config"?}` (the spec's
 * `jobId`/`jobName`/`executionConfigInfo` are wrong). `execution-config` is absent when the archived
 * config is missing; its `execution-mode` exists only in Flink 1.20.
 */
export const JobConfigSchema = defineSchema((k) =>
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
);
/** The body of `GET /jobs/:jobid/config`. */
export type JobConfig = SchemaOutput<typeof JobConfigSchema>;

/**
 * A job's plan (its job graph's vertices and edges).
 *
 * Validates `GET /jobs/:jobid/plan` and `POST /jars/:jarid/plan`: `{"plan": {jid, name, type, nodes}}`.
 */
export const JobPlanSchema = defineSchema((k) => k.object({ plan: jobPlanGraph(k) }));
/** The body of `GET /jobs/:jobid/plan`. */
export type JobPlan = SchemaOutput<typeof JobPlanSchema>;

/** The parallelism bounds of one vertex: `{"parallelism": {"lowerBound", "upperBound"}}`. */
function vertexResourceRequirements(k: SchemaKit) {
  return k.object({ parallelism: k.object({ lowerBound: z.number(), upperBound: z.number() }) });
}

/**
 * A job's per-vertex parallelism bounds (adaptive scheduler).
 *
 * Validates `GET /jobs/:jobid/resource-requirements`: a top-level map vertex id →
 * `{"parallelism": {"lowerBound", "upperBound"}}`. The same shape is the body of `PUT`.
 */
export const ResourceRequirementsSchema = defineSchema((k) => z.record(hexId(k), vertexResourceRequirements(k)));
/** Per-vertex parallelism bounds, keyed by job vertex id. */
export type ResourceRequirements = SchemaOutput<typeof ResourceRequirementsSchema>;

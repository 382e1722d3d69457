import { z } from 'zod';
import { hexId, numbersByName } from './common.js';
import { type ExecutionState, type IOMetrics, ioMetrics, KNOWN_EXECUTION_STATES } from './jobs.js';
import { defineSchema, type SchemaKit, typedSchema } from './schema-kit.js';

/** Percentiles and totals of one number over a vertex's subtasks (the web UI's aggregated rows). */
export interface SubtaskAggregate {
  /** The smallest value. */
  min: number;
  /** The largest value. */
  max: number;
  /** The mean. */
  avg: number;
  /** The sum over subtasks. */
  sum: number;
  /** The median. */
  median: number;
  /** The 25th percentile. */
  p25: number;
  /** The 75th percentile. */
  p75: number;
  /** The 95th percentile. */
  p95: number;
}

function subtaskAggregate(k: SchemaKit) {
  return k.object({ min: z.number(), max: z.number(), avg: z.number(), sum: z.number(), median: z.number(), p25: z.number(), p75: z.number(), p95: z.number() });
}

/**
 * Aggregates over a vertex's subtasks (Flink 1.19+, `AggregatedTaskDetailsInfo`): each I/O metric
 * and the time spent in each execution state.
 */
export interface SubtaskAggregates {
  /** Per I/O metric name (`read-bytes`, `write-records`, `accumulated-busy-time`, ...). */
  metrics: Record<string, SubtaskAggregate>;
  /** Per execution state (`RUNNING`, `DEPLOYING`, ...), ms spent in it. */
  'status-duration': Record<string, SubtaskAggregate>;
}

function subtaskAggregates(k: SchemaKit) {
  return k.object({ metrics: z.record(z.string(), subtaskAggregate(k)), 'status-duration': z.record(z.string(), subtaskAggregate(k)) });
}

/** One execution attempt of one subtask (`SubtaskExecutionAttemptDetailsInfo`). */
export interface SubtaskAttemptDetails {
  /** The subtask index, from 0. */
  subtask: number;
  /** The attempt's execution state. */
  status: ExecutionState;
  /** The attempt number, from 0 (it grows with every restart of the subtask). */
  attempt: number;
  /** The task manager's data endpoint, `host:port`. */
  endpoint: string;
  /** The task manager's host; Flink 1.x only (2.x removed it, use `endpoint`). */
  host?: string;
  /** When the attempt started deploying, ms since the epoch; -1 before. */
  'start-time': number;
  /** When it ended, ms since the epoch; -1 while it runs. */
  'end-time': number;
  /** ms it ran (so far). */
  duration: number;
  /** The data it exchanged with other tasks. */
  metrics: IOMetrics;
  /** The task manager's resource id. */
  'taskmanager-id': string;
  /** ms spent in each execution state so far. */
  'status-duration': Record<string, number>;
  /** The same as `start-time` (Flink sends both spellings). */
  start_time?: number;
  /** Other attempts running at the same time (speculative execution); absent without them. */
  'other-concurrent-attempts'?: SubtaskAttemptDetails[];
}

const attemptShape = (k: SchemaKit) => ({
  subtask: z.number(),
  status: k.openEnum(KNOWN_EXECUTION_STATES),
  attempt: z.number(),
  endpoint: z.string(),
  host: z.string().optional(),
  'start-time': z.number(),
  'end-time': z.number(),
  duration: z.number(),
  metrics: ioMetrics(k),
  'taskmanager-id': z.string(),
  'status-duration': numbersByName(k, KNOWN_EXECUTION_STATES),
  start_time: z.number().optional(),
});

function attemptDetails(k: SchemaKit): z.ZodType<SubtaskAttemptDetails> {
  return k.object({ ...attemptShape(k), 'other-concurrent-attempts': z.array(k.object(attemptShape(k))).optional() }) as z.ZodType<SubtaskAttemptDetails>;
}

/**
 * Validates `GET /jobs/:id/vertices/:v/subtasks/:i` (the current attempt) and
 * `…/subtasks/:i/attempts/:a`.
 */
export const SubtaskAttemptDetailsSchema = typedSchema<SubtaskAttemptDetails>()(defineSchema(attemptDetails));

/** The body of `GET /jobs/:id/vertices/:v` (`JobVertexDetailsInfo`): the vertex with every subtask. */
export interface VertexDetails {
  /** The vertex id. */
  id: string;
  /** The vertex name (its chained operators). */
  name: string;
  /** Its parallelism. */
  parallelism: number;
  /** Its maximum parallelism. */
  maxParallelism: number;
  /** The server's clock when it answered, ms since the epoch. */
  now: number;
  /** The current attempt of every subtask. */
  subtasks: SubtaskAttemptDetails[];
  /** Aggregates over the subtasks (Flink 1.19+). */
  aggregated?: SubtaskAggregates;
}

/** Validates `GET /jobs/:id/vertices/:v`. */
export const VertexDetailsSchema = typedSchema<VertexDetails>()(defineSchema((k) =>
  k.object({
    id: hexId(k),
    name: z.string(),
    parallelism: z.number(),
    maxParallelism: z.number(),
    now: z.number(),
    subtasks: z.array(attemptDetails(k)),
    aggregated: subtaskAggregates(k).optional(),
  }),
));

/** One user accumulator of a vertex or subtask (`UserAccumulator`). */
export interface UserAccumulator {
  /** Its name. */
  name: string;
  /** Its Java class (simple name). */
  type: string;
  /** Its `toString()`: a string, also for numbers. */
  value: string;
}

function userAccumulator(k: SchemaKit) {
  return k.object({ name: z.string(), type: z.string(), value: z.string() });
}

/** The body of `GET /jobs/:id/vertices/:v/accumulators`: user accumulators summed over subtasks. */
export interface VertexAccumulators {
  /** The vertex id. */
  id: string;
  /** The accumulators. */
  'user-accumulators': UserAccumulator[];
}

/** Validates `GET /jobs/:id/vertices/:v/accumulators`. */
export const VertexAccumulatorsSchema = typedSchema<VertexAccumulators>()(defineSchema((k) =>
  k.object({ id: hexId(k), 'user-accumulators': z.array(userAccumulator(k)) }),
));

/** The accumulators of one subtask's current attempt. */
export interface SubtaskAccumulators {
  /** The subtask index. */
  subtask: number;
  /** The attempt number. */
  attempt: number;
  /** The task manager's data endpoint. */
  endpoint: string;
  /** The task manager's host; Flink 1.x only. */
  host?: string;
  /** The accumulators. */
  'user-accumulators': UserAccumulator[];
}

/** The body of `GET /jobs/:id/vertices/:v/subtasks/accumulators`. */
export interface SubtasksAccumulators {
  /** The vertex id. */
  id: string;
  /** The vertex's parallelism. */
  parallelism: number;
  /** Per subtask. */
  subtasks: SubtaskAccumulators[];
}

/** Validates `GET /jobs/:id/vertices/:v/subtasks/accumulators`. */
export const SubtasksAccumulatorsSchema = typedSchema<SubtasksAccumulators>()(defineSchema((k) =>
  k.object({
    id: hexId(k),
    parallelism: z.number(),
    subtasks: z.array(k.object({ subtask: z.number(), attempt: z.number(), endpoint: z.string(), host: z.string().optional(), 'user-accumulators': z.array(userAccumulator(k)) })),
  }),
));

/** The body of `GET /jobs/:id/vertices/:v/subtasks/:i/attempts/:a/accumulators`. */
export interface AttemptAccumulators {
  /** The subtask index. */
  subtask: number;
  /** The attempt number. */
  attempt: number;
  /** The execution attempt id (32 hex characters, or Flink's longer attempt id string). */
  id: string;
  /** The accumulators. */
  'user-accumulators': UserAccumulator[];
}

/** Validates `GET /jobs/:id/vertices/:v/subtasks/:i/attempts/:a/accumulators`. */
export const AttemptAccumulatorsSchema = typedSchema<AttemptAccumulators>()(defineSchema((k) =>
  k.object({ subtask: z.number(), attempt: z.number(), id: z.string(), 'user-accumulators': z.array(userAccumulator(k)) }),
));

/** When each subtask entered each execution state. */
export interface SubtaskTimes {
  /** The subtask index. */
  subtask: number;
  /** The task manager's data endpoint. */
  endpoint: string;
  /** The task manager's host; Flink 1.x only. */
  host?: string;
  /** ms it ran (so far). */
  duration: number;
  /** Per execution state, when the subtask entered it, ms since the epoch; 0 for states it never reached. */
  timestamps: Record<string, number>;
}

/** The body of `GET /jobs/:id/vertices/:v/subtasktimes` (`SubtasksTimesInfo`). */
export interface VertexSubtaskTimes {
  /** The vertex id. */
  id: string;
  /** The vertex name. */
  name: string;
  /** The server's clock, ms since the epoch. */
  now: number;
  /** Per subtask. */
  subtasks: SubtaskTimes[];
}

/** Validates `GET /jobs/:id/vertices/:v/subtasktimes`. */
export const VertexSubtaskTimesSchema = typedSchema<VertexSubtaskTimes>()(defineSchema((k) =>
  k.object({
    id: hexId(k),
    name: z.string(),
    now: z.number(),
    subtasks: z.array(k.object({ subtask: z.number(), endpoint: z.string(), host: z.string().optional(), duration: z.number(), timestamps: numbersByName(k, KNOWN_EXECUTION_STATES) })),
  }),
));

/** A vertex's subtasks on one task manager. */
export interface VertexTaskManager {
  /** The task manager's data endpoint. */
  endpoint: string;
  /** The task manager's host; Flink 1.x only. */
  host?: string;
  /** The state of the vertex's subtasks there, aggregated. */
  status: ExecutionState;
  /** When the first started, ms since the epoch. */
  'start-time': number;
  /** When the last ended, ms since the epoch; -1 while any runs. */
  'end-time': number;
  /** ms they ran. */
  duration: number;
  /** Their data exchange, summed. */
  metrics: IOMetrics;
  /** Subtasks per execution state. */
  'status-counts': Record<string, number>;
  /** The task manager's resource id. */
  'taskmanager-id': string;
  /** Aggregates over these subtasks (Flink 1.19+). */
  aggregated?: SubtaskAggregates;
}

/** The body of `GET /jobs/:id/vertices/:v/taskmanagers` (`JobVertexTaskManagersInfo`). */
export interface VertexTaskManagers {
  /** The vertex id. */
  id: string;
  /** The vertex name. */
  name: string;
  /** The server's clock, ms since the epoch. */
  now: number;
  /** One entry per task manager running subtasks of the vertex. */
  taskmanagers: VertexTaskManager[];
}

/** Validates `GET /jobs/:id/vertices/:v/taskmanagers`. */
export const VertexTaskManagersSchema = typedSchema<VertexTaskManagers>()(defineSchema((k) =>
  k.object({
    id: hexId(k),
    name: z.string(),
    now: z.number(),
    taskmanagers: z.array(
      k.object({
        endpoint: z.string(),
        host: z.string().optional(),
        status: k.openEnum(KNOWN_EXECUTION_STATES),
        'start-time': z.number(),
        'end-time': z.number(),
        duration: z.number(),
        metrics: ioMetrics(k),
        'status-counts': numbersByName(k, KNOWN_EXECUTION_STATES),
        'taskmanager-id': z.string(),
        aggregated: subtaskAggregates(k).optional(),
      }),
    ),
  }),
));

/** Back-pressure levels (`VertexBackPressureLevel`), lower case on the wire. */
export const KNOWN_BACKPRESSURE_LEVELS = ['ok', 'low', 'high'] as const;

/** A back-pressure level: `ok` (ratio ≤ 0.1), `low` (≤ 0.5) or `high`. */
export type BackpressureLevel = (typeof KNOWN_BACKPRESSURE_LEVELS)[number] | (string & {});

/** The back pressure of one subtask. */
export interface SubtaskBackpressure {
  /** The subtask index. */
  subtask: number;
  /** The attempt number; sent with speculative execution only. */
  attemptNumber?: number;
  /** Its level. */
  backpressureLevel: BackpressureLevel;
  /** The same level under its older name. */
  'backpressure-level'?: BackpressureLevel;
  /** Share of time back-pressured, 0 to 1. */
  ratio: number;
  /** Share of time idle, 0 to 1. */
  idleRatio: number;
  /** Share of time busy, 0 to 1. */
  busyRatio: number;
  /** Other attempts of the subtask (speculative execution). */
  'other-concurrent-attempts'?: Omit<SubtaskBackpressure, 'other-concurrent-attempts'>[];
}

/**
 * The body of `GET /jobs/:id/vertices/:v/backpressure` (`JobVertexBackPressureInfo`). `status` is
 * `deprecated` while Flink has no back-pressure data for the vertex yet (the call started
 * gathering it: ask again); then `ok` with the levels, derived from the subtasks'
 * `backPressuredTimeMsPerSecond`, `idleTimeMsPerSecond` and `busyTimeMsPerSecond` metrics.
 */
export interface VertexBackpressure {
  /** `ok` when the data is there, `deprecated` while it is being gathered. */
  status: 'ok' | 'deprecated' | (string & {});
  /** The vertex's level: the highest of its subtasks'. Absent while `deprecated`. */
  backpressureLevel?: BackpressureLevel;
  /** The same level under its older name. */
  'backpressure-level'?: BackpressureLevel;
  /** When the data was taken, ms since the epoch. */
  'end-timestamp'?: number;
  /** Per subtask. */
  subtasks?: SubtaskBackpressure[];
}

const subtaskBackpressureShape = (k: SchemaKit) => ({
  subtask: z.number(),
  attemptNumber: z.number().optional(),
  backpressureLevel: k.openEnum(KNOWN_BACKPRESSURE_LEVELS),
  'backpressure-level': k.openEnum(KNOWN_BACKPRESSURE_LEVELS).optional(),
  ratio: z.number(),
  idleRatio: z.number(),
  busyRatio: z.number(),
});

/** Validates `GET /jobs/:id/vertices/:v/backpressure`. */
export const VertexBackpressureSchema = typedSchema<VertexBackpressure>()(defineSchema((k) =>
  k.object({
    status: k.openEnum(['ok', 'deprecated']),
    backpressureLevel: k.openEnum(KNOWN_BACKPRESSURE_LEVELS).optional(),
    'backpressure-level': k.openEnum(KNOWN_BACKPRESSURE_LEVELS).optional(),
    'end-timestamp': z.number().optional(),
    subtasks: z.array(k.object({ ...subtaskBackpressureShape(k), 'other-concurrent-attempts': z.array(k.object(subtaskBackpressureShape(k))).optional() })).optional(),
  }),
));

/** One frame of a flame graph: a stack location and how many samples passed through it. */
export interface FlameGraphNode {
  /** `class.method:line`, or `root`. */
  name: string;
  /** Samples that passed through this frame. */
  value: number;
  /** The frames it called. */
  children: FlameGraphNode[];
}

function flameGraphNode(k: SchemaKit): z.ZodType<FlameGraphNode> {
  // z.lazy: the in-place fast check declines lazy schemas and leaves the recursion to zod.
  const node: z.ZodType<FlameGraphNode> = k.object({
    name: z.string(),
    value: z.number(),
    children: z.lazy(() => z.array(node)),
  }) as unknown as z.ZodType<FlameGraphNode>;
  return node;
}

/**
 * The body of `GET /jobs/:id/vertices/:v/flamegraph` (`VertexFlameGraph`). `endTimestamp` is the
 * time the samples were taken, or a marker: -1 the tasks are not running, -2 flame graphs are
 * disabled (`rest.flamegraph.enabled`), -3 the first samples are still being taken.
 */
export interface VertexFlameGraph {
  /** When the samples were taken (ms since the epoch), or -1 / -2 / -3 (see above). */
  endTimestamp: number;
  /** The graph; absent with a marker. */
  data?: FlameGraphNode;
}

/** Validates `GET /jobs/:id/vertices/:v/flamegraph`. */
export const VertexFlameGraphSchema = typedSchema<VertexFlameGraph>()(defineSchema((k) =>
  k.object({ endTimestamp: z.number(), data: flameGraphNode(k).optional() }),
));

import type { RequestOptions, WaitOptions } from '../options/request-options.js';
import type { TaskCheckpointDetails } from '../schemas/checkpoints.js';
import type { AggregatedMetrics, MetricAggregation, MetricValues } from '../schemas/metrics.js';
import type {
  AttemptAccumulators,
  SubtaskAttemptDetails,
  SubtasksAccumulators,
  VertexAccumulators,
  VertexBackpressure,
  VertexDetails,
  VertexFlameGraph,
  VertexSubtaskTimes,
  VertexTaskManagers,
} from '../schemas/vertices.js';

/** One subtask's watermark. */
export interface SubtaskWatermark {
  /** The subtask index. */
  subtask: number;
  /** Its current input watermark, ms since the epoch; `null` before the first one (Flink sends Long.MIN_VALUE). */
  watermark: number | null;
}

/** Parameters of {@link VertexClient.flameGraph}. */
export interface FlameGraphParams {
  /** Which threads' samples: on CPU, off CPU, or both. @default 'FULL' */
  type?: 'FULL' | 'ON_CPU' | 'OFF_CPU';
  /** One subtask only (Flink 1.17+); all subtasks by default. */
  subtaskIndex?: number;
}

/** Parameters of {@link VertexClient.aggregatedSubtaskMetrics}. */
export interface SubtaskMetricsParams {
  /** The aggregations to compute. @default all five */
  agg?: readonly MetricAggregation[];
  /** Only these subtask indexes. @default every subtask */
  subtasks?: readonly number[];
}

/**
 * A handle on one job vertex (`job.vertex(id)`, ids from `job.describe()`): subtasks, attempts,
 * accumulators, metrics, watermarks, back pressure, flame graphs. Sends nothing when made; the
 * vertex id is checked (32 hex characters).
 *
 * @example
 * ```ts
 * const [source] = (await job.describe()).vertices;
 * const vertex = job.vertex(source.id);
 * const bp = await vertex.backpressure();
 * console.log(bp.backpressureLevel, await vertex.aggregatedSubtaskMetrics(['numRecordsOutPerSecond']));
 * ```
 */
export interface VertexClient {
  /** The job id. */
  readonly jobId: string;
  /** The vertex id. */
  readonly vertexId: string;
  /**
   * The vertex and the current attempt of each subtask (`GET /jobs/:id/vertices/:v`).
   *
   * @throws FlinkNotFoundError when the job has no such vertex; JobNotFoundError for an unknown job.
   */
  describe(options?: RequestOptions): Promise<VertexDetails>;
  /** User accumulators summed over subtasks (`…/accumulators`). */
  accumulators(options?: RequestOptions): Promise<VertexAccumulators>;
  /** User accumulators per subtask (`…/subtasks/accumulators`). */
  subtaskAccumulators(options?: RequestOptions): Promise<SubtasksAccumulators>;
  /**
   * The current attempt of one subtask (`…/subtasks/:i`).
   *
   * @throws FlinkArgumentError for an index that is not a non-negative integer; FlinkNotFoundError past the parallelism.
   */
  subtask(index: number, options?: RequestOptions): Promise<SubtaskAttemptDetails>;
  /** One attempt of one subtask (`…/subtasks/:i/attempts/:a`). */
  attempt(index: number, attempt: number, options?: RequestOptions): Promise<SubtaskAttemptDetails>;
  /** The accumulators of one attempt (`…/subtasks/:i/attempts/:a/accumulators`). */
  attemptAccumulators(index: number, attempt: number, options?: RequestOptions): Promise<AttemptAccumulators>;
  /** When each subtask entered each state (`…/subtasktimes`). */
  subtaskTimes(options?: RequestOptions): Promise<VertexSubtaskTimes>;
  /** The vertex's subtasks per TaskManager (`…/taskmanagers`). */
  taskManagers(options?: RequestOptions): Promise<VertexTaskManagers>;
  /**
   * Each subtask's current input watermark (`…/watermarks`). A source reports none (it makes
   * watermarks); a subtask that has seen none yet reports `null`.
   */
  watermarks(options?: RequestOptions): Promise<SubtaskWatermark[]>;
  /**
   * The back pressure of the vertex and each subtask (`…/backpressure`). Flink answers
   * `status: "deprecated"` while it has no data yet (the call starts gathering it); this method
   * then asks again until the status is `ok` (the wait's `timeoutMs` bounds that), so the answer
   * carries the levels. Pass `{ wait: false }` to get the first answer as it is.
   *
   * @throws FlinkTimeoutError (phase `wait`) when the data does not arrive in time.
   * @example
   * ```ts
   * const { backpressureLevel, subtasks } = await vertex.backpressure({ timeoutMs: 30_000 });
   * ```
   */
  backpressure(options?: WaitOptions & { wait?: boolean }): Promise<VertexBackpressure>;
  /**
   * A flame graph of the vertex's threads (`…/flamegraph`), waiting for the first samples
   * (Flink answers `endTimestamp: -3` while it takes them).
   *
   * @throws FeatureDisabledError when the cluster runs without `rest.flamegraph.enabled: true`.
   * @throws UnreachableStateError when the vertex's tasks are not running (Flink answers `endTimestamp: -1`).
   * @throws FlinkTimeoutError (phase `wait`) when no samples arrive in time.
   */
  flameGraph(params?: FlameGraphParams, options?: WaitOptions): Promise<VertexFlameGraph>;
  /** This vertex's part in one checkpoint, per subtask (`GET /jobs/:id/checkpoints/details/:cp/subtasks/:v`). */
  checkpointDetails(checkpointId: number, options?: RequestOptions): Promise<TaskCheckpointDetails>;
  /** The names of the vertex's metrics (`…/metrics`): per subtask, prefixed `<index>.`. */
  metricNames(options?: RequestOptions): Promise<string[]>;
  /**
   * Values of named vertex metrics (`…/metrics?get=`), such as `0.numRecordsOut` (subtask 0).
   *
   * @throws FlinkArgumentError for an empty list or a name with a comma.
   */
  metrics(names: readonly string[], options?: RequestOptions): Promise<MetricValues>;
  /** The names of the metrics every subtask has (`…/subtasks/metrics`), without subtask prefix. */
  subtaskMetricNames(options?: RequestOptions): Promise<string[]>;
  /**
   * Named metrics aggregated over the subtasks (`…/subtasks/metrics?get=&agg=&subtasks=`): min,
   * max, avg, sum and skew as numbers.
   *
   * @example
   * ```ts
   * const { busyTimeMsPerSecond } = await vertex.aggregatedSubtaskMetrics(['busyTimeMsPerSecond'], { agg: ['max', 'avg'] });
   * ```
   */
  aggregatedSubtaskMetrics(names: readonly string[], params?: SubtaskMetricsParams, options?: RequestOptions): Promise<AggregatedMetrics>;
  /** Values of one subtask's named metrics (`…/subtasks/:i/metrics?get=`). */
  subtaskMetrics(index: number, names: readonly string[], options?: RequestOptions): Promise<MetricValues>;
  /** The names of the JobManager-side operator metrics (`…/jm-operator-metrics`, such as a source coordinator's). */
  jobManagerOperatorMetricNames(options?: RequestOptions): Promise<string[]>;
  /** Values of named JobManager-side operator metrics (`…/jm-operator-metrics?get=`). */
  jobManagerOperatorMetrics(names: readonly string[], options?: RequestOptions): Promise<MetricValues>;
}

/** Parameters of `job.vertexMetrics()`. */
export interface VertexMetricsParams {
  /** The aggregations over each vertex's subtasks. @default all five */
  agg?: readonly MetricAggregation[];
  /** Only these vertex ids; every vertex of the job by default (one more request to list them). */
  vertices?: readonly string[];
}

/** One vertex's metrics in `job.vertexMetrics()`. */
export interface JobVertexMetrics {
  /** The vertex id. */
  vertexId: string;
  /** The vertex name, when the vertices were listed (not when passed in). */
  name?: string;
  /** Each metric aggregated over the vertex's subtasks; metrics the vertex lacks are left out. */
  metrics: AggregatedMetrics;
}

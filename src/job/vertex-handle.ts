import type { ClientContext } from '../context/client-context.js';
import type { FlameGraphParams, SubtaskMetricsParams, SubtaskWatermark, VertexClient } from '../context/vertex-types.js';
import { FeatureDisabledError } from '../errors/feature-disabled-error.js';
import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import { UnreachableStateError } from '../errors/unreachable-state-error.js';
import type { ResourceRef } from '../http/map-error.js';
import { checkId } from '../internal/ids.js';
import { pollUntil } from '../operations/poll.js';
import { waitSettings } from '../operations/wait-settings.js';
import type { RequestOptions, WaitOptions } from '../options/request-options.js';
import { type TaskCheckpointDetails, TaskCheckpointDetailsSchema } from '../schemas/checkpoints.js';
import type { AggregatedMetrics, MetricValues } from '../schemas/metrics.js';
import { MetricCollectionSchema } from '../schemas/metrics.js';
import {
  type AttemptAccumulators,
  AttemptAccumulatorsSchema,
  type SubtaskAttemptDetails,
  SubtaskAttemptDetailsSchema,
  type SubtasksAccumulators,
  SubtasksAccumulatorsSchema,
  type VertexAccumulators,
  VertexAccumulatorsSchema,
  type VertexBackpressure,
  VertexBackpressureSchema,
  type VertexDetails,
  VertexDetailsSchema,
  type VertexFlameGraph,
  VertexFlameGraphSchema,
  type VertexSubtaskTimes,
  VertexSubtaskTimesSchema,
  type VertexTaskManagers,
  VertexTaskManagersSchema,
} from '../schemas/vertices.js';
import { type MetricRoute, readAggregatedMetrics, readMetricNames, readMetrics } from './metric-reader.js';

/** Sampling takes a few seconds: ask every 500 ms, then up to every 2 s. */
const SAMPLING_PACE = { intervalMs: 500, maxIntervalMs: 2_000 };
/** Flink's `Long.MIN_VALUE`: "no watermark yet". */
const NO_WATERMARK = -9223372036854775808n;

/** Checks a subtask index or attempt number: a non-negative integer. */
export function checkIndex(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new FlinkArgumentError(name, `expected a non-negative integer, got ${String(value)}`);
  return value;
}

/** The vertex handle: one path prefix, one pipeline call per method. */
export class VertexHandle implements VertexClient {
  readonly jobId: string;
  readonly vertexId: string;
  readonly #context: ClientContext;
  readonly #base: string;
  readonly #resource: ResourceRef;

  constructor(context: ClientContext, jobId: string, vertexId: string) {
    this.#context = context;
    this.jobId = jobId;
    this.vertexId = checkId('vertexId', vertexId);
    this.#base = `/jobs/${jobId}/vertices/${this.vertexId}`;
    this.#resource = { kind: 'job', jobId, part: true };
  }

  #get<T>(suffix: string, schema: Parameters<ClientContext['pipeline']['request']>[0]['schema'] & object, options?: RequestOptions, query?: Record<string, string | undefined>): Promise<T> {
    return this.#context.pipeline.request({ method: 'GET', path: this.#base + suffix, query, schema, resource: this.#resource }, options) as Promise<T>;
  }

  #metrics(suffix: string): MetricRoute {
    return { pipeline: this.#context.pipeline, path: this.#base + suffix, resource: this.#resource };
  }

  describe(options?: RequestOptions): Promise<VertexDetails> {
    return this.#get('', VertexDetailsSchema, options);
  }

  accumulators(options?: RequestOptions): Promise<VertexAccumulators> {
    return this.#get('/accumulators', VertexAccumulatorsSchema, options);
  }

  subtaskAccumulators(options?: RequestOptions): Promise<SubtasksAccumulators> {
    return this.#get('/subtasks/accumulators', SubtasksAccumulatorsSchema, options);
  }

  async subtask(index: number, options?: RequestOptions): Promise<SubtaskAttemptDetails> {
    return this.#get(`/subtasks/${checkIndex('index', index)}`, SubtaskAttemptDetailsSchema, options);
  }

  async attempt(index: number, attempt: number, options?: RequestOptions): Promise<SubtaskAttemptDetails> {
    return this.#get(`/subtasks/${checkIndex('index', index)}/attempts/${checkIndex('attempt', attempt)}`, SubtaskAttemptDetailsSchema, options);
  }

  async attemptAccumulators(index: number, attempt: number, options?: RequestOptions): Promise<AttemptAccumulators> {
    return this.#get(`/subtasks/${checkIndex('index', index)}/attempts/${checkIndex('attempt', attempt)}/accumulators`, AttemptAccumulatorsSchema, options);
  }

  subtaskTimes(options?: RequestOptions): Promise<VertexSubtaskTimes> {
    return this.#get('/subtasktimes', VertexSubtaskTimesSchema, options);
  }

  taskManagers(options?: RequestOptions): Promise<VertexTaskManagers> {
    return this.#get('/taskmanagers', VertexTaskManagersSchema, options);
  }

  async watermarks(options?: RequestOptions): Promise<SubtaskWatermark[]> {
    const entries = await this.#context.pipeline.request(
      { method: 'GET', path: `${this.#base}/watermarks`, schema: MetricCollectionSchema, alwaysValidate: true, resource: this.#resource },
      options,
    );
    const out: SubtaskWatermark[] = [];
    for (const { id, value } of entries) {
      const m = /^(\d+)\.currentInputWatermark$/.exec(id);
      if (!m || value === undefined || !/^-?\d+$/.test(value.trim())) continue;
      const raw = BigInt(value.trim());
      out.push({ subtask: Number(m[1]), watermark: raw === NO_WATERMARK ? null : Number(raw) });
    }
    return out.sort((a, b) => a.subtask - b.subtask);
  }

  async backpressure(options: WaitOptions & { wait?: boolean } = {}): Promise<VertexBackpressure> {
    const { wait, ...waitOptions } = options;
    if (wait !== undefined && typeof wait !== 'boolean') throw new FlinkArgumentError('options.wait', 'expected a boolean');
    const settings = waitSettings(waitOptions, this.#context.waits, SAMPLING_PACE, `back pressure of vertex ${this.vertexId}`);
    const read = (signal: AbortSignal | undefined): Promise<VertexBackpressure> =>
      this.#context.pipeline.request(
        { method: 'GET', path: `${this.#base}/backpressure`, schema: VertexBackpressureSchema, alwaysValidate: true, resource: this.#resource },
        { ...settings.request, signal },
      );
    if (wait === false) return read(waitOptions.signal);
    return pollUntil(read, (b) => b.status !== 'deprecated', settings);
  }

  async flameGraph(params: FlameGraphParams = {}, options?: WaitOptions): Promise<VertexFlameGraph> {
    if (typeof params !== 'object' || params === null) throw new FlinkArgumentError('params', 'expected an object');
    const type = params.type ?? 'FULL';
    if (!['FULL', 'ON_CPU', 'OFF_CPU'].includes(type)) throw new FlinkArgumentError('params.type', 'expected FULL, ON_CPU or OFF_CPU');
    const subtaskIndex = params.subtaskIndex === undefined ? undefined : String(checkIndex('params.subtaskIndex', params.subtaskIndex));
    const settings = waitSettings(options, this.#context.waits, SAMPLING_PACE, `flame graph of vertex ${this.vertexId}`);
    const graph = await pollUntil(
      (signal) =>
        this.#context.pipeline.request(
          { method: 'GET', path: `${this.#base}/flamegraph`, query: { type, subtaskindex: subtaskIndex }, schema: VertexFlameGraphSchema, alwaysValidate: true, resource: this.#resource },
          { ...settings.request, signal },
        ),
      (g) => g.endTimestamp !== -3,
      settings,
    );
    if (graph.endTimestamp === -2) throw new FeatureDisabledError({ feature: 'flame graphs', setting: 'rest.flamegraph.enabled: true' });
    if (graph.endTimestamp === -1) throw new UnreachableStateError({ resource: 'job', id: this.jobId, state: 'not running', awaited: `a flame graph of vertex ${this.vertexId}, whose tasks are not running` });
    return graph;
  }

  async checkpointDetails(checkpointId: number, options?: RequestOptions): Promise<TaskCheckpointDetails> {
    const id = checkIndex('checkpointId', checkpointId);
    return this.#context.pipeline.request(
      { method: 'GET', path: `/jobs/${this.jobId}/checkpoints/details/${id}/subtasks/${this.vertexId}`, schema: TaskCheckpointDetailsSchema, resource: this.#resource },
      options,
    );
  }

  metricNames(options?: RequestOptions): Promise<string[]> {
    return readMetricNames(this.#metrics('/metrics'), false, options);
  }

  async metrics(names: readonly string[], options?: RequestOptions): Promise<MetricValues> {
    return readMetrics(this.#metrics('/metrics'), names, options);
  }

  subtaskMetricNames(options?: RequestOptions): Promise<string[]> {
    return readMetricNames(this.#metrics('/subtasks/metrics'), true, options);
  }

  async aggregatedSubtaskMetrics(names: readonly string[], params: SubtaskMetricsParams = {}, options?: RequestOptions): Promise<AggregatedMetrics> {
    if (typeof params !== 'object' || params === null) throw new FlinkArgumentError('params', 'expected an object');
    let subtasks: string | undefined;
    if (params.subtasks !== undefined) {
      if (!Array.isArray(params.subtasks) || params.subtasks.length === 0) throw new FlinkArgumentError('params.subtasks', 'expected a non-empty array of subtask indexes');
      subtasks = params.subtasks.map((i) => checkIndex('params.subtasks', i)).join(',');
    }
    return readAggregatedMetrics({ ...this.#metrics('/subtasks/metrics'), query: { subtasks } }, names, params.agg, options);
  }

  async subtaskMetrics(index: number, names: readonly string[], options?: RequestOptions): Promise<MetricValues> {
    return readMetrics(this.#metrics(`/subtasks/${checkIndex('index', index)}/metrics`), names, options);
  }

  jobManagerOperatorMetricNames(options?: RequestOptions): Promise<string[]> {
    return readMetricNames(this.#metrics('/jm-operator-metrics'), false, options);
  }

  async jobManagerOperatorMetrics(names: readonly string[], options?: RequestOptions): Promise<MetricValues> {
    return readMetrics(this.#metrics('/jm-operator-metrics'), names, options);
  }
}

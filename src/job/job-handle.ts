import { JobFailedError } from '../errors/job-failed-error.js';
import { FlinkTimeoutError } from '../errors/flink-timeout-error.js';
import { JobNotFoundError } from '../errors/job-not-found-error.js';
import { UnreachableStateError } from '../errors/unreachable-state-error.js';
import type { ClientContext } from '../context/client-context.js';
import type { ApplicationClient, JobClient } from '../context/handles.js';
import type { JobResult, RescaleTarget, StopWithSavepointParams, TriggerCheckpointParams, TriggerSavepointParams, JobStatusTarget } from '../context/job-types.js';
import { checkId, newId } from '../internal/ids.js';
import { summarizeThrowable } from '../internal/throwable.js';
import { traced } from '../internal/telemetry.js';
import { APPLICATIONS_SINCE, RESCALES_SINCE, versionAtLeast } from '../internal/flink-version.js';
import type { AsyncOperation } from '../operations/async-operation.js';
import { checkpointDriver, savepointDriver } from '../operations/operation-drivers.js';
import type { OperationDriver, Retrigger } from '../operations/operation-handle.js';
import { pollUntil } from '../operations/poll.js';
import { checkOptions } from '../options/check-options.js';
import { exceptionsParams, rescaleTarget, stopWithSavepointParams, triggerCheckpointParams, triggerSavepointParams } from '../options/param-schemas.js';
import { STATUS_PACE, waitForState } from '../operations/wait-for-state.js';
import { type WaitPoll, waitSettings } from '../operations/wait-settings.js';
import type { RequestOptions, WaitOptions } from '../options/request-options.js';
import { type CheckpointConfig, CheckpointConfigSchema, type CheckpointingStatistics, CheckpointingStatisticsSchema } from '../schemas/checkpoints.js';
import { isGloballyTerminalJobStatus, type JobStatus } from '../schemas/job-status.js';
import {
  type JobAccumulators,
  JobAccumulatorsSchema,
  type JobConfig,
  JobConfigSchema,
  type JobDetails,
  JobDetailsSchema,
  type JobExceptions,
  JobExceptionsSchema,
  JobExecutionResultResponseSchema,
  type JobPlan,
  JobPlanSchema,
  JobStatusInfoSchema,
  type ResourceRequirements,
  ResourceRequirementsSchema,
} from '../schemas/jobs.js';
import { EmptyResponseSchema, TriggerResponseSchema } from '../schemas/operations.js';
import { watchOne } from '../watch/watch-one.js';
import type { JobVertexMetrics, VertexClient, VertexMetricsParams } from '../context/vertex-types.js';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.js';
import { FeatureDisabledError } from '../errors/feature-disabled-error.js';
import { FlinkApiError } from '../errors/flink-api-error.js';
import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import { type ConfigEntries, ConfigEntriesSchema } from '../schemas/cluster.js';
import { type CheckpointStatistics, CheckpointDetailsSchema } from '../schemas/checkpoints.js';
import { type EnvironmentInfo, EnvironmentInfoSchema, type LogUrl, LogUrlSchema } from '../schemas/managers.js';
import type { MetricValues } from '../schemas/metrics.js';
import {
  type RescaleConfig,
  RescaleConfigSchema,
  type RescaleDetails,
  RescaleDetailsSchema,
  RescaleHistorySchema,
  type RescalesOverview,
  RescalesOverviewSchema,
  type RescaleSummary,
  RescaleSummarySchema,
} from '../schemas/rescales.js';
import type { DualSchema } from '../schemas/schema-kit.js';
import { checkTaskManagerId } from '../internal/ids.js';
import { checkMetricNames, readAggregatedMetrics, readMetricNames, readMetrics } from './metric-reader.js';
import { checkIndex, VertexHandle } from './vertex-handle.js';
import type { JobChange, JobWatchOptions } from '../watch/watch-types.js';

/** How long result() waits for Flink's per-job REST cache (3 s by default) to show final accumulators. */
const FINAL_ACCUMULATORS_WAIT_MS = 5_000;

/**
 * Whether a job can take a checkpoint or savepoint: it is RUNNING and every subtask of every
 * vertex is RUNNING (or FINISHED: Flink checkpoints jobs whose bounded parts ended). Flink fails a
 * checkpoint with `NOT_ALL_REQUIRED_TASKS_RUNNING` while any subtask is still scheduled, deploying
 * or initializing (restoring state), which lasts seconds after the job itself reports RUNNING.
 */
function allTasksRunning(details: JobDetails): boolean {
  if (details.state !== 'RUNNING' || details.vertices.length === 0) return false;
  let running = 0;
  for (const vertex of details.vertices) {
    const up = (vertex.tasks.RUNNING ?? 0) + (vertex.tasks.FINISHED ?? 0);
    if (up < vertex.parallelism) return false;
    running += vertex.tasks.RUNNING ?? 0;
  }
  return running > 0;
}

/** The {@link JobClient} handle: a job id and the client's context, nothing else. */
export class JobHandle implements JobClient {
  /** The job id, 32 lowercase hex characters. */
  readonly jobId: string;
  readonly #context: ClientContext;
  #applicationId: string | undefined;

  /**
   * Makes a handle; use `cluster.job(id)`, `cluster.runJar(...)` or `application.jobs()` instead.
   * @internal
   */
  constructor(context: ClientContext, jobId: string, applicationId?: string) {
    this.#context = context;
    this.jobId = checkId('jobId', jobId);
    this.#applicationId = applicationId === undefined ? undefined : checkId('applicationId', applicationId);
  }

  /**
   * The id of the application the job belongs to. Flink 2.3 reports it in the job's details (a
   * job run with `runJar` is a single-job application with the job's id); before 2.3 every job is
   * its own single-job application, so it is the job id. Known without a request when the handle
   * came from `runJar` or `application.jobs()`.
   *
   * @throws JobNotFoundError when the cluster does not know the job.
   */
  async applicationId(options?: RequestOptions): Promise<string> {
    if (this.#applicationId) return this.#applicationId;
    if (!versionAtLeast(await this.#context.flinkVersion(options), APPLICATIONS_SINCE)) return (this.#applicationId = this.jobId);
    const details = await this.describe(options);
    return (this.#applicationId = details['application-id'] ?? this.jobId);
  }

  /**
   * A handle on the application the job belongs to (see {@link applicationId}).
   *
   * @example
   * ```ts
   * const app = await job.application();
   * console.log(await app.status());
   * ```
   */
  async application(options?: RequestOptions): Promise<ApplicationClient> {
    return this.#context.handles.application(await this.applicationId(options));
  }

  get #resource(): { kind: 'job'; jobId: string } {
    return { kind: 'job', jobId: this.jobId };
  }

  /**
   * The job's current status (`RUNNING`, `FINISHED`, ...), from `GET /jobs/:id/status`.
   *
   * @throws JobNotFoundError when the cluster does not know the job.
   * @example
   * ```ts
   * if ((await job.status()) === 'RUNNING') { ... }
   * ```
   */
  async status(options?: RequestOptions): Promise<JobStatus> {
    const body = await this.#context.pipeline.request(
      { method: 'GET', path: `/jobs/${this.jobId}/status`, schema: JobStatusInfoSchema, alwaysValidate: true, resource: this.#resource },
      options,
    );
    return body.status;
  }

  /**
   * The job's details from `GET /jobs/:id`: name, status, timestamps of every status, vertices
   * with their metrics, the plan, and on Flink 2.3 its application id.
   *
   * @throws JobNotFoundError when the cluster does not know the job.
   */
  describe(options?: RequestOptions): Promise<JobDetails> {
    return this.#context.pipeline.request({ method: 'GET', path: `/jobs/${this.jobId}`, schema: JobDetailsSchema, resource: this.#resource }, options);
  }

  /**
   * Waits for the job to end and returns its result.
   *
   * Polls `GET /jobs/:id/execution-result` from 250 ms, growing to 3 s (Flink's
   * `web.refresh-interval`: polling faster only returns cached state). Brief connection failures
   * and 503s are ridden out. A FINISHED job resolves with its net runtime and user accumulators.
   *
   * @throws JobFailedError when the job ends FAILED or CANCELED, with the root cause text.
   * @throws FlinkTimeoutError (phase `wait`) when `timeoutMs` passes first (default ten minutes;
   *   pass `Infinity` for a streaming job you expect to run indefinitely).
   * @throws FlinkAbortError when the signal fires.
   * @throws JobNotFoundError when the cluster does not know the job.
   * @example
   * ```ts
   * const { netRuntimeMs, accumulators } = await job.result({ timeoutMs: 60_000 });
   * ```
   */
  async result(options?: WaitOptions): Promise<JobResult> {
    const settings = waitSettings(options, this.#context.waits, STATUS_PACE, `job ${this.jobId} result`, { name: 'flink.job.result', attributes: { 'flink.job.id': this.jobId } });
    const body = await pollUntil(
      (signal) =>
        this.#context.pipeline.request(
          {
            method: 'GET',
            path: `/jobs/${this.jobId}/execution-result`,
            schema: JobExecutionResultResponseSchema,
            alwaysValidate: true,
            resource: this.#resource,
          },
          { ...settings.request, signal },
        ),
      (b) => b.status.id === 'COMPLETED',
      settings,
    );
    const result = body['job-execution-result'];
    const outcome = result?.['application-status'];
    if (outcome !== 'SUCCEEDED') {
      throw new JobFailedError({
        jobId: this.jobId,
        status: outcome === 'FAILED' || outcome === 'CANCELED' ? outcome : (outcome ?? 'UNKNOWN'),
        ...summarizeThrowable(result?.['failure-cause']),
      });
    }
    const accumulatorNames = Object.keys(result?.['accumulator-results'] ?? {});
    const accumulators = await this.#finalAccumulators(accumulatorNames, settings);
    return {
      jobId: this.jobId,
      status: 'FINISHED',
      netRuntimeMs: result?.['net-runtime'] ?? 0,
      accumulators,
      accumulatorNames,
      applicationId: result?.['application-id'] ?? undefined,
    };
  }

  /**
   * The user accumulators of a job that just finished. Flink serves `/jobs/:id/accumulators` from
   * a per-job cache kept for `web.refresh-interval` (3 s): a job read shortly before it ended
   * still shows its running accumulators, often none. So the read is repeated until every
   * accumulator the execution result names is there, for a little longer than that cache lives;
   * after that the freshest answer stands.
   */
  async #finalAccumulators(names: readonly string[], wait: WaitPoll): Promise<JobResult['accumulators']> {
    const complete = (acc: JobAccumulators): boolean => names.every((n) => acc['user-task-accumulators'].some((a) => a.name === n));
    let acc: JobAccumulators | undefined;
    try {
      acc = await pollUntil((signal) => this.accumulators({ ...wait.request, signal }), complete, {
        ...wait,
        span: undefined,
        intervalMs: 250,
        maxIntervalMs: 1_000,
        timeoutMs: FINAL_ACCUMULATORS_WAIT_MS,
        target: `job ${this.jobId} accumulators`,
      });
    } catch (err) {
      if (err instanceof FlinkTimeoutError && err.phase === 'wait') acc = err.lastValue as JobAccumulators | undefined;
      // The archive may already have dropped a job that finished long ago; the result stands.
      else if (!(err instanceof JobNotFoundError)) throw err;
    }
    return Object.fromEntries((acc?.['user-task-accumulators'] ?? []).map((a) => [a.name, { type: a.type, value: a.value }]));
  }

  /**
   * Polls the job's status until it matches `target`, and returns the status reached.
   *
   * @throws UnreachableStateError when the job reaches a terminal status that does not match.
   * @throws FlinkTimeoutError (phase `wait`, `lastValue` the last status) when `timeoutMs` passes.
   * @throws FlinkAbortError when the signal fires.
   * @example
   * ```ts
   * await job.waitFor('RUNNING', { timeoutMs: 60_000 });
   * await job.waitFor((s) => s === 'FINISHED' || s === 'CANCELED');
   * ```
   */
  waitFor(target: JobStatusTarget, options?: WaitOptions): Promise<JobStatus> {
    return waitForState({
      read: (o) => this.status(o),
      target,
      isTerminal: isGloballyTerminalJobStatus,
      resource: 'job',
      id: this.jobId,
      options,
      defaults: this.#context.waits,
    });
  }

  async ready(options?: WaitOptions): Promise<JobDetails> {
    const settings = waitSettings(options, this.#context.waits, STATUS_PACE, `job ${this.jobId} waiting for all tasks running`, { name: 'flink.job.ready', attributes: { 'flink.job.id': this.jobId } });
    const details = await pollUntil(
      (signal) => this.describe({ ...settings.request, signal }),
      (d) => allTasksRunning(d) || isGloballyTerminalJobStatus(d.state),
      settings,
    );
    if (!allTasksRunning(details)) throw new UnreachableStateError({ resource: 'job', id: this.jobId, state: details.state, awaited: 'RUNNING with all tasks running' });
    return details;
  }

  /**
   * Follows the job's status as an async iterator of changes: first its current state (an
   * `added` change with `initial: true`), then one change each time its status moves. The
   * iteration ends after the job reaches a globally terminal status (FINISHED, FAILED, CANCELED),
   * after a `removed` change (the cluster stopped listing it), or when the signal fires or you
   * `break`; aborting completes the loop, it does not throw.
   *
   * The job is read from the poll of `GET /jobs/overview` that every watcher of the ClusterClient
   * shares (one request per interval for all of them, whatever their number), never from a
   * request of its own. A job that does not exist yet is waited for (it may be about to be
   * submitted). Each change carries the job's overview entry; call `describe()` for vertices and
   * metrics (Flink caches `/jobs/:id` for `web.refresh-interval`, so right after a change it may
   * still show the previous state).
   *
   * Transient failures (connection errors, 5xx such as 503 during a leader election) are retried
   * with backoff and passed to `onError`; the iteration goes on and, when the JobManager answers
   * again, yields what changed meanwhile (a job that finished while it was away still yields its
   * FINISHED change). Fatal failures end the iteration by throwing.
   *
   * A slow consumer never holds up the poll, and its buffer holds one change at most: a newer
   * change merges into one not yet read, keeping the `previousStatus` the consumer last saw, so it
   * reads the latest state rather than a backlog.
   *
   * @throws FlinkArgumentError (at once) for an invalid interval or option.
   * @throws FlinkAuthenticationError, FlinkValidationError, FlinkNotFoundError and other fatal
   *   errors from the iteration; FlinkError `FLINK_CLIENT_CLOSED` when the client is closed before
   *   it starts (closing it later completes the iteration).
   * @example
   * ```ts
   * for await (const change of job.watch({ signal: AbortSignal.timeout(3_600_000) })) {
   *   console.log(`${change.previousStatus ?? '(start)'} → ${change.status}`);
   * }
   * ```
   */
  watch(options: JobWatchOptions = {}): AsyncIterableIterator<JobChange> {
    return watchOne(this.#context.watchers, 'job', this.jobId, options) as AsyncIterableIterator<JobChange>;
  }

  /**
   * Cancels the job (`PATCH /jobs/:id?mode=cancel`). Resolves once Flink accepted the request;
   * use `waitFor('CANCELED')` to wait for the job to stop.
   *
   * @throws FlinkConflictError when the job already reached another terminal state.
   * @throws JobNotFoundError when the cluster does not know the job.
   */
  async cancel(options?: RequestOptions): Promise<void> {
    await this.#context.pipeline.request(
      { method: 'PATCH', path: `/jobs/${this.jobId}`, query: { mode: 'cancel' }, schema: EmptyResponseSchema, resource: this.#resource },
      options,
    );
  }

  async triggerSavepoint(params: TriggerSavepointParams = {}, options?: RequestOptions): Promise<AsyncOperation<string>> {
    checkOptions(triggerSavepointParams, params, 'params');
    return this.#trigger('savepoint', params, (triggerId) => ({
      'target-directory': params.targetDirectory,
      'cancel-job': params.cancelJob ?? false,
      formatType: params.formatType,
      triggerId,
    }), options);
  }

  async stopWithSavepoint(params: StopWithSavepointParams = {}, options?: RequestOptions): Promise<AsyncOperation<string>> {
    checkOptions(stopWithSavepointParams, params, 'params');
    return this.#trigger('stop', params, (triggerId) => ({
      targetDirectory: params.targetDirectory,
      drain: params.drain ?? false,
      formatType: params.formatType,
      triggerId,
    }), options);
  }

  async triggerCheckpoint(params: TriggerCheckpointParams = {}, options?: RequestOptions): Promise<AsyncOperation<number>> {
    checkOptions(triggerCheckpointParams, params, 'params');
    return this.#trigger('checkpoint', params, (triggerId) => ({ checkpointType: params.type ?? 'CONFIGURED', triggerId }), options);
  }

  savepointOperation(triggerId: string, kind: 'savepoint' | 'stop' = 'savepoint'): AsyncOperation<string> {
    return this.#operation(kind, checkId('triggerId', triggerId));
  }

  checkpointOperation(triggerId: string): AsyncOperation<number> {
    return this.#operation('checkpoint', checkId('triggerId', triggerId));
  }

  /**
   * Triggers a savepoint, stop or checkpoint with a client-chosen trigger id (so a retried trigger
   * starts one operation) and returns the handle on it. The three differ only in their route and
   * their body's field names. Unless `waitForTasks` is false, the handle can trigger again (with a
   * fresh id, so Flink never confuses the two) when Flink failed it only for tasks not running.
   */
  #trigger(kind: 'savepoint' | 'stop', params: { triggerId?: string; waitForTasks?: boolean }, body: (triggerId: string) => Record<string, unknown>, options?: RequestOptions): Promise<AsyncOperation<string>>;
  #trigger(kind: 'checkpoint', params: { triggerId?: string; waitForTasks?: boolean }, body: (triggerId: string) => Record<string, unknown>, options?: RequestOptions): Promise<AsyncOperation<number>>;
  async #trigger(
    kind: 'savepoint' | 'stop' | 'checkpoint',
    params: { triggerId?: string; waitForTasks?: boolean },
    body: (triggerId: string) => Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<AsyncOperation<string> | AsyncOperation<number>> {
    const route = kind === 'savepoint' ? 'savepoints' : kind === 'stop' ? 'stop' : 'checkpoints';
    const send = async (triggerId: string, requestOptions: RequestOptions | undefined): Promise<string> => {
      const response = await this.#context.pipeline.request(
        {
          method: 'POST',
          path: `/jobs/${this.jobId}/${route}`,
          json: body(triggerId),
          schema: TriggerResponseSchema,
          alwaysValidate: true,
          idempotent: true,
          resource: this.#resource,
        },
        requestOptions,
      );
      return response['request-id'];
    };
    const post = (triggerId: string, requestOptions: RequestOptions | undefined): Promise<string> =>
      traced(`flink.${kind}.trigger`, { 'flink.operation.kind': kind, 'flink.job.id': this.jobId, 'flink.trigger.id': triggerId }, () => send(triggerId, requestOptions));
    const retrigger: Retrigger<string | number> | undefined =
      params.waitForTasks === false
        ? undefined
        : { ready: (wait) => this.ready(wait), trigger: async (o) => this.#driver(kind, await post(newId(), o), retrigger) };
    const triggerId = await post(params.triggerId === undefined ? newId() : checkId('triggerId', params.triggerId), options);
    return this.#context.handles.operation(this.#driver(kind, triggerId, retrigger)) as AsyncOperation<string> | AsyncOperation<number>;
  }

  #operation(kind: 'savepoint' | 'stop', triggerId: string): AsyncOperation<string>;
  #operation(kind: 'checkpoint', triggerId: string): AsyncOperation<number>;
  #operation(kind: 'savepoint' | 'stop' | 'checkpoint', triggerId: string): AsyncOperation<string> | AsyncOperation<number> {
    return this.#context.handles.operation(this.#driver(kind, triggerId, undefined)) as AsyncOperation<string> | AsyncOperation<number>;
  }

  #driver(kind: 'savepoint' | 'stop' | 'checkpoint', triggerId: string, retrigger: Retrigger<string | number> | undefined): OperationDriver<string | number> {
    const { pipeline } = this.#context;
    return kind === 'checkpoint'
      ? (checkpointDriver(pipeline, this.jobId, triggerId, retrigger as Retrigger<number> | undefined) as OperationDriver<string | number>)
      : (savepointDriver(pipeline, kind, this.jobId, triggerId, retrigger as Retrigger<string> | undefined) as OperationDriver<string | number>);
  }

  /**
   * The job's accumulators (`GET /jobs/:id/accumulators`): user accumulators as name, type and
   * Flink's string rendering of the value.
   */
  accumulators(options?: RequestOptions): Promise<JobAccumulators> {
    return this.#context.pipeline.request(
      { method: 'GET', path: `/jobs/${this.jobId}/accumulators`, schema: JobAccumulatorsSchema, resource: this.#resource },
      options,
    );
  }

  /**
   * The job's exception history (`GET /jobs/:id/exceptions`), newest first.
   *
   * @param params.maxExceptions most entries to return (Flink's default is 20)
   */
  async exceptions(params: { maxExceptions?: number } = {}, options?: RequestOptions): Promise<JobExceptions> {
    checkOptions(exceptionsParams, params, 'params');
    return this.#context.pipeline.request(
      { method: 'GET', path: `/jobs/${this.jobId}/exceptions`, query: { maxExceptions: params.maxExceptions }, schema: JobExceptionsSchema, resource: this.#resource },
      options,
    );
  }

  /** Checkpoint statistics (`GET /jobs/:id/checkpoints`): counts, summary, latest and history. */
  checkpoints(options?: RequestOptions): Promise<CheckpointingStatistics> {
    return this.#context.pipeline.request(
      { method: 'GET', path: `/jobs/${this.jobId}/checkpoints`, schema: CheckpointingStatisticsSchema, resource: this.#resource },
      options,
    );
  }

  /** The job's checkpointing configuration (`GET /jobs/:id/checkpoints/config`). */
  checkpointConfig(options?: RequestOptions): Promise<CheckpointConfig> {
    return this.#context.pipeline.request(
      { method: 'GET', path: `/jobs/${this.jobId}/checkpoints/config`, schema: CheckpointConfigSchema, resource: this.#resource },
      options,
    );
  }

  /** The job's execution configuration (`GET /jobs/:id/config`). */
  config(options?: RequestOptions): Promise<JobConfig> {
    return this.#context.pipeline.request({ method: 'GET', path: `/jobs/${this.jobId}/config`, schema: JobConfigSchema, resource: this.#resource }, options);
  }

  /** The job's dataflow plan (`GET /jobs/:id/plan`). */
  plan(options?: RequestOptions): Promise<JobPlan> {
    return this.#context.pipeline.request({ method: 'GET', path: `/jobs/${this.jobId}/plan`, schema: JobPlanSchema, resource: this.#resource }, options);
  }

  /**
   * The job's resource requirements (`GET /jobs/:id/resource-requirements`): per vertex id, the
   * lower and upper bound of its parallelism.
   */
  resourceRequirements(options?: RequestOptions): Promise<ResourceRequirements> {
    return this.#context.pipeline.request(
      { method: 'GET', path: `/jobs/${this.jobId}/resource-requirements`, schema: ResourceRequirementsSchema, resource: this.#resource },
      options,
    );
  }

  /**
   * Changes the job's parallelism (`PUT /jobs/:id/resource-requirements`). Needs the adaptive
   * scheduler (`jobmanager.scheduler: adaptive`); Flink rescales the running job in place.
   *
   * `{ parallelism: n }` sets every vertex to run with up to `n` subtasks (lower bound 1); a
   * requirements map sets each vertex explicitly.
   *
   * @throws FlinkArgumentError for a parallelism that is not a positive integer.
   * @throws FlinkApiError when the cluster's scheduler cannot rescale.
   * @example
   * ```ts
   * await job.rescale({ parallelism: 4 });
   * ```
   */
  async rescale(target: RescaleTarget, options?: RequestOptions): Promise<void> {
    checkOptions(rescaleTarget, target, 'target');
    let requirements: ResourceRequirements;
    if (isParallelismTarget(target)) {
      const current = await this.resourceRequirements(options);
      requirements = Object.fromEntries(Object.keys(current).map((vertex) => [vertex, { parallelism: { lowerBound: 1, upperBound: target.parallelism } }]));
    } else {
      requirements = Object.fromEntries(Object.entries(target).map(([vertex, req]) => [vertex.toLowerCase(), req]));
    }
    await this.#context.pipeline.request(
      { method: 'PUT', path: `/jobs/${this.jobId}/resource-requirements`, json: requirements, schema: EmptyResponseSchema, resource: this.#resource },
      options,
    );
  }

  vertex(vertexId: string): VertexClient {
    return new VertexHandle(this.#context, this.jobId, vertexId);
  }

  async vertexMetrics(names: readonly string[], params: VertexMetricsParams = {}, options?: RequestOptions): Promise<JobVertexMetrics[]> {
    checkMetricNames(names);
    if (typeof params !== 'object' || params === null) throw new FlinkArgumentError('params', 'expected an object');
    let vertices: { id: string; name?: string }[];
    if (params.vertices !== undefined) {
      if (!Array.isArray(params.vertices) || params.vertices.length === 0) throw new FlinkArgumentError('params.vertices', 'expected a non-empty array of vertex ids');
      vertices = params.vertices.map((id) => ({ id: checkId('params.vertices', id) }));
    } else {
      vertices = (await this.describe(options)).vertices.map((v) => ({ id: v.id, name: v.name }));
    }
    return Promise.all(
      vertices.map(async (v) => {
        const metrics = await readAggregatedMetrics(
          { pipeline: this.#context.pipeline, path: `/jobs/${this.jobId}/vertices/${v.id}/subtasks/metrics`, resource: { kind: 'job', jobId: this.jobId, part: true } },
          names,
          params.agg,
          options,
        );
        return v.name === undefined ? { vertexId: v.id, metrics } : { vertexId: v.id, name: v.name, metrics };
      }),
    );
  }

  metricNames(options?: RequestOptions): Promise<string[]> {
    return readMetricNames({ pipeline: this.#context.pipeline, path: `/jobs/${this.jobId}/metrics`, resource: this.#resource }, false, options);
  }

  async metrics(names: readonly string[], options?: RequestOptions): Promise<MetricValues> {
    return readMetrics({ pipeline: this.#context.pipeline, path: `/jobs/${this.jobId}/metrics`, resource: this.#resource }, names, options);
  }

  async checkpointDetails(checkpointId: number, options?: RequestOptions): Promise<CheckpointStatistics> {
    const id = checkIndex('checkpointId', checkpointId);
    return this.#context.pipeline.request(
      { method: 'GET', path: `/jobs/${this.jobId}/checkpoints/details/${id}`, schema: CheckpointDetailsSchema, resource: { kind: 'job', jobId: this.jobId, part: true } },
      options,
    );
  }

  jobManagerConfig(options?: RequestOptions): Promise<ConfigEntries> {
    return this.#context.pipeline.request({ method: 'GET', path: `/jobs/${this.jobId}/jobmanager/config`, schema: ConfigEntriesSchema, resource: this.#resource }, options);
  }

  jobManagerEnvironment(options?: RequestOptions): Promise<EnvironmentInfo> {
    return this.#context.pipeline.request({ method: 'GET', path: `/jobs/${this.jobId}/jobmanager/environment`, schema: EnvironmentInfoSchema, resource: this.#resource }, options);
  }

  jobManagerLogUrl(options?: RequestOptions): Promise<LogUrl> {
    return this.#context.pipeline.request({ method: 'GET', path: `/jobs/${this.jobId}/jobmanager/log-url`, schema: LogUrlSchema, resource: this.#resource }, options);
  }

  async taskManagerLogUrl(taskManagerId: string, options?: RequestOptions): Promise<LogUrl> {
    const tm = encodeURIComponent(checkTaskManagerId(taskManagerId));
    return this.#context.pipeline.request({ method: 'GET', path: `/jobs/${this.jobId}/taskmanagers/${tm}/log-url`, schema: LogUrlSchema, resource: this.#resource }, options);
  }

  async heartbeat(expiresAt: number, options?: RequestOptions): Promise<void> {
    if (typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt) || expiresAt <= 0) throw new FlinkArgumentError('expiresAt', 'expected a positive integer (ms since the epoch)');
    await this.#context.pipeline.request(
      { method: 'PATCH', path: `/jobs/${this.jobId}/clientHeartbeat`, json: { expiredTimestamp: expiresAt }, schema: EmptyResponseSchema, resource: this.#resource },
      options,
    );
  }

  /** A rescale route: Flink 2.3+, refused before sending on older clusters. */
  async #rescales<T>(feature: string, suffix: string, schema: DualSchema<T>, options?: RequestOptions): Promise<T> {
    const version = await this.#context.flinkVersion(options);
    if (!versionAtLeast(version, RESCALES_SINCE)) throw new UnsupportedFeatureError({ feature, clusterVersion: version, minimumVersion: `${RESCALES_SINCE}.0` });
    try {
      return await this.#context.pipeline.request({ method: 'GET', path: `/jobs/${this.jobId}/rescales/${suffix}`, schema, resource: { kind: 'job', jobId: this.jobId, part: true } }, options);
    } catch (err) {
      // Flink 2.3 answers 404 for a job of the default scheduler: rescales are the adaptive scheduler's.
      // The history, overview, summary and details also need records kept (RescalesUnavailableException).
      if (err instanceof FlinkApiError && err.errors.some((e) => /RescalesUnavailableException/.test(e))) {
        throw new FeatureDisabledError({ feature: `${feature} (rescale records)`, setting: 'jobmanager.scheduler: adaptive and web.adaptive-scheduler.rescale-history.size > 0' });
      }
      if (err instanceof FlinkApiError && err.errors.some((e) => /AdaptiveScheduler is not enabled/.test(e))) {
        throw new FeatureDisabledError({ feature: `${feature} (rescale records)`, setting: 'jobmanager.scheduler: adaptive' });
      }
      throw err;
    }
  }

  rescaleConfig(options?: RequestOptions): Promise<RescaleConfig> {
    return this.#rescales('rescaleConfig()', 'config', RescaleConfigSchema, options);
  }

  rescalesOverview(options?: RequestOptions): Promise<RescalesOverview> {
    return this.#rescales('rescalesOverview()', 'overview', RescalesOverviewSchema, options);
  }

  rescaleHistory(options?: RequestOptions): Promise<RescaleDetails[]> {
    return this.#rescales('rescaleHistory()', 'history', RescaleHistorySchema, options);
  }

  rescaleSummary(options?: RequestOptions): Promise<RescaleSummary> {
    return this.#rescales('rescaleSummary()', 'summary', RescaleSummarySchema, options);
  }

  async rescaleDetails(rescaleUuid: string, options?: RequestOptions): Promise<RescaleDetails> {
    const uuid = checkId('rescaleUuid', rescaleUuid);
    return this.#rescales('rescaleDetails()', `details/${uuid}`, RescaleDetailsSchema, options);
  }
}

function isParallelismTarget(target: RescaleTarget): target is { parallelism: number } {
  return typeof (target as { parallelism?: unknown }).parallelism === 'number';
}

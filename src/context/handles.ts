import type { AsyncOperation } from '../operations/async-operation.js';
import type { RequestOptions, WaitOptions } from '../options/request-options.js';
import type { ApplicationExceptions, ApplicationStatus } from '../schemas/applications.js';
import type { CheckpointConfig, CheckpointingStatistics } from '../schemas/checkpoints.js';
import type { ConfigEntries } from '../schemas/cluster.js';
import type { JobStatus } from '../schemas/job-status.js';
import type { JobAccumulators, JobConfig, JobDetails, JobExceptions, JobPlan, ResourceRequirements } from '../schemas/jobs.js';
import type { ApplicationChange, ApplicationWatchOptions, JobChange, JobWatchOptions } from '../watch/watch-types.js';
import type { ApplicationDescription, ApplicationStatusTarget } from './application-types.js';
import type { CheckpointStatistics } from '../schemas/checkpoints.js';
import type { EnvironmentInfo, LogUrl } from '../schemas/managers.js';
import type { MetricValues } from '../schemas/metrics.js';
import type { RescaleConfig, RescaleDetails, RescalesOverview, RescaleSummary } from '../schemas/rescales.js';
import type { JobVertexMetrics, VertexClient, VertexMetricsParams } from './vertex-types.js';
import type { JobResult, JobStatusTarget, RescaleTarget, StopWithSavepointParams, TriggerCheckpointParams, TriggerSavepointParams } from './job-types.js';

// The two handle interfaces refer to each other (a job's application, an application's jobs), so
// they share this file: apart, they would be an import cycle.

/**
 * A handle on one Flink job (FLIP-74 and beyond): status, details, result, cancel, savepoints,
 * checkpoints, accumulators, exceptions and rescaling.
 *
 * Getting a handle (`cluster.job(id)`) sends nothing; a method called for a job the cluster does
 * not know throws JobNotFoundError. The job id is checked (32 hex characters) when the handle is
 * made.
 *
 * @example
 * ```ts
 * const job = cluster.job('a1b2c3d4e5f60718293a4b5c6d7e8f90');
 * console.log(await job.status());
 * const savepoint = await (await job.stopWithSavepoint()).result();
 * ```
 */
export interface JobClient {
  /** The job id, 32 lowercase hex characters. */
  readonly jobId: string;

  /**
   * The id of the application the job belongs to. Flink 2.3 reports it in the job's details (a
   * job run with `runJar` is a single-job application with the job's id); before 2.3 every job is
   * its own single-job application, so it is the job id. Known without a request when the handle
   * came from `runJar` or `application.jobs()`.
   *
   * @throws JobNotFoundError when the cluster does not know the job.
   */
  applicationId(options?: RequestOptions): Promise<string>;

  /**
   * A handle on the application the job belongs to (see {@link applicationId}).
   *
   * @example
   * ```ts
   * const app = await job.application();
   * console.log(await app.status());
   * ```
   */
  application(options?: RequestOptions): Promise<ApplicationClient>;

  /**
   * The job's current status (`RUNNING`, `FINISHED`, ...), from `GET /jobs/:id/status`.
   *
   * @throws JobNotFoundError when the cluster does not know the job.
   * @example
   * ```ts
   * if ((await job.status()) === 'RUNNING') { ... }
   * ```
   */
  status(options?: RequestOptions): Promise<JobStatus>;

  /**
   * The job's details from `GET /jobs/:id`: name, status, timestamps of every status, vertices
   * with their metrics, the plan, and on Flink 2.3 its application id.
   *
   * @throws JobNotFoundError when the cluster does not know the job.
   */
  describe(options?: RequestOptions): Promise<JobDetails>;

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
  result(options?: WaitOptions): Promise<JobResult>;

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
  waitFor(target: JobStatusTarget, options?: WaitOptions): Promise<JobStatus>;

  /**
   * Waits until the job can take a savepoint or checkpoint: it is RUNNING and every subtask of
   * every vertex runs (or finished). A job reports RUNNING seconds before its tasks do (they are
   * still deploying or restoring state), and Flink fails a savepoint triggered in that window with
   * "Not all required tasks are currently running". Polls `GET /jobs/:id` on the one poll engine
   * (from 250 ms up to 3 s; Flink caches that answer for `web.refresh-interval`, so readiness can
   * be seen up to 3 s late, never early). Returns the details that showed the job ready.
   *
   * Savepoint, stop and checkpoint triggers already wait for the tasks when Flink fails them for
   * this reason (see `waitForTasks`); call `ready()` when your own code needs running tasks, such
   * as before reading task metrics or backpressure.
   *
   * @throws UnreachableStateError when the job reaches a globally terminal status first.
   * @throws FlinkTimeoutError (phase `wait`, `lastValue` the last details) when `timeoutMs` passes.
   * @throws FlinkAbortError when the signal fires.
   * @throws JobNotFoundError when the cluster does not know the job.
   * @example
   * ```ts
   * const job = await cluster.runJar(jarId);
   * await job.ready({ timeoutMs: 120_000 });
   * const location = await (await job.triggerSavepoint({ targetDirectory })).result();
   * ```
   */
  ready(options?: WaitOptions): Promise<JobDetails>;

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
  watch(options?: JobWatchOptions): AsyncIterableIterator<JobChange>;

  /**
   * Cancels the job (`PATCH /jobs/:id?mode=cancel`). Resolves once Flink accepted the request;
   * use `waitFor('CANCELED')` to wait for the job to stop.
   *
   * @throws FlinkConflictError when the job already reached another terminal state.
   * @throws JobNotFoundError when the cluster does not know the job.
   */
  cancel(options?: RequestOptions): Promise<void>;

  /**
   * Triggers a savepoint and returns a handle on the operation; its `result()` is the savepoint
   * location. The trigger id is chosen by the client and sent along, so a retried trigger takes
   * one savepoint.
   *
   * @throws FlinkBadRequestError when no target directory is given and the cluster has no default.
   * @throws JobNotFoundError when the cluster does not know the job.
   * @example
   * ```ts
   * const op = await job.triggerSavepoint({ targetDirectory: 'file:///savepoints' });
   * const location = await op.result();
   * ```
   */
  triggerSavepoint(params?: TriggerSavepointParams, options?: RequestOptions): Promise<AsyncOperation<string>>;

  /**
   * Stops the job with a savepoint (`POST /jobs/:id/stop`) and returns a handle on the operation;
   * its `result()` is the savepoint location, available once the job has stopped.
   *
   * @throws FlinkBadRequestError when no target directory is given and the cluster has no default.
   * @throws JobNotFoundError when the cluster does not know the job.
   * @example
   * ```ts
   * const location = await (await job.stopWithSavepoint({ drain: false })).result();
   * ```
   */
  stopWithSavepoint(params?: StopWithSavepointParams, options?: RequestOptions): Promise<AsyncOperation<string>>;

  /**
   * Triggers a checkpoint (`POST /jobs/:id/checkpoints`) and returns a handle on the operation;
   * its `result()` is the checkpoint id.
   *
   * @throws JobNotFoundError when the cluster does not know the job.
   */
  triggerCheckpoint(params?: TriggerCheckpointParams, options?: RequestOptions): Promise<AsyncOperation<number>>;

  /**
   * A handle on a savepoint or stop-with-savepoint operation triggered earlier, by its trigger id.
   * Sends nothing.
   */
  savepointOperation(triggerId: string, kind?: 'savepoint' | 'stop'): AsyncOperation<string>;

  /** A handle on a checkpoint operation triggered earlier, by its trigger id. Sends nothing. */
  checkpointOperation(triggerId: string): AsyncOperation<number>;

  /**
   * The job's accumulators (`GET /jobs/:id/accumulators`): user accumulators as name, type and
   * Flink's string rendering of the value.
   */
  accumulators(options?: RequestOptions): Promise<JobAccumulators>;

  /**
   * The job's exception history (`GET /jobs/:id/exceptions`), newest first.
   *
   * @param params.maxExceptions most entries to return (Flink's default is 20)
   */
  exceptions(params?: { maxExceptions?: number }, options?: RequestOptions): Promise<JobExceptions>;

  /** Checkpoint statistics (`GET /jobs/:id/checkpoints`): counts, summary, latest and history. */
  checkpoints(options?: RequestOptions): Promise<CheckpointingStatistics>;

  /** The job's checkpointing configuration (`GET /jobs/:id/checkpoints/config`). */
  checkpointConfig(options?: RequestOptions): Promise<CheckpointConfig>;

  /** The job's execution configuration (`GET /jobs/:id/config`). */
  config(options?: RequestOptions): Promise<JobConfig>;

  /** The job's dataflow plan (`GET /jobs/:id/plan`). */
  plan(options?: RequestOptions): Promise<JobPlan>;

  /**
   * The job's resource requirements (`GET /jobs/:id/resource-requirements`): per vertex id, the
   * lower and upper bound of its parallelism.
   */
  resourceRequirements(options?: RequestOptions): Promise<ResourceRequirements>;

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
  rescale(target: RescaleTarget, options?: RequestOptions): Promise<void>;

  /**
   * A handle on one of the job's vertices (ids from `describe().vertices`). Sends nothing.
   *
   * @throws FlinkArgumentError when the id is not 32 hex characters.
   */
  vertex(vertexId: string): VertexClient;

  /**
   * A set of metrics for every vertex of the job (or the vertices given), each aggregated over the
   * vertex's subtasks: one request per vertex (Flink has no route across vertices), sent in
   * parallel, plus one to list the vertices when they are not given. What an autoscaler reads.
   *
   * @throws FlinkArgumentError for an empty list or a name with a comma.
   * @throws JobNotFoundError when the cluster does not know the job.
   * @example
   * ```ts
   * for (const v of await job.vertexMetrics(['busyTimeMsPerSecond', 'numRecordsInPerSecond'], { agg: ['max', 'sum'] })) {
   *   console.log(v.name, v.metrics.busyTimeMsPerSecond?.max);
   * }
   * ```
   */
  vertexMetrics(names: readonly string[], params?: VertexMetricsParams, options?: RequestOptions): Promise<JobVertexMetrics[]>;

  /** The names of the job's metrics (`GET /jobs/:id/metrics`). */
  metricNames(options?: RequestOptions): Promise<string[]>;

  /**
   * Values of named job metrics (`GET /jobs/:id/metrics?get=`), such as `numRestarts` or
   * `lastCheckpointDuration`: numbers where Flink sends numbers in strings; unknown names left out.
   *
   * @throws FlinkArgumentError for an empty list or a name with a comma.
   */
  metrics(names: readonly string[], options?: RequestOptions): Promise<MetricValues>;

  /**
   * One checkpoint with per-vertex statistics (`GET /jobs/:id/checkpoints/details/:checkpointid`);
   * per-subtask details are on `job.vertex(id).checkpointDetails(checkpointId)`.
   *
   * @throws FlinkNotFoundError when the job's statistics no longer hold the checkpoint.
   */
  checkpointDetails(checkpointId: number, options?: RequestOptions): Promise<CheckpointStatistics>;

  /** The configuration of the JobManager running the job (`GET /jobs/:id/jobmanager/config`). */
  jobManagerConfig(options?: RequestOptions): Promise<ConfigEntries>;

  /** The environment of the JobManager running the job (`GET /jobs/:id/jobmanager/environment`). */
  jobManagerEnvironment(options?: RequestOptions): Promise<EnvironmentInfo>;

  /** The web UI URL of the JobManager's logs for this job (`GET /jobs/:id/jobmanager/log-url`). */
  jobManagerLogUrl(options?: RequestOptions): Promise<LogUrl>;

  /** The web UI URL of a TaskManager's logs for this job (`GET /jobs/:id/taskmanagers/:tm/log-url`). */
  taskManagerLogUrl(taskManagerId: string, options?: RequestOptions): Promise<LogUrl>;

  /**
   * Reports that a client still follows the job (`PATCH /jobs/:id/clientHeartbeat`), for jobs
   * submitted with `execution.attached` and `client.heartbeat.timeout`: Flink cancels such a job
   * when heartbeats stop. `expiresAt` is when this heartbeat expires, ms since the epoch.
   *
   * @throws FlinkArgumentError for an `expiresAt` that is not a positive integer.
   */
  heartbeat(expiresAt: number, options?: RequestOptions): Promise<void>;

  /**
   * The adaptive scheduler's rescale settings for the job (`GET /jobs/:id/rescales/config`, 2.3+).
   * Every rescale method needs a job of the adaptive scheduler.
   *
   * @throws UnsupportedFeatureError before Flink 2.3, before sending.
   * @throws FeatureDisabledError when the job runs on another scheduler (Flink answers 404
   *   "AdaptiveScheduler is not enabled for this job").
   */
  rescaleConfig(options?: RequestOptions): Promise<RescaleConfig>;

  /**
   * Rescale counts and the latest rescale of each outcome (`GET /jobs/:id/rescales/overview`,
   * 2.3+). Rescales are recorded only with `web.adaptive-scheduler.rescale-history.size` > 0.
   *
   * @throws UnsupportedFeatureError before Flink 2.3, before sending.
   */
  rescalesOverview(options?: RequestOptions): Promise<RescalesOverview>;

  /**
   * The recent rescales, newest first (`GET /jobs/:id/rescales/history`, 2.3+); empty unless
   * `web.adaptive-scheduler.rescale-history.size` > 0.
   *
   * @throws UnsupportedFeatureError before Flink 2.3, before sending.
   */
  rescaleHistory(options?: RequestOptions): Promise<RescaleDetails[]>;

  /**
   * Rescale counts and durations (`GET /jobs/:id/rescales/summary`, 2.3+).
   *
   * @throws UnsupportedFeatureError before Flink 2.3, before sending.
   */
  rescaleSummary(options?: RequestOptions): Promise<RescaleSummary>;

  /**
   * One rescale with its vertices, slots and scheduler states (`GET /jobs/:id/rescales/details/:uuid`, 2.3+).
   *
   * @throws UnsupportedFeatureError before Flink 2.3, before sending.
   * @throws FlinkNotFoundError when the history no longer holds it.
   */
  rescaleDetails(rescaleUuid: string, options?: RequestOptions): Promise<RescaleDetails>;
}

/**
 * A handle on one Flink application (FLIP-549): the user's `main()` with its own state, running
 * zero, one or many jobs, queried and cancelled as a whole.
 *
 * Getting a handle (`cluster.application(id)`) sends nothing. On Flink 2.3 and newer it uses the
 * application endpoints. On older clusters, which have none, it offers Flink's own model of those
 * versions: every job is a single-job application whose id is the job id; `describe()` says
 * `emulated: true`, and `exceptions()` throws UnsupportedFeatureError.
 *
 * What the server does (Flink 2.3, as observed on a real cluster): cancelling an application
 * cancels its unfinished jobs and waits for them. With
 * `execution.terminate-application-on-any-job-terminated-exceptionally: true` (the default) the
 * application fails or is cancelled as soon as any of its jobs does. With `false`, `execute()` no
 * longer waits for jobs: the application FINISHES as soon as `main()` returns and its unfinished
 * jobs are cancelled. A `main()` that throws fails the application; one that runs no job ends
 * FINISHED on 2.3.0 with no jobs.
 *
 * @example
 * ```ts
 * const app = await cluster.runApplication(jarId, { entryClass: 'com.example.Pipeline' });
 * const done = await app.result({ timeoutMs: 30 * 60_000 });
 * console.log(done.jobs.map((j) => `${j.name}: ${j.state}`));
 * ```
 */
export interface ApplicationClient {
  /** The application id, 32 lowercase hex characters. */
  readonly applicationId: string;

  /**
   * The application's current state.
   *
   * @throws ApplicationNotFoundError when the cluster does not know the application (Flink 2.3
   *   answers 500 for that; the SDK recognises it).
   */
  status(options?: RequestOptions): Promise<ApplicationStatus>;

  /**
   * The application's name, state, times, the timestamp of every state reached, and its jobs.
   *
   * @throws ApplicationNotFoundError when the cluster does not know the application.
   * @example
   * ```ts
   * const { status, jobs, emulated } = await app.describe();
   * ```
   */
  describe(options?: RequestOptions): Promise<ApplicationDescription>;

  /** Handles on the application's jobs (one request to list them). */
  jobs(options?: RequestOptions): Promise<JobClient[]>;

  /**
   * Cancels the application: Flink cancels its unfinished jobs and waits for them. Resolves once
   * Flink accepted the request (also when the application is already CANCELED); use
   * `waitFor('CANCELED')` or `result()` to wait for the end.
   *
   * @throws FlinkConflictError when the application already reached FINISHED or FAILED.
   * @throws ApplicationNotFoundError when the cluster does not know the application.
   */
  cancel(options?: RequestOptions): Promise<void>;

  /**
   * The application's exception history, newest first: failures of `main()` itself (no `jobId`)
   * and of its jobs. Flink 2.3 and newer.
   *
   * @throws UnsupportedFeatureError on clusters before Flink 2.3, before sending the request.
   * @throws ApplicationNotFoundError when the cluster does not know the application.
   */
  exceptions(options?: RequestOptions): Promise<ApplicationExceptions>;

  /**
   * The JobManager configuration the application runs with. On clusters before 2.3 (session
   * mode) that is the cluster's JobManager configuration.
   */
  jobManagerConfig(options?: RequestOptions): Promise<ConfigEntries>;

  /**
   * Polls the application's state until it matches `target`, and returns the state reached.
   *
   * @throws UnreachableStateError when a terminal state that does not match is reached.
   * @throws FlinkTimeoutError (phase `wait`) when `timeoutMs` passes; FlinkAbortError on abort.
   */
  waitFor(target: ApplicationStatusTarget, options?: WaitOptions): Promise<ApplicationStatus>;

  /**
   * Follows the application's state as an async iterator of changes: first its current state (an
   * `added` change with `initial: true`), then one change each time its state moves; it ends
   * after a terminal state (FINISHED, FAILED, CANCELED), a `removed` change, the signal or a
   * `break` (aborting completes the loop, it does not throw).
   *
   * On Flink 2.3+ the application is read from the poll of `GET /applications/overview` every
   * watcher of the ClusterClient shares; on older clusters from the shared poll of
   * `GET /jobs/overview`, as the single-job application of the job with this id (a job status that
   * maps to the same application state, such as RESTARTING for RUNNING, is no change). Transient
   * failures are retried with backoff and passed to `onError`; fatal ones end the iteration by
   * throwing. A slow consumer reads the latest state, never a backlog.
   *
   * @throws FlinkArgumentError (at once) for an invalid interval or option.
   * @throws FlinkAuthenticationError, FlinkValidationError and other fatal errors from the
   *   iteration.
   * @example
   * ```ts
   * for await (const change of app.watch()) {
   *   console.log(change.status, change.details.jobCounts);
   * }
   * ```
   */
  watch(options?: ApplicationWatchOptions): AsyncIterableIterator<ApplicationChange>;

  /**
   * Waits for the application to end. FINISHED resolves with its final description, each job
   * with its final status.
   *
   * @throws ApplicationFailedError when it ends FAILED or CANCELED, with the exception text
   *   Flink recorded (the failure of `main()` or of a job).
   * @throws FlinkTimeoutError (phase `wait`) when `timeoutMs` passes first (default ten minutes).
   * @throws FlinkAbortError when the signal fires; ApplicationNotFoundError for an unknown id.
   * @example
   * ```ts
   * try {
   *   const final = await app.result({ timeoutMs: 60_000 });
   * } catch (err) {
   *   if (err instanceof ApplicationFailedError) console.error(err.status, err.exception);
   * }
   * ```
   */
  result(options?: WaitOptions): Promise<ApplicationDescription>;
}

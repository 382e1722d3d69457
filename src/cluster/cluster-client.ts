import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { EventEmitter } from 'eventemitter3';
import { FlinkApiError } from '../errors/flink-api-error.js';
import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import { FlinkError } from '../errors/flink-error.js';
import type { ClusterClientEvents } from '../events.js';
import { multipartFileBody, type UploadProgress } from '../http/multipart.js';
import { RequestPipeline, resolvePipelineOptions } from '../http/request-pipeline.js';
import { isTransientError } from '../http/transient.js';
import { linkedController, sleep } from '../internal/abort.js';
import { ArchiveFallbackPipeline, ArchivePipeline } from '../http/archive-pipeline.js';
import { ApplicationHandle } from '../application/application-handle.js';
import type { ClientContext } from '../context/client-context.js';
import { createClientContext } from '../context/create-client-context.js';
import type { ApplicationClient, JobClient } from '../context/handles.js';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.js';
import { APPLICATIONS_SINCE, versionAtLeast } from '../internal/flink-version.js';
import { checkId, checkJarId, newId } from '../internal/ids.js';
import { JobHandle } from '../job/job-handle.js';
import type { AsyncOperation } from '../operations/async-operation.js';
import { disposalDriver } from '../operations/operation-drivers.js';
import { checkOptions } from '../options/check-options.js';
import { disposeSavepointParams, jarProgramParams, runApplicationParams, runJarParams, uploadJarOptions } from '../options/param-schemas.js';
import { type ApplicationSummary, applicationSummaryOfJob, applicationSummaryOfOverview } from '../schemas/application-summary.js';
import { ApplicationsOverviewSchema } from '../schemas/applications.js';
import type { ClusterClientOptions } from '../options/client-options.js';
import type { RequestOptions } from '../options/request-options.js';
import { type ClusterOverview, ClusterOverviewSchema, type ConfigEntries, ConfigEntriesSchema, type DashboardConfig, DashboardConfigSchema, type TaskManagers, TaskManagersSchema } from '../schemas/cluster.js';
import { ApplicationRunResponseSchema, type JarList, JarListSchema, type JarRunResponse, JarRunResponseSchema, JarUploadResponseSchema } from '../schemas/jars.js';
import { type JobOverview, JobsOverviewSchema, type JobPlan, JobPlanSchema } from '../schemas/jobs.js';
import { EmptyResponseSchema, TriggerResponseSchema } from '../schemas/operations.js';
import { VERSION } from '../version.js';
import type { z } from 'zod';
import type { JobManagerClient, TaskManagerClient } from '../context/manager-types.js';
import { readAggregatedMetrics, readMetricNames } from '../job/metric-reader.js';
import { dataSetDeletionDriver } from '../operations/operation-drivers.js';
import { type ClusterDataSets, ClusterDataSetsSchema } from '../schemas/managers.js';
import type { AggregatedMetrics, MetricAggregation } from '../schemas/metrics.js';
import { type JobIdWithStatus, JobIdsWithStatusSchema } from '../schemas/jobs.js';
import type { DualSchema } from '../schemas/schema-kit.js';
import type { HttpMethod } from '../http/request-pipeline.js';
import { checkTaskManagerId } from '../internal/ids.js';
import { JobManagerHandle, TaskManagerHandle } from './manager-handles.js';
import { ClusterWatcherHandle } from '../watch/cluster-watcher-handle.js';
import type { ClusterWatcher } from '../watch/cluster-watcher.js';
import type { WatchRegistry } from '../watch/watch-registry.js';
import type { ClusterWatchOptions, WatchPollerInfo } from '../watch/watch-types.js';

/** How a job restores from a savepoint: take ownership of its files, or not. */
export type ClaimMode = 'CLAIM' | 'NO_CLAIM' | 'LEGACY';

/** Parameters shared by running and planning an uploaded jar. */
export interface JarProgramParams {
  /** The class with `main()`; defaults to the jar manifest's `Main-Class`. */
  entryClass?: string;
  /** Program arguments, one string per argument (no shell splitting). */
  args?: readonly string[];
  /** Default parallelism of the job. */
  parallelism?: number;
  /** Flink configuration for the job (`flinkConfiguration`), such as `{ 'pipeline.name': 'x' }`. */
  configuration?: Record<string, string>;
}

/** Parameters of {@link ClusterClient.runJar}. */
export interface RunJarParams extends JarProgramParams {
  /** A savepoint or retained checkpoint to restore from. */
  savepointPath?: string;
  /** Whether the restored job takes ownership of the savepoint's files. @default Flink's default (NO_CLAIM) */
  claimMode?: ClaimMode;
  /** Skip savepoint state that maps to no operator. @default false */
  allowNonRestoredState?: boolean;
  /**
   * The job id to submit under (32 hex characters). The client picks a fresh one when omitted;
   * either way the id makes a retried run safe: it cannot start the job twice.
   *
   * `null` lets Flink choose, and the run is then never retried. Use it for a `main()` that runs
   * several jobs: Flink gives every job of the run the fixed id, so on Flink 2.3 the second
   * `execute()` fails as a duplicate (`runApplication()` is the better fit there).
   */
  jobId?: string | null;
}

/** Parameters of {@link ClusterClient.runApplication}. */
export interface RunApplicationParams extends JarProgramParams {
  /** A savepoint or retained checkpoint to restore the application's jobs from. */
  savepointPath?: string;
  /** Whether restored jobs take ownership of the savepoint's files. */
  claimMode?: ClaimMode;
  /** Skip savepoint state that maps to no operator. @default false */
  allowNonRestoredState?: boolean;
  /**
   * The application id (32 hex characters). The client picks a fresh one when omitted; either way
   * the id makes a retried call safe.
   */
  applicationId?: string;
}

/** Options of {@link ClusterClient.uploadJar}. */
export interface UploadJarOptions extends RequestOptions {
  /** The file name Flink stores (must end in `.jar`); defaults to the path's base name. */
  filename?: string;
  /** Size in bytes of a stream source, to send a Content-Length (paths are measured). */
  size?: number;
  /** Called as the file streams out. */
  onProgress?: (progress: UploadProgress) => void;
}

/** Parameters of {@link ClusterClient.request}. */
export interface ClusterRequest<T = unknown> {
  /** The HTTP method. */
  method: HttpMethod;
  /** The path below the REST root (`/v1`), starting with `/`, such as `/jobs/overview`. */
  path: string;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON body. */
  body?: unknown;
  /** A zod schema to validate the answer with; without one the parsed JSON is returned as `unknown`. */
  schema?: z.ZodType<T>;
  /**
   * Whether repeating the request is harmless, so it may be retried.
   * @default true for every method but POST
   */
  idempotent?: boolean;
}

/** Parameters of the aggregated metric methods of {@link ClusterClient}. */
export interface AggregatedMetricsParams {
  /** The aggregations to compute. @default all five (`min`, `max`, `avg`, `sum`, `skew`) */
  agg?: readonly MetricAggregation[];
}

/** An uploaded jar. */
export interface UploadedJar {
  /** The jar id to run, plan or delete it with (`<uuid>_<file name>.jar`). */
  jarId: string;
  /** The server-side path Flink reported. */
  filename: string;
}

/**
 * A client for one Flink cluster's REST API: cluster-level calls, jars, and handles on jobs.
 *
 * It owns the only expensive resource, the HTTP connection pool (an undici Agent with keep-alive),
 * shared by every handle it gives out; call `close()` when done. Events `request`, `response` and
 * `retry` report every HTTP attempt, with credentials redacted.
 *
 * @example
 * ```ts
 * const cluster = new ClusterClient({ url: 'http://localhost:8081' });
 * const { jarId } = await cluster.uploadJar('./my-job.jar');
 * const job = await cluster.runJar(jarId, { parallelism: 2 });
 * console.log(await job.status());
 * await cluster.close();
 * ```
 */
export class ClusterClient extends EventEmitter<ClusterClientEvents> {
  readonly #pipeline: RequestPipeline;
  readonly #context: ClientContext;
  #version: Promise<string> | undefined;
  readonly #watchers: WatchRegistry;
  #dashboard: Promise<DashboardConfig> | undefined;

  /**
   * Creates a client. Sends nothing: the first request opens the first connection.
   *
   * @throws FlinkArgumentError for an invalid URL (or one with credentials in it) or option.
   */
  constructor(options: ClusterClientOptions) {
    super();
    const userAgent = `flink-client/${VERSION} node/${process.versions.node}`;
    const resolved = resolvePipelineOptions(options, this, userAgent);
    const { historyServer } = options;
    this.#pipeline = historyServer === undefined
      ? new RequestPipeline(resolved)
      : new ArchiveFallbackPipeline(resolved, new ArchivePipeline(resolvePipelineOptions(archiveOptions(options, historyServer), this, userAgent)));
    this.#context = createClientContext({
      pipeline: this.#pipeline,
      options,
      flinkVersion: (opts) => this.flinkVersion(opts),
      config: (signal) => this.#cachedConfig(signal),
      handles: { job: JobHandle, application: ApplicationHandle },
    });
    this.#watchers = this.#context.watchers;
  }

  /** The REST root of the JobManager the client talks to now (the HA leader it found last). */
  get url(): string {
    const { endpoint } = this.#pipeline.endpoints.current();
    return endpoint.origin + endpoint.root.replace(/\/v1$/, '');
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#pipeline.closed;
  }

  /**
   * A handle on one job. Sends nothing; a later call throws JobNotFoundError if the job does not
   * exist.
   *
   * @throws FlinkArgumentError when the id is not 32 hex characters.
   */
  job(jobId: string): JobClient {
    return this.#context.handles.job(jobId);
  }

  /** Cluster overview (`GET /overview`): task managers, slots, job counts, Flink version. */
  overview(options?: RequestOptions): Promise<ClusterOverview> {
    return this.#pipeline.request({ method: 'GET', path: '/overview', schema: ClusterOverviewSchema }, options);
  }

  /**
   * The web/REST configuration (`GET /config`), including `flink-version`. Also refreshes the
   * cached version.
   */
  async config(options?: RequestOptions): Promise<DashboardConfig> {
    const config = await this.#pipeline.request({ method: 'GET', path: '/config', schema: DashboardConfigSchema, alwaysValidate: true }, options);
    this.#version = Promise.resolve(config['flink-version']);
    this.#dashboard = Promise.resolve(config);
    return config;
  }

  /** `/config`, fetched once for watchers (refresh interval, version); a failed fetch is not cached. */
  #cachedConfig(signal: AbortSignal): Promise<DashboardConfig> {
    if (!this.#dashboard) {
      const pending = this.config({ signal });
      this.#dashboard = pending;
      pending.catch(() => {
        if (this.#dashboard === pending) this.#dashboard = undefined;
      });
    }
    return this.#dashboard;
  }

  /**
   * The cluster's Flink version (such as `2.3.0`), fetched once from `/config` and cached for the
   * life of the client. A failed fetch is not cached.
   */
  flinkVersion(options?: RequestOptions): Promise<string> {
    if (!this.#version) {
      const pending = this.config(options).then((c) => c['flink-version']);
      this.#version = pending;
      pending.catch(() => {
        if (this.#version === pending) this.#version = undefined;
      });
    }
    return this.#version;
  }

  /**
   * Every job the cluster knows, with status, times and task counts (`GET /jobs/overview`, one
   * request however many jobs there are).
   */
  async listJobs(options?: RequestOptions): Promise<JobOverview[]> {
    const body = await this.#pipeline.request({ method: 'GET', path: '/jobs/overview', schema: JobsOverviewSchema }, options);
    return body.jobs;
  }

  /** The JobManager's configuration (`GET /jobmanager/config`) as key/value entries. */
  jobManagerConfig(options?: RequestOptions): Promise<ConfigEntries> {
    return this.#pipeline.request({ method: 'GET', path: '/jobmanager/config', schema: ConfigEntriesSchema }, options);
  }

  /** The registered task managers (`GET /taskmanagers`) with their slots, resources and memory. */
  async listTaskManagers(options?: RequestOptions): Promise<TaskManagers['taskmanagers']> {
    return (await this.#pipeline.request({ method: 'GET', path: '/taskmanagers', schema: TaskManagersSchema }, options)).taskmanagers;
  }

  /**
   * Uploads a jar (`POST /jars/upload`), streaming it from disk or from a stream: a jar of any
   * size is never held in memory. Uploads are not retried once bytes went out.
   *
   * @param source a file path, or a readable stream / async iterable of the jar's bytes (then
   *   `filename` is required)
   * @throws FlinkArgumentError when the file name does not end in `.jar` or the file is missing.
   * @example
   * ```ts
   * const { jarId } = await cluster.uploadJar('./target/job.jar', {
   *   onProgress: ({ bytesSent, totalBytes }) => console.log(bytesSent, '/', totalBytes),
   * });
   * ```
   */
  async uploadJar(source: string | Readable | AsyncIterable<Uint8Array>, options: UploadJarOptions = {}): Promise<UploadedJar> {
    checkOptions(uploadJarOptions, options, 'options');
    if (typeof source !== 'string' && !isByteSource(source)) throw new FlinkArgumentError('source', 'expected a file path, a readable stream or an async iterable of bytes');
    const { filename: givenName, size: givenSize, onProgress, ...requestOptions } = options;
    let filename: string;
    let size: number | undefined;
    let open: () => AsyncIterable<Uint8Array>;
    if (typeof source === 'string') {
      let info;
      try {
        info = await stat(source);
      } catch (err) {
        throw new FlinkArgumentError('source', `cannot read ${JSON.stringify(source)}: ${(err as Error).message}`);
      }
      if (!info.isFile()) throw new FlinkArgumentError('source', `${JSON.stringify(source)} is not a file`);
      filename = givenName ?? basename(source);
      size = info.size;
      open = () => createReadStream(source, { highWaterMark: 256 * 1024 });
    } else {
      if (!givenName) throw new FlinkArgumentError('filename', 'a file name is required when uploading from a stream');
      filename = givenName;
      size = givenSize;
      let used = false;
      open = () => {
        if (used) throw new FlinkError('the upload stream was already consumed', 'FLINK_UPLOAD_STREAM_CONSUMED');
        used = true;
        return source;
      };
    }
    if (!filename.toLowerCase().endsWith('.jar') || /[/\\\x00-\x1f\x7f]/.test(filename)) {
      throw new FlinkArgumentError('filename', `Flink accepts only file names ending in .jar, without path separators or control characters; got ${JSON.stringify(filename.slice(0, 100))}`);
    }
    const body = await this.#pipeline.request(
      {
        method: 'POST',
        path: '/jars/upload',
        stream: () => multipartFileBody({ source: open(), filename, size, onProgress }),
        replayable: typeof source === 'string',
        schema: JarUploadResponseSchema,
        alwaysValidate: true,
      },
      { timeoutMs: 600_000, ...requestOptions },
    );
    const jarId = body.filename.split(/[/\\]/).pop() ?? body.filename;
    return { jarId, filename: body.filename };
  }

  /** The uploaded jars (`GET /jars`), newest first, with their entry classes. */
  async listJars(options?: RequestOptions): Promise<JarList['files']> {
    return (await this.#pipeline.request({ method: 'GET', path: '/jars', schema: JarListSchema }, options)).files;
  }

  /**
   * Runs an uploaded jar (`POST /jars/:jarid/run`) and returns a handle on the job it submitted.
   *
   * The client sends a job id (its own, or `params.jobId`), so a run whose response was lost can
   * be retried without starting a second job; a retry that finds the job already submitted
   * resolves with that job. Across an HA failover it keeps trying (with that id) while the cluster
   * answers that its leader is unreachable (or, with several JobManager URLs, while none answers),
   * for up to the client's `unreachableTimeoutMs`. Flink answers once `main()` has submitted its job, which may take a
   * while: the per-attempt timeout defaults to two minutes here.
   *
   * @throws JarNotFoundError / FlinkBadRequestError when the jar is unknown or the program fails
   *   before submitting.
   * @example
   * ```ts
   * const job = await cluster.runJar(jarId, { args: ['--input', 'x'], parallelism: 2 });
   * await job.waitFor('RUNNING');
   * ```
   */
  async runJar(jarId: string, params: RunJarParams = {}, options: RequestOptions = {}): Promise<JobClient> {
    const id = checkJarId(jarId);
    checkOptions(runJarParams, params, 'params');
    const jobId = params.jobId === null ? undefined : params.jobId === undefined ? newId() : checkId('jobId', params.jobId);
    const recoverDuplicate = (error: FlinkError): JarRunResponse | undefined => (jobId !== undefined && isDuplicateSubmission(error) ? { jobid: jobId } : undefined);
    const send = (o: RequestOptions): Promise<JarRunResponse> => this.#pipeline.request(
      {
        method: 'POST',
        path: `/jars/${encodeURIComponent(id)}/run`,
        json: {
          ...programBody(params),
          jobId,
          savepointPath: params.savepointPath,
          claimMode: params.claimMode,
          allowNonRestoredState: params.allowNonRestoredState,
        },
        schema: JarRunResponseSchema,
        alwaysValidate: true,
        idempotent: jobId !== undefined,
        resource: { kind: 'jar', jarId: id },
        recoverDuplicate,
      },
      { timeoutMs: 120_000, ...o },
    );
    const body = jobId === undefined ? await send(options) : await this.#submitThroughOutage(send, recoverDuplicate, options);
    return this.#context.handles.job(body.jobid, body.applicationId ?? undefined);
  }

  /**
   * Runs an uploaded jar as an application (`POST /jars/:jarid/run-application`, Flink 2.3+) and
   * returns a handle on it at once: Flink answers 202 and runs `main()` asynchronously, so the
   * application may run any number of jobs; follow it with `result()`, `waitFor()` or `jobs()`.
   *
   * The client sends an application id (its own, or `params.applicationId`), so a retried call
   * cannot start the application twice.
   *
   * @throws UnsupportedFeatureError on clusters before Flink 2.3, before sending the run request.
   * @throws JarNotFoundError / FlinkBadRequestError when the jar is unknown or the id is taken.
   * @example
   * ```ts
   * const app = await cluster.runApplication(jarId, { entryClass: 'com.example.Pipeline', args: ['--day', '2026-11-21'] });
   * const final = await app.result({ timeoutMs: 60 * 60_000 });
   * ```
   */
  async runApplication(jarId: string, params: RunApplicationParams = {}, options: RequestOptions = {}): Promise<ApplicationClient> {
    const id = checkJarId(jarId);
    checkOptions(runApplicationParams, params, 'params');
    const applicationId = params.applicationId === undefined ? newId() : checkId('applicationId', params.applicationId);
    const body = programBody(params);
    const version = await this.flinkVersion(options);
    if (!versionAtLeast(version, APPLICATIONS_SINCE)) {
      throw new UnsupportedFeatureError({ feature: 'runApplication()', clusterVersion: version, minimumVersion: `${APPLICATIONS_SINCE}.0` });
    }
    const recoverDuplicate = (error: FlinkError): { applicationid: string } | undefined => (isDuplicateSubmission(error) ? { applicationid: applicationId } : undefined);
    const send = (o: RequestOptions): Promise<{ applicationid: string }> => this.#pipeline.request(
      {
        method: 'POST',
        path: `/jars/${encodeURIComponent(id)}/run-application`,
        json: {
          ...body,
          savepointPath: params.savepointPath,
          claimMode: params.claimMode,
          allowNonRestoredState: params.allowNonRestoredState,
          applicationId,
        },
        schema: ApplicationRunResponseSchema,
        alwaysValidate: true,
        idempotent: true,
        resource: { kind: 'jar', jarId: id },
        recoverDuplicate,
      },
      { timeoutMs: 120_000, ...o },
    );
    const response = await this.#submitThroughOutage(send, recoverDuplicate, options);
    return this.#context.handles.application(response.applicationid);
  }

  /**
   * Sends a submission that a client-chosen id makes safe to repeat until it gets an answer. The
   * pipeline's few quick retries do not outlast an HA failover: a standby answers "leader
   * unreachable" until the dead leader's ZooKeeper session expires (60 s by default), so transient
   * failures are ridden out for the client's `unreachableTimeoutMs`, like a wait. A later try that
   * finds the id already submitted (the first try got through, or the new leader recovered it)
   * resolves with it: the job or application is started once.
   */
  async #submitThroughOutage<T>(send: (o: RequestOptions) => Promise<T>, recoverDuplicate: (e: FlinkError) => T | undefined, options: RequestOptions): Promise<T> {
    const deadline = Date.now() + this.#context.waits.unreachableTimeoutMs;
    for (let tries = 0; ; tries++) {
      try {
        return await send(options);
      } catch (err) {
        const recovered = tries > 0 && err instanceof FlinkError ? recoverDuplicate(err) : undefined;
        if (recovered !== undefined) return recovered;
        // An answer that says "no leader now" is worth waiting on; silence only where another
        // JobManager may take over (several URLs): a single cluster that is down fails as before.
        const rideOut = isTransientError(err) && (err instanceof FlinkApiError || this.#pipeline.endpoints.endpoints.length > 1);
        if (!rideOut || Date.now() >= deadline) throw err;
        const { controller, dispose } = linkedController([options.signal, this.#pipeline.closeSignal]);
        try {
          await sleep(Math.min(2_000, 250 * 2 ** tries, Math.max(0, deadline - Date.now())), controller.signal);
        } catch (abort) {
          if (this.#pipeline.closeSignal.aborted) throw this.#pipeline.closeSignal.reason;
          throw abort;
        } finally {
          dispose();
        }
      }
    }
  }

  /**
   * A handle on one application. Sends nothing; a later call throws ApplicationNotFoundError if
   * it does not exist. On clusters before Flink 2.3 any job id names its single-job application.
   *
   * @throws FlinkArgumentError when the id is not 32 hex characters.
   */
  application(applicationId: string): ApplicationClient {
    return this.#context.handles.application(applicationId);
  }

  /**
   * Every application the cluster knows (`GET /applications/overview`, one request). On clusters
   * before Flink 2.3 every job is listed as its single-job application, marked `emulated`.
   */
  async listApplications(options?: RequestOptions): Promise<ApplicationSummary[]> {
    if (versionAtLeast(await this.flinkVersion(options), APPLICATIONS_SINCE)) {
      const body = await this.#pipeline.request({ method: 'GET', path: '/applications/overview', schema: ApplicationsOverviewSchema }, options);
      return body.applications.map(applicationSummaryOfOverview);
    }
    return (await this.listJobs(options)).map(applicationSummaryOfJob);
  }

  /**
   * The dataflow plan a jar would produce (`POST /jars/:jarid/plan`), without running it.
   *
   * @throws JarNotFoundError / FlinkBadRequestError when the jar is unknown or the program fails.
   */
  async planJar(jarId: string, params: JarProgramParams = {}, options: RequestOptions = {}): Promise<JobPlan> {
    const id = checkJarId(jarId);
    checkOptions(jarProgramParams, params, 'params');
    return this.#pipeline.request(
      {
        method: 'POST',
        path: `/jars/${encodeURIComponent(id)}/plan`,
        json: programBody(params),
        schema: JobPlanSchema,
        idempotent: true,
        resource: { kind: 'jar', jarId: id },
      },
      { timeoutMs: 120_000, ...options },
    );
  }

  /** Deletes an uploaded jar (`DELETE /jars/:jarid`). */
  async deleteJar(jarId: string, options?: RequestOptions): Promise<void> {
    const id = checkJarId(jarId);
    await this.#pipeline.request(
      { method: 'DELETE', path: `/jars/${encodeURIComponent(id)}`, schema: EmptyResponseSchema, resource: { kind: 'jar', jarId: id } },
      options,
    );
  }

  /**
   * Deletes a savepoint's files (`POST /savepoint-disposal`) and returns a handle on the disposal;
   * await its `result()` to know it is gone.
   *
   * @example
   * ```ts
   * await (await cluster.disposeSavepoint(location)).result();
   * ```
   */
  async disposeSavepoint(savepointPath: string, params: { triggerId?: string } = {}, options?: RequestOptions): Promise<AsyncOperation<void>> {
    if (typeof savepointPath !== 'string' || savepointPath.length === 0) throw new FlinkArgumentError('savepointPath', 'expected a non-empty path');
    checkOptions(disposeSavepointParams, params, 'params');
    const triggerId = params.triggerId === undefined ? newId() : checkId('triggerId', params.triggerId);
    const body = await this.#pipeline.request(
      {
        method: 'POST',
        path: '/savepoint-disposal',
        json: { 'savepoint-path': savepointPath, triggerId },
        schema: TriggerResponseSchema,
        alwaysValidate: true,
        idempotent: true,
      },
      options,
    );
    return this.#context.handles.operation(disposalDriver(this.#pipeline, body['request-id']));
  }

  /** A handle on a savepoint disposal triggered earlier, by its trigger id. Sends nothing. */
  savepointDisposalOperation(triggerId: string): AsyncOperation<void> {
    return this.#context.handles.operation(disposalDriver(this.#pipeline, checkId('triggerId', triggerId)));
  }

  /**
   * Shuts the whole cluster down (`DELETE /cluster`): every job is stopped and the JobManager
   * exits. Not retried.
   */
  async shutDownCluster(options?: RequestOptions): Promise<void> {
    await this.#pipeline.request({ method: 'DELETE', path: '/cluster', schema: EmptyResponseSchema, idempotent: false }, options);
  }

  /** A handle on the cluster's JobManager: environment, metrics, thread dump, logs. Sends nothing. */
  jobManager(): JobManagerClient {
    return new JobManagerHandle(this.#context);
  }

  /**
   * A handle on one TaskManager, by the id `listTaskManagers()` reports. Sends nothing.
   *
   * @throws FlinkArgumentError for an id with characters a TaskManager id never has.
   */
  taskManager(taskManagerId: string): TaskManagerClient {
    return new TaskManagerHandle(this.#context, taskManagerId);
  }

  /** Every job's id and status (`GET /jobs`): the lightest listing. */
  async listJobIds(options?: RequestOptions): Promise<JobIdWithStatus[]> {
    return (await this.#pipeline.request({ method: 'GET', path: '/jobs', schema: JobIdsWithStatusSchema }, options)).jobs;
  }

  /** The names of the metrics the jobs have (`GET /jobs/metrics`). */
  jobMetricNames(options?: RequestOptions): Promise<string[]> {
    return readMetricNames({ pipeline: this.#pipeline, path: '/jobs/metrics' }, true, options);
  }

  /**
   * Named job metrics aggregated over jobs (`GET /jobs/metrics?get=&agg=&jobs=`), such as the
   * total of `numRestarts`: numbers. Names no job has are left out.
   *
   * @param params.jobs only these job ids (every job by default)
   * @throws FlinkArgumentError for an empty list, a name with a comma or an invalid id.
   * @example
   * ```ts
   * const { numRestarts } = await cluster.aggregatedJobMetrics(['numRestarts'], { agg: ['sum'] });
   * ```
   */
  async aggregatedJobMetrics(names: readonly string[], params: AggregatedMetricsParams & { jobs?: readonly string[] } = {}, options?: RequestOptions): Promise<AggregatedMetrics> {
    const jobs = params.jobs === undefined ? undefined : nonEmptyList('params.jobs', params.jobs).map((id) => checkId('params.jobs', id)).join(',');
    return readAggregatedMetrics({ pipeline: this.#pipeline, path: '/jobs/metrics', query: { jobs } }, names, params.agg, options);
  }

  /** The names of the metrics the TaskManagers have (`GET /taskmanagers/metrics`). */
  taskManagerMetricNames(options?: RequestOptions): Promise<string[]> {
    return readMetricNames({ pipeline: this.#pipeline, path: '/taskmanagers/metrics' }, true, options);
  }

  /**
   * Named TaskManager metrics aggregated over TaskManagers (`GET /taskmanagers/metrics?get=&agg=&taskmanagers=`).
   *
   * @param params.taskManagers only these TaskManager ids (every one by default)
   * @throws FlinkArgumentError for an empty list, a name with a comma or an invalid id.
   * @example
   * ```ts
   * const heap = await cluster.aggregatedTaskManagerMetrics(['Status.JVM.Memory.Heap.Used'], { agg: ['max', 'sum'] });
   * ```
   */
  async aggregatedTaskManagerMetrics(names: readonly string[], params: AggregatedMetricsParams & { taskManagers?: readonly string[] } = {}, options?: RequestOptions): Promise<AggregatedMetrics> {
    const tms = params.taskManagers === undefined ? undefined : nonEmptyList('params.taskManagers', params.taskManagers).map((id) => checkTaskManagerId(id)).join(',');
    return readAggregatedMetrics({ pipeline: this.#pipeline, path: '/taskmanagers/metrics', query: { taskmanagers: tms } }, names, params.agg, options);
  }

  /** The cluster's data sets (`GET /datasets`): intermediate results kept across jobs. */
  async listDataSets(options?: RequestOptions): Promise<ClusterDataSets['dataSets']> {
    return (await this.#pipeline.request({ method: 'GET', path: '/datasets', schema: ClusterDataSetsSchema }, options)).dataSets;
  }

  /**
   * Deletes a cluster data set (`DELETE /datasets/:id`) and returns a handle on the deletion;
   * await its `result()` to know it is gone. Flink picks the trigger id here, so the call is not
   * retried once sent.
   *
   * @throws FlinkArgumentError when the id is not 32 hex characters.
   */
  async deleteDataSet(dataSetId: string, options?: RequestOptions): Promise<AsyncOperation<void>> {
    const id = checkId('dataSetId', dataSetId);
    const body = await this.#pipeline.request({ method: 'DELETE', path: `/datasets/${id}`, schema: TriggerResponseSchema, alwaysValidate: true, idempotent: false }, options);
    return this.#context.handles.operation(dataSetDeletionDriver(this.#pipeline, body['request-id']));
  }

  /** A handle on a data set deletion triggered earlier, by its trigger id. Sends nothing. */
  dataSetDeletionOperation(triggerId: string): AsyncOperation<void> {
    return this.#context.handles.operation(dataSetDeletionDriver(this.#pipeline, checkId('triggerId', triggerId)));
  }

  /**
   * Any REST call, through the same pipeline as every method (auth, retries, HA failover, events,
   * size cap, typed errors): for routes the SDK has no method for, or new ones. With a zod schema
   * the answer is validated (FlinkValidationError otherwise); without one the parsed JSON comes
   * back as `unknown`.
   *
   * @throws FlinkArgumentError for a path that does not start with `/`, or has `..`, a query or
   *   control characters in it (pass the query as `query`).
   * @example
   * ```ts
   * import { z } from 'zod';
   * const body = await cluster.request({ method: 'GET', path: '/jobs/overview', schema: z.object({ jobs: z.array(z.unknown()) }) });
   * ```
   */
  async request<T = unknown>(params: ClusterRequest<T>, options?: RequestOptions): Promise<T> {
    if (typeof params !== 'object' || params === null) throw new FlinkArgumentError('params', 'expected an object');
    const { method, path, query, body, schema, idempotent } = params;
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) throw new FlinkArgumentError('params.method', 'expected GET, POST, PUT, PATCH or DELETE');
    if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || /[?#\x00-\x20\x7f\\]/.test(path) || path.split('/').some((s) => s === '..' || s === '.')) {
      throw new FlinkArgumentError('params.path', `expected a path below the REST root such as "/jobs/overview" (no query, "..", spaces or control characters), got ${JSON.stringify(String(path).slice(0, 80))}`);
    }
    if (schema !== undefined && typeof (schema as { safeParse?: unknown }).safeParse !== 'function') throw new FlinkArgumentError('params.schema', 'expected a zod schema');
    const dual: DualSchema<T> = schema
      ? { for: () => schema, validate: (_mode, value) => schema.safeParse(value) as ReturnType<DualSchema<T>['validate']> }
      : { for: () => undefined as never, validate: (_mode, value) => ({ success: true, data: value as T }) };
    return this.#pipeline.request({ method, path, query, json: body, schema: dual, alwaysValidate: true, idempotent }, options);
  }

  /**
   * Watches jobs and applications of the cluster: every one (`'all'`) or chosen ids, reporting
   * only what changes. Returns a {@link ClusterWatcher}: an event emitter (`added`, `status`,
   * `terminal`, `removed`, `error`) with `start()` / `stop()`, and an async iterator of the same
   * events. Sends nothing until started.
   *
   * Every watcher of this client shares one poll of `GET /jobs/overview` (and, on Flink 2.3+ when
   * applications are watched, of `GET /applications/overview`) at the smallest interval any of
   * them asked for, default the cluster's `web.refresh-interval` (3 s): watching 10 000 jobs costs
   * one request per interval, not 10 000. Transient failures are retried with backoff and reported
   * as `error` events; the watcher resumes where it was when the JobManager answers again.
   *
   * @param options.jobs job ids, or `'all'` (the default when `applications` is not given either)
   * @param options.applications application ids, or `'all'`
   * @param options.pollIntervalMs the pace, in ms (default: `web.refresh-interval` from `/config`)
   * @param options.changes `'status'` (default) or `'all'` (also task-level progress)
   * @param options.signal stops the watcher
   * @throws FlinkArgumentError for an id that is not 32 hex characters or an invalid option.
   * @example
   * ```ts
   * const watcher = cluster.watch({ jobs: 'all' })
   *   .on('status', (c) => console.log(`${c.details.name}: ${c.previousStatus} → ${c.status}`))
   *   .on('error', (e) => console.warn(e.error.message))
   *   .start();
   * process.once('SIGINT', () => watcher.stop());
   * ```
   */
  watch(options: ClusterWatchOptions = {}): ClusterWatcher {
    return new ClusterWatcherHandle(this.#watchers, options);
  }

  /**
   * The shared polls the client runs for its watchers right now (at most one per resource kind),
   * with their pace, poll count, subscribers and snapshot size: what watching costs, for
   * monitoring. Empty when nothing is watched.
   *
   * @example
   * ```ts
   * for (const p of cluster.watchPollers()) console.log(p.resource, p.intervalMs, p.subscribers);
   * ```
   */
  watchPollers(): WatchPollerInfo[] {
    return this.#watchers.pollers();
  }

  /**
   * Closes the connection pool the client owns (a dispatcher passed in is left open), stops every
   * watcher (their iterators complete) and removes every event listener. Calls after `close()`
   * reject with code `FLINK_CLIENT_CLOSED`.
   */
  async close(): Promise<void> {
    this.#watchers.close();
    await this.#pipeline.close();
    this.removeAllListeners();
  }
}

function programBody(params: JarProgramParams): Record<string, unknown> {
  return {
    entryClass: params.entryClass,
    programArgsList: params.args,
    parallelism: params.parallelism,
    flinkConfiguration: params.configuration,
  };
}

/** Flink's answer when a job id is submitted twice: the first attempt did start the job. */
function isDuplicateSubmission(error: FlinkError): boolean {
  const errors = (error as { errors?: readonly string[] }).errors ?? [];
  return errors.some((e) => /DuplicateJobSubmissionException|already been submitted/i.test(e));
}

function isByteSource(source: unknown): boolean {
  return typeof source === 'object' && source !== null && typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

function nonEmptyList(name: string, list: unknown): unknown[] {
  if (!Array.isArray(list) || list.length === 0) throw new FlinkArgumentError(name, 'expected a non-empty array');
  return list;
}

/** The options of a HistoryServer beside a cluster: the cluster's, at the HistoryServer's URL (TLS settings only for an https one). */
function archiveOptions(options: ClusterClientOptions, historyServer: string | URL): ClusterClientOptions {
  const { historyServer: _cluster, tls, ...rest } = options;
  const secure = String(historyServer).startsWith('https:');
  return { ...rest, ...(secure && tls ? { tls } : {}), url: historyServer };
}

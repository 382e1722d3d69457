import { EventEmitter } from 'eventemitter3';
import { ApplicationHandle } from '../application/application-handle.js';
import type { ClientContext } from '../context/client-context.js';
import { createClientContext } from '../context/create-client-context.js';
import type { ApplicationClient, JobClient } from '../context/handles.js';
import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import type { ClusterClientEvents } from '../events.js';
import { ArchivePipeline } from '../http/archive-pipeline.js';
import { resolvePipelineOptions } from '../http/request-pipeline.js';
import { APPLICATIONS_SINCE, versionAtLeast } from '../internal/flink-version.js';
import { JobHandle } from '../job/job-handle.js';
import type { ClusterClientOptions } from '../options/client-options.js';
import type { RequestOptions } from '../options/request-options.js';
import { type ApplicationSummary, applicationSummaryOfJob, applicationSummaryOfOverview } from '../schemas/application-summary.js';
import { ApplicationsOverviewSchema } from '../schemas/applications.js';
import { type DashboardConfig, DashboardConfigSchema } from '../schemas/cluster.js';
import { type JobOverview, JobsOverviewSchema } from '../schemas/jobs.js';
import { VERSION } from '../version.js';
import type { WatchRegistry } from '../watch/watch-registry.js';

/**
 * Options of a {@link HistoryServerClient}: those of a ClusterClient (TLS, auth, headers,
 * retries, validation, logger), with `url` the HistoryServer's (`historyserver.web.address` and
 * `historyserver.web.port`, 8082 by default).
 */
export type HistoryServerClientOptions = Omit<ClusterClientOptions, 'historyServer'>;

/**
 * A client for a Flink HistoryServer: the jobs (and, on Flink 2.3, the applications) that ended
 * on the clusters archiving into its `historyserver.archive.fs.dir`.
 *
 * It hands out the same handles as a ClusterClient. Their reads work against the archive:
 * `describe()`, `status()`, `result()`, `config()`, `exceptions()`, `accumulators()`, `plan()`,
 * `checkpoints()`, `checkpointConfig()`, `checkpointDetails()`, `jobManagerConfig()`,
 * `vertex(id).describe()`, and for applications `describe()`, `status()`, `result()`, `jobs()`,
 * `exceptions()`, `jobManagerConfig()`. A HistoryServer serves files the JobManager precomputed
 * when the job ended, so `status()` and `result()` are derived from the archived details (the
 * result's `netRuntimeMs` is the job's duration), and what needs a live cluster — savepoints,
 * checkpoints, cancel, rescale, heartbeats — throws ArchiveReadOnlyError before sending.
 * Metrics, logs, back pressure and flame graphs are not archived (FlinkNotFoundError).
 *
 * A job appears in the archive one `historyserver.archive.fs.refresh-interval` (10 s by default)
 * after it ended. To follow a cluster to its end and then its archive, pass `historyServer` to the
 * ClusterClient instead.
 *
 * @example
 * ```ts
 * const history = new HistoryServerClient({ url: 'http://localhost:8082' });
 * for (const job of await history.listJobs()) console.log(job.jid, job.state);
 * const result = await history.application(appId).result(); // its final description
 * await history.close();
 * ```
 */
export class HistoryServerClient extends EventEmitter<ClusterClientEvents> {
  readonly #pipeline: ArchivePipeline;
  readonly #context: ClientContext;
  readonly #watchers: WatchRegistry;
  #config: Promise<DashboardConfig> | undefined;

  /**
   * Creates a client. Sends nothing.
   *
   * @throws FlinkArgumentError for an invalid URL (or one with credentials in it) or option.
   */
  constructor(options: HistoryServerClientOptions) {
    super();
    if (typeof options === 'object' && options !== null && 'historyServer' in options) {
      throw new FlinkArgumentError('options.historyServer', 'is an option of ClusterClient; a HistoryServerClient takes the HistoryServer as `url`');
    }
    this.#pipeline = new ArchivePipeline(resolvePipelineOptions(options, this, `flink-client/${VERSION} node/${process.versions.node}`));
    this.#context = createClientContext({
      pipeline: this.#pipeline,
      options,
      flinkVersion: (opts) => this.flinkVersion(opts),
      config: (signal) => this.#cachedConfig({ signal }),
      handles: { job: JobHandle, application: ApplicationHandle },
    });
    this.#watchers = this.#context.watchers;
  }

  /** The HistoryServer's URL. */
  get url(): string {
    const { endpoint } = this.#pipeline.endpoints.current();
    return endpoint.origin + endpoint.root.replace(/\/v1$/, '');
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#pipeline.closed;
  }

  /**
   * The HistoryServer's `/config`: its Flink version, its web refresh interval, and
   * `features['web-history']: true`.
   */
  config(options?: RequestOptions): Promise<DashboardConfig> {
    const pending = this.#pipeline.request({ method: 'GET', path: '/config', schema: DashboardConfigSchema, alwaysValidate: true }, options);
    this.#config = pending;
    pending.catch(() => {
      if (this.#config === pending) this.#config = undefined;
    });
    return pending;
  }

  #cachedConfig(options?: RequestOptions): Promise<DashboardConfig> {
    return this.#config ?? this.config(options);
  }

  /** The HistoryServer's Flink version, fetched once from `/config` (a failed fetch is not cached). */
  async flinkVersion(options?: RequestOptions): Promise<string> {
    return (await this.#cachedConfig(options))['flink-version'];
  }

  /** Every archived job (`GET /jobs/overview`): its final state, times and task counts. */
  async listJobs(options?: RequestOptions): Promise<JobOverview[]> {
    return (await this.#pipeline.request({ method: 'GET', path: '/jobs/overview', schema: JobsOverviewSchema }, options)).jobs;
  }

  /**
   * A handle on an archived job. Sends nothing; a later read throws JobNotFoundError when the
   * archive does not have the job (yet).
   *
   * @throws FlinkArgumentError when the id is not 32 hex characters.
   * @example
   * ```ts
   * const job = history.job(jobId);
   * const [details, accumulators] = await Promise.all([job.describe(), job.accumulators()]);
   * ```
   */
  job(jobId: string): JobClient {
    return this.#context.handles.job(jobId);
  }

  /**
   * Every archived application (`GET /applications/overview`, Flink 2.3+). A HistoryServer of an
   * older Flink archives jobs only: each is listed as its single-job application, marked
   * `emulated`.
   */
  async listApplications(options?: RequestOptions): Promise<ApplicationSummary[]> {
    if (versionAtLeast(await this.flinkVersion(options), APPLICATIONS_SINCE)) {
      const body = await this.#pipeline.request({ method: 'GET', path: '/applications/overview', schema: ApplicationsOverviewSchema }, options);
      return body.applications.map(applicationSummaryOfOverview);
    }
    return (await this.listJobs(options)).map(applicationSummaryOfJob);
  }

  /**
   * A handle on an archived application. Sends nothing; a later read throws
   * ApplicationNotFoundError when the archive does not have it (yet).
   *
   * @throws FlinkArgumentError when the id is not 32 hex characters.
   */
  application(applicationId: string): ApplicationClient {
    return this.#context.handles.application(applicationId);
  }

  /** Closes the connection pool; calls in flight reject with `FLINK_CLIENT_CLOSED`. */
  async close(): Promise<void> {
    this.#watchers.close();
    await this.#pipeline.close();
    this.removeAllListeners();
  }
}

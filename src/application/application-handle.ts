import { ApplicationFailedError } from '../errors/application-failed-error.js';
import { ApplicationNotFoundError } from '../errors/application-not-found-error.js';
import { ApplicationStuckError } from '../errors/application-stuck-error.js';
import { FlinkNotFoundError } from '../errors/flink-not-found-error.js';
import { FlinkConflictError } from '../errors/flink-conflict-error.js';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.js';
import type { ClientContext } from '../context/client-context.js';
import type { ApplicationDescription, ApplicationStatusTarget } from '../context/application-types.js';
import type { ApplicationClient, JobClient } from '../context/handles.js';
import { checkId } from '../internal/ids.js';
import { summarizeThrowable, type ThrowableSummary } from '../internal/throwable.js';
import { APPLICATIONS_SINCE, versionAtLeast } from '../internal/flink-version.js';
import { pollUntil } from '../operations/poll.js';
import { STATUS_PACE, waitForState } from '../operations/wait-for-state.js';
import { waitSettings } from '../operations/wait-settings.js';
import type { RequestOptions, WaitOptions } from '../options/request-options.js';
import {
  type ApplicationExceptions,
  ApplicationExceptionsSchema,
  type ApplicationStatus,
  ApplicationDetailsSchema,
  isTerminalApplicationStatus,
  KNOWN_APPLICATION_STATUSES,
  type KnownApplicationStatus,
} from '../schemas/applications.js';
import { type ConfigEntries, ConfigEntriesSchema } from '../schemas/cluster.js';
import { KNOWN_EXECUTION_STATES, type JobDetails, JobDetailsSchema, type JobOverview, JobStatusInfoSchema } from '../schemas/jobs.js';
import { isGloballyTerminalJobStatus } from '../schemas/job-status.js';
import { EmptyResponseSchema } from '../schemas/operations.js';
import { watchOne } from '../watch/watch-one.js';
import type { ApplicationChange, ApplicationWatchOptions } from '../watch/watch-types.js';
import { applicationStatusOfJobStatus, JOB_STATUSES_OF_APPLICATION_STATUS } from '../schemas/application-status.js';
import { applicationSummaryOfDetails, applicationSummaryOfJob } from '../schemas/application-summary.js';

/** The {@link ApplicationClient} handle: an application id and the client's context, nothing else. */
export class ApplicationHandle implements ApplicationClient {
  /** The application id, 32 lowercase hex characters. */
  readonly applicationId: string;
  readonly #context: ClientContext;

  /**
   * Makes a handle; use `cluster.application(id)`, `cluster.runApplication()` or
   * `job.application()` instead.
   * @internal
   */
  constructor(context: ClientContext, applicationId: string) {
    this.#context = context;
    this.applicationId = checkId('applicationId', applicationId);
  }

  get #resource(): { kind: 'application'; applicationId: string } {
    return { kind: 'application', applicationId: this.applicationId };
  }

  async #native(options?: RequestOptions): Promise<boolean> {
    return versionAtLeast(await this.#context.flinkVersion(options), APPLICATIONS_SINCE);
  }

  /**
   * The application's current state.
   *
   * @throws ApplicationNotFoundError when the cluster does not know the application (Flink 2.3
   *   answers 500 for that; the SDK recognises it).
   */
  async status(options?: RequestOptions): Promise<ApplicationStatus> {
    if (await this.#native(options)) return (await this.#details(options)).status;
    const body = await this.#context.pipeline.request(
      { method: 'GET', path: `/jobs/${this.applicationId}/status`, schema: JobStatusInfoSchema, alwaysValidate: true, resource: this.#resource },
      options,
    );
    return applicationStatusOfJobStatus(body.status);
  }

  /**
   * The application's name, state, times, the timestamp of every state reached, and its jobs.
   *
   * @throws ApplicationNotFoundError when the cluster does not know the application.
   * @example
   * ```ts
   * const { status, jobs, emulated } = await app.describe();
   * ```
   */
  async describe(options?: RequestOptions): Promise<ApplicationDescription> {
    if (await this.#native(options)) {
      const d = await this.#details(options);
      return { ...applicationSummaryOfDetails(d), timestamps: reached(d.timestamps), jobs: d.jobs };
    }
    const job = await this.#context.pipeline.request(
      { method: 'GET', path: `/jobs/${this.applicationId}`, schema: JobDetailsSchema, alwaysValidate: true, resource: this.#resource },
      options,
    );
    return emulateDescription(job);
  }

  /** Handles on the application's jobs (one request to list them). */
  async jobs(options?: RequestOptions): Promise<JobClient[]> {
    const { jobs } = await this.describe(options);
    return jobs.map((j) => this.#context.handles.job(j.jid, this.applicationId));
  }

  /**
   * Cancels the application: Flink cancels its unfinished jobs and waits for them. Resolves once
   * Flink accepted the request (also when the application is already CANCELED); use
   * `waitFor('CANCELED')` or `result()` to wait for the end.
   *
   * @throws FlinkConflictError when the application already reached FINISHED or FAILED.
   * @throws ApplicationNotFoundError when the cluster does not know the application.
   */
  async cancel(options?: RequestOptions): Promise<void> {
    if (!(await this.#native(options))) {
      await this.#context.pipeline.request(
        { method: 'PATCH', path: `/jobs/${this.applicationId}`, query: { mode: 'cancel' }, schema: EmptyResponseSchema, resource: this.#resource },
        options,
      );
      return;
    }
    try {
      await this.#context.pipeline.request(
        { method: 'POST', path: `/applications/${this.applicationId}/cancel`, schema: EmptyResponseSchema, idempotent: true, resource: this.#resource },
        options,
      );
    } catch (err) {
      // Flink 2.3 answers 404 for every application that is not running, terminal ones included;
      // look the application up to tell "already over" from "never existed".
      if (!(err instanceof ApplicationNotFoundError)) throw err;
      let state: ApplicationStatus;
      try {
        state = (await this.#details(options)).status;
      } catch (lookup) {
        if (lookup instanceof ApplicationNotFoundError) throw err;
        throw lookup;
      }
      if (state === 'CANCELED') return;
      if (isTerminalApplicationStatus(state)) {
        throw new FlinkConflictError({
          status: err.status,
          method: err.method,
          url: err.url,
          path: err.path,
          errors: err.errors,
          body: err.body,
          message: `${err.method} ${err.path} → ${err.status}: application ${this.applicationId} already reached terminal state ${state}`,
          cause: err,
        });
      }
      throw err;
    }
  }

  /**
   * The application's exception history, newest first: failures of `main()` itself (no `jobId`)
   * and of its jobs. Flink 2.3 and newer.
   *
   * @throws UnsupportedFeatureError on clusters before Flink 2.3, before sending the request.
   * @throws ApplicationNotFoundError when the cluster does not know the application.
   */
  async exceptions(options?: RequestOptions): Promise<ApplicationExceptions> {
    await this.#requireNative('ApplicationClient.exceptions()', options);
    const body = await this.#context.pipeline.request(
      { method: 'GET', path: `/applications/${this.applicationId}/exceptions`, schema: ApplicationExceptionsSchema, resource: this.#resource },
      options,
    );
    body.exceptionHistory.entries.sort((a, b) => b.timestamp - a.timestamp);
    return body;
  }

  /**
   * The JobManager configuration the application runs with. On clusters before 2.3 (session
   * mode) that is the cluster's JobManager configuration.
   */
  async jobManagerConfig(options?: RequestOptions): Promise<ConfigEntries> {
    const path = (await this.#native(options)) ? `/applications/${this.applicationId}/jobmanager/config` : '/jobmanager/config';
    return this.#context.pipeline.request({ method: 'GET', path, schema: ConfigEntriesSchema, resource: this.#resource }, options);
  }

  /**
   * Polls the application's state until it matches `target`, and returns the state reached.
   *
   * @throws UnreachableStateError when a terminal state that does not match is reached.
   * @throws FlinkTimeoutError (phase `wait`) when `timeoutMs` passes; FlinkAbortError on abort.
   */
  waitFor(target: ApplicationStatusTarget, options?: WaitOptions): Promise<ApplicationStatus> {
    const read = this.#waitRead(typeof target === 'function' ? 'a matching state' : [target].flat().join(' or '));
    return waitForState({
      read,
      target,
      isTerminal: isTerminalApplicationStatus,
      resource: 'application',
      id: this.applicationId,
      options,
      defaults: this.#context.waits,
    });
  }

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
  watch(options: ApplicationWatchOptions = {}): AsyncIterableIterator<ApplicationChange> {
    return watchOne(this.#context.watchers, 'application', this.applicationId, options) as AsyncIterableIterator<ApplicationChange>;
  }

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
  async result(options?: WaitOptions): Promise<ApplicationDescription> {
    const settings = waitSettings(options, this.#context.waits, STATUS_PACE, `application ${this.applicationId} result`, { name: 'flink.application.result', attributes: { 'flink.application.id': this.applicationId } });
    const read = this.#waitRead('the end of the application');
    const status = await pollUntil((signal) => read({ ...settings.request, signal }), isTerminalApplicationStatus, settings);
    if (status === 'FINISHED') return this.describe({ ...settings.request, signal: settings.signal });
    const exception = await this.#lastException({ ...settings.request, signal: settings.signal });
    throw new ApplicationFailedError({ applicationId: this.applicationId, status, ...exception });
  }

  async #lastException(options: RequestOptions): Promise<Partial<ThrowableSummary>> {
    try {
      if (await this.#native(options)) {
        const entry = (await this.exceptions(options)).exceptionHistory.entries[0];
        return entry ? summarizeThrowable(entry.stacktrace) : {};
      }
      const history = await this.#context.handles.job(this.applicationId).exceptions({}, options);
      const trace = history.exceptionHistory.entries[0]?.stacktrace;
      return trace ? summarizeThrowable(trace) : {};
    } catch {
      // The failure itself is what matters; its text is a best-effort addition.
      return {};
    }
  }

  /**
   * The status read of one wait (`waitFor`, `result`). On Flink 2.3+ it also watches a CANCELING
   * application for the state Flink 2.3.0 can leave it in for good (see ApplicationStuckError):
   * jobs Flink left running are cancelled by the client, and once nothing of the application runs
   * and Flink is known (or, without its evidence, long enough seen) not to move on, the wait ends
   * with ApplicationStuckError instead of running into its deadline.
   */
  #waitRead(awaited: string): (options: RequestOptions) => Promise<ApplicationStatus> {
    let watch: CancelingWatch | undefined;
    return async (options) => {
      if (!(await this.#native(options))) return this.status(options);
      const details = await this.#details(options);
      if (details.status !== 'CANCELING') {
        watch = undefined;
        return details.status;
      }
      watch ??= new CancelingWatch();
      const verdict = await watch.observe(details, {
        exceptions: () => this.exceptions(options),
        cancelJob: (jobId) => this.#context.handles.job(jobId, this.applicationId).cancel(options),
      });
      if (verdict) throw new ApplicationStuckError({ id: this.applicationId, awaited, jobs: details.jobs.map((j) => ({ jid: j.jid, state: j.state })), canceledJobs: [...watch.canceled], evidence: verdict });
      return details.status;
    };
  }

  #details(options?: RequestOptions) {
    return this.#context.pipeline.request(
      { method: 'GET', path: `/applications/${this.applicationId}`, schema: ApplicationDetailsSchema, alwaysValidate: true, resource: this.#resource },
      options,
    );
  }

  async #requireNative(feature: string, options?: RequestOptions): Promise<void> {
    const version = await this.#context.flinkVersion(options);
    if (!versionAtLeast(version, APPLICATIONS_SINCE)) {
      throw new UnsupportedFeatureError({ feature, clusterVersion: version, minimumVersion: `${APPLICATIONS_SINCE}.0` });
    }
  }
}

/** After this long CANCELING with a job still neither ending nor being cancelled, Flink has given up on it (it cancels them within milliseconds otherwise). */
const LEFTOVER_JOBS_AFTER_MS = 2_000;
/**
 * After this long CANCELING with every job ended and no exception recorded, Flink is not going to
 * move on: it notices its last job ended within one `client.retry-period` (2 s by default).
 */
const STUCK_AFTER_MS = 6_000;
/** The exception history is read at most this often while CANCELING. */
const EXCEPTIONS_EVERY_MS = 1_000;

/**
 * What one wait has seen of a CANCELING application: when, which jobs it cancelled. Flink 2.3.0
 * leaves a cancelled application CANCELING for good when the end of its `main()` or of its jobs is
 * handled after the cancel (the handler's next state change is refused); then the exception of
 * `main()` (an InterruptedException when the cancel interrupted it) is recorded after the
 * CANCELING timestamp, or — when the end was a success — nothing is, and its jobs have all ended.
 */
class CancelingWatch {
  readonly canceled = new Set<string>();
  readonly #since = Date.now();
  #allEndedSince: number | undefined;
  #exceptionsReadAt: number | undefined;
  #failedAfterCancel = false;

  /** The evidence that the application is stuck, once nothing of it runs any more; else undefined. */
  async observe(
    details: { timestamps: Record<string, number>; jobs: ReadonlyArray<{ jid: string; state: string }> },
    io: { exceptions: () => Promise<ApplicationExceptions>; cancelJob: (jobId: string) => Promise<void> },
  ): Promise<string | undefined> {
    const now = Date.now();
    const open = details.jobs.filter((j) => !isGloballyTerminalJobStatus(j.state));
    this.#allEndedSince = open.length > 0 ? undefined : (this.#allEndedSince ?? now);
    const cancelingAt = details.timestamps.CANCELING ?? 0;
    if (!this.#failedAfterCancel && cancelingAt > 0 && (this.#exceptionsReadAt === undefined || now - this.#exceptionsReadAt >= EXCEPTIONS_EVERY_MS)) {
      this.#exceptionsReadAt = now;
      const { entries } = (await io.exceptions()).exceptionHistory;
      this.#failedAfterCancel = entries.some((e) => e.timestamp >= cancelingAt);
    }
    if (this.#failedAfterCancel || now - this.#since >= LEFTOVER_JOBS_AFTER_MS) {
      for (const job of open) {
        if (job.state === 'CANCELLING' || this.canceled.has(job.jid)) continue;
        try {
          await io.cancelJob(job.jid);
          this.canceled.add(job.jid);
        } catch (err) {
          // The job ended (or went away) meanwhile: nothing left to cancel.
          if (!(err instanceof FlinkConflictError || err instanceof FlinkNotFoundError)) throw err;
        }
      }
    }
    if (open.length > 0) return undefined;
    if (this.#failedAfterCancel) return 'Flink recorded a failure of the application after it began cancelling, and cannot leave CANCELING after that (Flink 2.3.0)';
    if (now - (this.#allEndedSince as number) >= STUCK_AFTER_MS) return `every job of it ended ${Math.round((now - (this.#allEndedSince as number)) / 1000)} s ago and Flink did not finish the cancel (Flink 2.3.0 leaves it CANCELING when the end of main() is handled after the cancel)`;
    return undefined;
  }
}

function reached(timestamps: Record<string, number>): Partial<Record<KnownApplicationStatus, number>> {
  const out: Partial<Record<KnownApplicationStatus, number>> = {};
  for (const state of KNOWN_APPLICATION_STATUSES) {
    const at = timestamps[state];
    if (at !== undefined && at > 0) out[state] = at;
  }
  return out;
}

/** The single-job application Flink's model makes of a job, for clusters before 2.3. */
function emulateDescription(job: JobDetails): ApplicationDescription {
  const timestamps: Partial<Record<KnownApplicationStatus, number>> = {};
  for (const state of KNOWN_APPLICATION_STATUSES) {
    const times = JOB_STATUSES_OF_APPLICATION_STATUS[state].map((s) => job.timestamps[s] ?? 0).filter((t) => t > 0);
    if (times.length > 0) timestamps[state] = Math.min(...times);
  }
  const tasks = Object.fromEntries(KNOWN_EXECUTION_STATES.map((s) => [s.toLowerCase(), job['status-counts'][s] ?? 0])) as Record<string, number>;
  const total = Object.values(tasks).reduce((a, b) => a + b, 0);
  const overview: JobOverview = {
    jid: job.jid,
    name: job.name,
    'start-time': job['start-time'],
    'end-time': job['end-time'],
    duration: job.duration,
    state: job.state,
    'last-modification': Math.max(job['start-time'], ...Object.values(job.timestamps)),
    tasks: { ...(tasks as unknown as JobOverview['tasks']), total },
  };
  return { ...applicationSummaryOfJob(overview), timestamps, jobs: [overview] };
}

import type { ApplicationSummary } from '../schemas/application-summary.js';
import type { FlinkError } from '../errors/flink-error.js';
import type { ApplicationStatus } from '../schemas/applications.js';
import type { JobStatus } from '../schemas/job-status.js';
import type { JobOverview } from '../schemas/jobs.js';

/**
 * Which changes a watcher reports.
 *
 * - `'status'`: a job's or application's status changed (RUNNING → FINISHED).
 * - `'all'`: also changes that leave the status as it was: for a job, anything that moves its
 *   `last-modification` (its tasks changing state, such as all of them reaching RUNNING some
 *   seconds after the job did); for an application, its job counts or end time.
 */
export type WatchChanges = 'status' | 'all';

/**
 * What happened to a watched job or application.
 *
 * - `'added'`: the watcher sees it for the first time: part of the state when the watcher started
 *   (`initial: true`), or newly submitted.
 * - `'status'`: its status changed (or, with `changes: 'all'`, its details did).
 * - `'removed'`: it is no longer listed: Flink dropped it from its archive
 *   (`jobstore.expiration-time`, one hour by default), or a JobManager without HA came back
 *   without it. It is never reported again, unless a job with the same id is submitted.
 */
export type WatchChangeType = 'added' | 'status' | 'removed';

/** A change of one watched job. */
export interface JobChange {
  /** Discriminates job changes from application changes. */
  readonly resource: 'job';
  /** What happened. */
  readonly type: WatchChangeType;
  /** The job id. */
  readonly jobId: string;
  /**
   * The status the watcher reported before; undefined for `added`. It may equal `status` when
   * only details changed (`changes: 'all'`), or when an iterator's consumer was slow and the job
   * left and came back to the status in between (see {@link JobClient.watch}).
   */
  readonly previousStatus: JobStatus | undefined;
  /** The status now; for `removed`, the last status seen. */
  readonly status: JobStatus;
  /** Whether `status` is globally terminal (FAILED, CANCELED, FINISHED). */
  readonly terminal: boolean;
  /** Whether the change is part of the state reported when the watcher started. */
  readonly initial: boolean;
  /**
   * When the poll that saw the change completed (client clock, epoch ms). The server's own times
   * are in `details` (`last-modification`, `end-time`).
   */
  readonly timestamp: number;
  /** The job's entry of `GET /jobs/overview`: name, times, task counts per state. */
  readonly details: JobOverview;
}

/** A change of one watched application (Flink 2.3+, or the single-job applications of older clusters). */
export interface ApplicationChange {
  /** Discriminates application changes from job changes. */
  readonly resource: 'application';
  /** What happened. */
  readonly type: WatchChangeType;
  /** The application id. */
  readonly applicationId: string;
  /** The status the watcher reported before; undefined for `added`. */
  readonly previousStatus: ApplicationStatus | undefined;
  /** The status now; for `removed`, the last status seen. */
  readonly status: ApplicationStatus;
  /** Whether `status` is terminal (FAILED, CANCELED, FINISHED). */
  readonly terminal: boolean;
  /** Whether the change is part of the state reported when the watcher started. */
  readonly initial: boolean;
  /** When the poll that saw the change completed (client clock, epoch ms). */
  readonly timestamp: number;
  /**
   * The application as `cluster.listApplications()` reports it (from `GET /applications/overview`,
   * or derived from the job's overview entry on clusters before 2.3, then `emulated: true`).
   */
  readonly details: ApplicationSummary;
}

/** A change of a watched job or application; `resource` tells which. */
export type WatchChange = JobChange | ApplicationChange;

/**
 * A failed poll of a watcher.
 *
 * Transient failures (connection refused or reset, attempt timeouts, 5xx such as Flink's 503 during
 * leader election, 408, 429, a body that is not JSON) are `fatal: false`: the watcher keeps its
 * state, backs off and polls again, and when the JobManager answers again it reports what changed
 * meanwhile, once. Anything else (401/403, 400, 404 on the overview route, a body that does not
 * match the schema) is `fatal: true`: polling again would not help, and the watcher ends.
 */
export interface WatchErrorEvent {
  /** Discriminates errors from changes in a watcher's event stream. */
  readonly type: 'error';
  /** The typed error of the failed poll (FlinkConnectionError, FlinkServerError, ...). */
  readonly error: FlinkError;
  /** Whether the watcher ended because of it. */
  readonly fatal: boolean;
  /** Failed polls in a row, this one included. */
  readonly failures: number;
  /** The pause before the next poll, in milliseconds; undefined when fatal. */
  readonly retryInMs: number | undefined;
  /** When the poll failed (client clock, epoch ms). */
  readonly timestamp: number;
}

/** One item of a cluster watcher's event stream: a change, or a transient error. */
export type WatchEvent = WatchChange | WatchErrorEvent;

/** Options shared by every watcher. */
export interface WatchOptionsBase {
  /**
   * The pace of the poll, in milliseconds: reads start this far apart, so a change is reported
   * within about one interval (at worst one interval plus the time one overview read takes; half
   * an interval on average). Every watcher of one ClusterClient shares one poll per resource
   * kind, which runs at the smallest interval any of them asked for, so a watcher may hear of
   * changes sooner than it asked, never later. A JobManager slower to answer than half the
   * interval is polled less often (never back to back). Values below 10 are raised to 10.
   * @default the cluster's `web.refresh-interval` (read once from `GET /config`; 3 000 by default):
   *   Flink refreshes much of what it serves at that pace.
   */
  pollIntervalMs?: number;
  /** Stops the watcher: an iterator then completes (it does not throw), an emitter stops. */
  signal?: AbortSignal;
  /**
   * Which changes to report.
   * @default 'status'
   */
  changes?: WatchChanges;
}

/** Options of {@link JobClient.watch}. */
export interface JobWatchOptions extends WatchOptionsBase {
  /**
   * Called with every transient poll failure the watcher rides out (the iterator itself keeps
   * going; a fatal failure ends it by throwing instead).
   */
  onError?: (event: WatchErrorEvent) => void;
}

/** Options of {@link ApplicationClient.watch}. */
export interface ApplicationWatchOptions extends WatchOptionsBase {
  /** Called with every transient poll failure the watcher rides out. */
  onError?: (event: WatchErrorEvent) => void;
}

/** Options of {@link ClusterClient.watch}. */
export interface ClusterWatchOptions extends WatchOptionsBase {
  /**
   * The jobs to watch: `'all'` (every job the cluster lists, including ones submitted later), or
   * job ids. An id not listed yet (a job about to be submitted) is reported as `added` once it
   * appears.
   * @default 'all' when `applications` is not given either, else none
   */
  jobs?: 'all' | readonly string[];
  /**
   * The applications to watch: `'all'` or application ids. On Flink 2.3+ they come from
   * `GET /applications/overview`; on older clusters every job is its single-job application and
   * they are derived from the jobs poll, at no extra request.
   */
  applications?: 'all' | readonly string[];
}

/**
 * The events of a {@link ClusterWatcher}. A change is reported under exactly one of `added`,
 * `status` and `removed`; `terminal` is an extra notice, after the `added` or `status` event that
 * showed a watched job or application in a terminal state for the first time.
 */
export interface ClusterWatcherEvents {
  /** A watched job or application is seen for the first time (`change.initial` at start). */
  added: (change: WatchChange) => void;
  /** A watched job's or application's status changed (or its details, with `changes: 'all'`). */
  status: (change: WatchChange) => void;
  /** A watched job or application is known to be terminal, for the first time. */
  terminal: (change: WatchChange) => void;
  /** A watched job or application is no longer listed. */
  removed: (change: WatchChange) => void;
  /**
   * A poll failed. With `event.fatal` the watcher has stopped; otherwise it backs off and goes on.
   * eventemitter3 does not throw for an `error` event nobody listens to: listen to it.
   */
  error: (event: WatchErrorEvent) => void;
}

/**
 * One shared poll a ClusterClient runs for its watchers, as `cluster.watchPollers()` reports it:
 * for monitoring what watching costs (one request per interval per poll, whatever the number of
 * watchers).
 */
export interface WatchPollerInfo {
  /** What it polls: `GET /jobs/overview` or (Flink 2.3+) `GET /applications/overview`. */
  readonly resource: 'jobs' | 'applications';
  /** The pace it runs at now: the smallest interval any of its subscribers asked for, in ms. */
  readonly intervalMs: number;
  /** Polls completed (successful or not) since it started. */
  readonly polls: number;
  /** Watcher subscriptions it serves now. */
  readonly subscribers: number;
  /** Jobs or applications in its last snapshot. */
  readonly entries: number;
}

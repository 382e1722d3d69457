import { applicationStatusOfJobStatus } from '../schemas/application-status.js';
import { applicationSummaryOfJob, applicationSummaryOfOverview } from '../schemas/application-summary.js';
import { FlinkAbortError } from '../errors/flink-abort-error.js';
import { FlinkError } from '../errors/flink-error.js';
import type { RequestPipeline } from '../http/request-pipeline.js';
import { APPLICATIONS_SINCE, versionAtLeast } from '../internal/flink-version.js';
import { pollUntil } from '../operations/poll.js';
import { type ApplicationOverview, ApplicationsOverviewSchema, isTerminalApplicationStatus } from '../schemas/applications.js';
import type { DashboardConfig } from '../schemas/cluster.js';
import { isGloballyTerminalJobStatus } from '../schemas/job-status.js';
import { type JobOverview, JobsOverviewSchema } from '../schemas/jobs.js';
import { type EntryEvent, type OverviewSource, type PollSubscriber, SnapshotPoller } from './snapshot-poller.js';
import { asFlinkError, isTransientWatchError } from './watch-errors.js';
import type { ApplicationChange, JobChange, WatchChange, WatchChanges, WatchErrorEvent, WatchPollerInfo } from './watch-types.js';

/** What one watcher subscribes with, for one resource kind. @internal */
export interface WatchSink<C extends WatchChange> {
  /** The ids watched, without duplicates; undefined for all. */
  readonly ids: readonly string[] | undefined;
  /** The pace asked for; undefined for the cluster's refresh interval. */
  readonly intervalMs: number | undefined;
  readonly changes: WatchChanges;
  change(change: C): void;
  error(event: WatchErrorEvent): void;
  /** No more changes: with the fatal error, or undefined when the client closed. */
  end(error: FlinkError | undefined): void;
}

/** What the registry needs from its ClusterClient. @internal */
export interface WatchRegistryOptions {
  pipeline: RequestPipeline;
  /** The cluster's `GET /config`, cached by the client. */
  config: (signal: AbortSignal) => Promise<DashboardConfig>;
  /** Cap of the error backoff. @default 30 000 */
  maxBackoffMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** What the registry learns from `/config` once, before any poll starts. */
interface ClusterInfo {
  /** Whether the cluster has the application endpoints (Flink 2.3+). */
  native: boolean;
  /** `web.refresh-interval`: the default pace. */
  refreshIntervalMs: number;
}

type Kind = 'job' | 'application';

/**
 * One watcher's subscription for one resource kind. A class with a method rather than a closure:
 * a platform may hold tens of thousands of them.
 * @internal
 */
export class WatchSubscription {
  cancelled = false;
  poller: SnapshotPoller<JobOverview> | SnapshotPoller<ApplicationOverview> | undefined;
  subscriber: PollSubscriber<JobOverview> | PollSubscriber<ApplicationOverview> | undefined;

  constructor(
    readonly registry: WatchRegistry,
    readonly kind: Kind,
    readonly sink: WatchSink<JobChange> | WatchSink<ApplicationChange>,
  ) {}

  /** Ends the subscription; the poll stops with the last one. Idempotent. */
  unsubscribe(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    (this.poller as SnapshotPoller<unknown> | undefined)?.unsubscribe(this.subscriber as PollSubscriber<unknown>);
    this.registry.forget(this);
  }
}

const DEFAULT_REFRESH_MS = 3_000;

/**
 * Every watcher of one ClusterClient, and the pollers they share: at most one poll of
 * `GET /jobs/overview` and one of `GET /applications/overview` run at a time, however many jobs and
 * applications are watched, by however many watchers. A poller starts with its first subscriber
 * and stops with its last; `close()` (called by `ClusterClient.close()`) stops them all.
 *
 * Before the first poll the registry reads `GET /config` once (cached by the client) for the
 * refresh interval and the Flink version: on clusters before 2.3, which have no application
 * endpoints, application watchers are served from the jobs poll (every job is its single-job
 * application), so they cost no request of their own.
 * @internal
 */
export class WatchRegistry {
  readonly #options: WatchRegistryOptions;
  readonly #pending = new Set<WatchSubscription>();
  #info: ClusterInfo | undefined;
  #resolving: AbortController | undefined;
  #jobs: SnapshotPoller<JobOverview> | undefined;
  #applications: SnapshotPoller<ApplicationOverview> | undefined;
  #closed = false;

  constructor(options: WatchRegistryOptions) {
    this.#options = options;
  }

  /** The shared polls running now, for diagnostics. */
  pollers(): WatchPollerInfo[] {
    const info = (resource: WatchPollerInfo['resource'], p: SnapshotPoller<unknown>): WatchPollerInfo => ({
      resource,
      intervalMs: p.intervalMs,
      polls: p.polls,
      subscribers: p.size,
      entries: p.entries,
    });
    const out: WatchPollerInfo[] = [];
    if (this.#jobs) out.push(info('jobs', this.#jobs as SnapshotPoller<unknown>));
    if (this.#applications) out.push(info('applications', this.#applications as SnapshotPoller<unknown>));
    return out;
  }

  /**
   * Subscribes a watcher's sink for one resource kind. The current state may be replayed to the
   * sink before this returns.
   *
   * @throws FlinkError `FLINK_CLIENT_CLOSED` after `close()`.
   */
  subscribe(kind: 'job', sink: WatchSink<JobChange>): WatchSubscription;
  subscribe(kind: 'application', sink: WatchSink<ApplicationChange>): WatchSubscription;
  subscribe(kind: Kind, sink: WatchSink<JobChange> | WatchSink<ApplicationChange>): WatchSubscription {
    if (this.#closed) throw new FlinkError('the client is closed', 'FLINK_CLIENT_CLOSED');
    const subscription = new WatchSubscription(this, kind, sink);
    if (this.#info) this.#attach(subscription, this.#info);
    else {
      this.#pending.add(subscription);
      this.#resolve();
    }
    return subscription;
  }

  /** @internal Called by `WatchSubscription.unsubscribe()`. */
  forget(subscription: WatchSubscription): void {
    if (this.#pending.delete(subscription) && this.#pending.size === 0 && this.#resolving) {
      // Nobody waits for the configuration any more: stop asking for it.
      this.#resolving.abort(new Error('watch stopped'));
      this.#resolving = undefined;
    }
  }

  /** Stops every poller and ends every watcher quietly. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#resolving?.abort(new Error('client closed'));
    this.#resolving = undefined;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const subscription of pending) subscription.sink.end(undefined);
    this.#jobs?.close();
    this.#applications?.close();
  }

  #resolve(): void {
    if (this.#resolving) return;
    const controller = new AbortController();
    this.#resolving = controller;
    let failures = 0;
    const opts = this.#options;
    pollUntil((signal) => opts.config(signal), () => true, {
      intervalMs: () => this.#pendingInterval(),
      maxIntervalMs: opts.maxBackoffMs ?? 30_000,
      growth: 'errors',
      factor: 2,
      jitter: 0.2,
      timeoutMs: Infinity,
      signal: controller.signal,
      target: 'watch: cluster configuration',
      tolerate: isTransientWatchError,
      onError: (error, retryInMs) => {
        failures++;
        const event: WatchErrorEvent = { type: 'error', error: asFlinkError(error), fatal: false, failures, retryInMs, timestamp: (opts.now ?? Date.now)() };
        for (const subscription of [...this.#pending]) if (!subscription.cancelled) subscription.sink.error(event);
      },
      sleep: opts.sleep,
      now: opts.now,
      random: opts.random,
    }).then(
      (config) => {
        if (this.#resolving !== controller) return;
        this.#resolving = undefined;
        const refresh = config['refresh-interval'];
        const info: ClusterInfo = {
          native: versionAtLeast(config['flink-version'], APPLICATIONS_SINCE),
          refreshIntervalMs: Number.isFinite(refresh) && refresh > 0 ? refresh : DEFAULT_REFRESH_MS,
        };
        this.#info = info;
        const pending = [...this.#pending];
        this.#pending.clear();
        for (const subscription of pending) if (!subscription.cancelled) this.#attach(subscription, info);
      },
      (error: unknown) => {
        if (this.#resolving !== controller) return;
        this.#resolving = undefined;
        if (error instanceof FlinkAbortError) return;
        const fatal = asFlinkError(error);
        const event: WatchErrorEvent = { type: 'error', error: fatal, fatal: true, failures: failures + 1, retryInMs: undefined, timestamp: (opts.now ?? Date.now)() };
        const pending = [...this.#pending];
        this.#pending.clear();
        for (const subscription of pending) {
          subscription.sink.error(event);
          subscription.sink.end(fatal);
        }
      },
    );
  }

  /** The backoff base while the configuration is unknown: the fastest pace a waiting watcher asked for. */
  #pendingInterval(): number {
    let smallest = DEFAULT_REFRESH_MS;
    for (const { sink } of this.#pending) if (sink.intervalMs !== undefined && sink.intervalMs < smallest) smallest = sink.intervalMs;
    return smallest;
  }

  #attach(subscription: WatchSubscription, info: ClusterInfo): void {
    if (subscription.kind === 'job') {
      const poller = this.#jobsPoller(info);
      const subscriber = new JobSubscriber(subscription.sink as WatchSink<JobChange>);
      subscription.poller = poller;
      subscription.subscriber = subscriber;
      poller.subscribe(subscriber);
    } else if (info.native) {
      const poller = this.#applicationsPoller(info);
      const subscriber = new ApplicationSubscriber(subscription.sink as WatchSink<ApplicationChange>);
      subscription.poller = poller;
      subscription.subscriber = subscriber;
      poller.subscribe(subscriber);
    } else {
      const poller = this.#jobsPoller(info);
      const subscriber = new EmulatedApplicationSubscriber(subscription.sink as WatchSink<ApplicationChange>);
      subscription.poller = poller;
      subscription.subscriber = subscriber;
      poller.subscribe(subscriber);
    }
  }

  #jobsPoller(info: ClusterInfo): SnapshotPoller<JobOverview> {
    this.#jobs ??= this.#poller(info, JOBS_SOURCE(this.#options.pipeline), (stopped) => {
      if (this.#jobs === stopped) this.#jobs = undefined;
    });
    return this.#jobs;
  }

  #applicationsPoller(info: ClusterInfo): SnapshotPoller<ApplicationOverview> {
    this.#applications ??= this.#poller(info, APPLICATIONS_SOURCE(this.#options.pipeline), (stopped) => {
      if (this.#applications === stopped) this.#applications = undefined;
    });
    return this.#applications;
  }

  /** A poller of one overview source; `onStop` hears when it stops (its last subscriber left, or close). */
  #poller<E>(info: ClusterInfo, source: OverviewSource<E>, onStop: (poller: SnapshotPoller<E>) => void): SnapshotPoller<E> {
    const { maxBackoffMs, sleep, now, random } = this.#options;
    const poller: SnapshotPoller<E> = new SnapshotPoller(source, {
      defaultIntervalMs: info.refreshIntervalMs,
      maxBackoffMs,
      sleep,
      now,
      random,
      onStop: () => onStop(poller),
    });
    return poller;
  }
}

// The SDK acts on the fields of both overviews (terminal states end watchers): validate them even
// with validation 'off'.

/** `GET /jobs/overview` as a poller source. */
const JOBS_SOURCE = (pipeline: RequestPipeline): OverviewSource<JobOverview> => ({
  name: 'jobs',
  fetch: async (signal) => (await pipeline.request({ method: 'GET', path: '/jobs/overview', schema: JobsOverviewSchema, alwaysValidate: true }, { signal })).jobs,
  id: (job) => job.jid,
  status: (job) => job.state,
  // Flink moves `last-modification` with every job and task state change.
  sameDetails: (a, b) => a['last-modification'] === b['last-modification'],
});

/** `GET /applications/overview` (Flink 2.3+) as a poller source. */
const APPLICATIONS_SOURCE = (pipeline: RequestPipeline): OverviewSource<ApplicationOverview> => ({
  name: 'applications',
  fetch: async (signal) =>
    (await pipeline.request({ method: 'GET', path: '/applications/overview', schema: ApplicationsOverviewSchema, alwaysValidate: true }, { signal })).applications,
  id: (app) => app.id,
  status: (app) => app.status,
  sameDetails: (a, b) => a['end-time'] === b['end-time'] && sameCounts(a.jobs, b.jobs),
});

/** What every adapter between a poller and a watcher's sink shares. */
abstract class SinkSubscriber<E, C extends WatchChange> implements PollSubscriber<E> {
  readonly ids: readonly string[] | undefined;
  readonly intervalMs: number | undefined;
  readonly modifications: boolean;

  constructor(readonly sink: WatchSink<C>) {
    this.ids = sink.ids;
    this.intervalMs = sink.intervalMs;
    this.modifications = sink.changes === 'all';
  }

  abstract entry(event: EntryEvent<E>): void;

  error(event: WatchErrorEvent): void {
    this.sink.error(event);
  }

  end(error: FlinkError | undefined): void {
    this.sink.end(error);
  }
}

/** Job changes from the jobs poll. */
class JobSubscriber extends SinkSubscriber<JobOverview, JobChange> {
  entry(event: EntryEvent<JobOverview>): void {
    this.sink.change({
      resource: 'job',
      type: event.type === 'modified' ? 'status' : event.type,
      jobId: event.id,
      previousStatus: event.previousStatus,
      status: event.status,
      terminal: isGloballyTerminalJobStatus(event.status),
      initial: event.initial,
      timestamp: event.timestamp,
      details: event.entry,
    });
  }
}

/** Application changes from the applications poll (Flink 2.3+). */
class ApplicationSubscriber extends SinkSubscriber<ApplicationOverview, ApplicationChange> {
  entry(event: EntryEvent<ApplicationOverview>): void {
    this.sink.change({
      resource: 'application',
      type: event.type === 'modified' ? 'status' : event.type,
      applicationId: event.id,
      previousStatus: event.previousStatus,
      status: event.status,
      terminal: isTerminalApplicationStatus(event.status),
      initial: event.initial,
      timestamp: event.timestamp,
      details: applicationSummaryOfOverview(event.entry),
    });
  }
}

/**
 * Applications of a cluster before 2.3, read from the jobs poll: each job is its single-job
 * application, its state mapped as Flink maps it. A job status change that maps to the same
 * application state (RUNNING → RESTARTING) is no application status change.
 */
class EmulatedApplicationSubscriber extends SinkSubscriber<JobOverview, ApplicationChange> {
  entry(event: EntryEvent<JobOverview>): void {
    const status = applicationStatusOfJobStatus(event.status);
    const previousStatus = event.previousStatus === undefined ? undefined : applicationStatusOfJobStatus(event.previousStatus);
    if (event.type === 'status' && previousStatus === status && !this.modifications) return;
    this.sink.change({
      resource: 'application',
      type: event.type === 'modified' ? 'status' : event.type,
      applicationId: event.id,
      previousStatus,
      status,
      terminal: isTerminalApplicationStatus(status),
      initial: event.initial,
      timestamp: event.timestamp,
      details: applicationSummaryOfJob(event.entry),
    });
  }
}


function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  let n = 0;
  for (const key in a) {
    if (a[key] !== b[key]) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

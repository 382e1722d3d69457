import { EventEmitter } from 'eventemitter3';
import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import type { FlinkError } from '../errors/flink-error.js';
import { checkId } from '../internal/ids.js';
import { isTerminalApplicationStatus } from '../schemas/applications.js';
import { isGloballyTerminalJobStatus } from '../schemas/job-status.js';
import { clusterWatchOptions } from '../options/param-schemas.js';
import { ChangeStream } from './change-stream.js';
import type { ClusterWatcher } from './cluster-watcher.js';
import { resolveWatchOptions } from './watch-one.js';
import type { WatchRegistry, WatchSink, WatchSubscription } from './watch-registry.js';
import type { ApplicationChange, ClusterWatcherEvents, ClusterWatchOptions, JobChange, WatchChange, WatchChanges, WatchErrorEvent, WatchEvent } from './watch-types.js';

/** The {@link ClusterWatcher} of `cluster.watch()`: its options, its subscriptions and its streams. */
export class ClusterWatcherHandle extends EventEmitter<ClusterWatcherEvents> implements ClusterWatcher {
  readonly #registry: WatchRegistry;
  readonly #jobs: readonly string[] | 'all' | undefined;
  readonly #applications: readonly string[] | 'all' | undefined;
  readonly #intervalMs: number | undefined;
  readonly #changes: WatchChanges;
  readonly #signal: AbortSignal | undefined;
  readonly #streams = new Set<ChangeStream<WatchEvent>>();
  #subscriptions: WatchSubscription[] = [];
  #running = false;
  #lastError: FlinkError | undefined;
  readonly #onAbort = (): void => this.stop();

  /** @throws FlinkArgumentError for an invalid id, interval or option. */
  constructor(registry: WatchRegistry, options: ClusterWatchOptions) {
    super();
    const resolved = resolveWatchOptions(options, clusterWatchOptions);
    this.#registry = registry;
    this.#intervalMs = resolved.intervalMs;
    this.#changes = resolved.changes;
    this.#signal = options.signal;
    const neither = options.jobs === undefined && options.applications === undefined;
    this.#jobs = neither ? 'all' : targets('jobs', 'jobId', options.jobs);
    this.#applications = targets('applications', 'applicationId', options.applications);
  }

  /** Whether the watcher is started and has not stopped. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Starts watching: subscribes to the shared polls (starting them if this is the first watcher).
   * Attach listeners first: the current state is reported as `added` events, synchronously from
   * within `start()` when another watcher's poll already has it. Idempotent; a stopped watcher
   * may be started again (it then reports the current state again). Does nothing when the signal
   * has fired.
   *
   * @throws FlinkError `FLINK_CLIENT_CLOSED` when the client is closed.
   */
  start(): this {
    if (this.#running || this.#signal?.aborted) return this;
    this.#running = true;
    this.#lastError = undefined;
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
    try {
      if (this.#jobs !== undefined) this.#subscribe('job', this.#jobs);
      if (this.#applications !== undefined) this.#subscribe('application', this.#applications);
    } catch (err) {
      this.#halt(undefined);
      throw err;
    }
    return this;
  }

  /**
   * Stops watching. When it was the last watcher of the client, the polls stop too: no timer,
   * socket or listener of the watcher remains. Iterators of this watcher complete after the
   * changes they buffered. Idempotent.
   */
  stop(): void {
    this.#halt(undefined);
  }

  /**
   * The watcher's events as an async iterator: changes (`added`, `status`, `removed`; `terminal`
   * is a flag on them) and transient errors (`type: 'error'`); a fatal error ends the iteration
   * by throwing it (a FlinkError subclass such as FlinkAuthenticationError). Iterating a watcher
   * that is not running starts it, and leaving that loop (`break`, or the signal) stops it.
   *
   * A consumer slower than the changes does not hold the poll up, and its buffer does not grow
   * without bound: changes wait per job or application, and a newer change for one still waiting
   * merges into it (keeping the `previousStatus` the consumer last saw). At most one change per
   * watched id, plus the latest transient error, is ever buffered.
   *
   * @example
   * ```ts
   * for await (const event of cluster.watch({ jobs: 'all', signal })) {
   *   if (event.type === 'error') console.warn('poll failed, retrying', event.error.code);
   *   else console.log(event.resource, event.type, event.status);
   * }
   * ```
   */
  events(): AsyncIterableIterator<WatchEvent> {
    let startedHere = false;
    const stream: ChangeStream<WatchEvent> = new ChangeStream<WatchEvent>({
      open: () => {
        this.#streams.add(stream);
        if (!this.#running) {
          try {
            this.start();
            startedHere = this.#running;
          } catch (err) {
            stream.fail(err as FlinkError);
            return;
          }
        }
        if (!this.#running) stream.finish();
      },
      close: () => {
        this.#streams.delete(stream);
        if (startedHere) this.stop();
      },
    });
    return stream;
  }

  /** Same as {@link events}: `for await (const event of watcher)`. */
  [Symbol.asyncIterator](): AsyncIterableIterator<WatchEvent> {
    return this.events();
  }

  #subscribe(kind: 'job' | 'application', ids: readonly string[] | 'all'): void {
    const sink: WatchSink<WatchChange> = {
      ids: ids === 'all' ? undefined : ids,
      intervalMs: this.#intervalMs,
      changes: this.#changes,
      change: (change) => this.#onChange(change),
      error: (event) => this.#onError(event),
      end: (error) => this.#halt(error),
    };
    const subscription =
      kind === 'job' ? this.#registry.subscribe('job', sink as WatchSink<JobChange>) : this.#registry.subscribe('application', sink as WatchSink<ApplicationChange>);
    // A listener may have stopped the watcher while the current state was replayed.
    if (this.#running) this.#subscriptions.push(subscription);
    else subscription.unsubscribe();
  }

  #onChange(change: WatchChange): void {
    if (!this.#running) return;
    this.emit(change.type, change);
    if (this.#running && change.terminal && change.type !== 'removed' && (change.previousStatus === undefined || !isTerminal(change))) {
      this.emit('terminal', change);
    }
    for (const stream of this.#streams) stream.push(change);
  }

  #onError(event: WatchErrorEvent): void {
    if (!this.#running) return;
    // On clusters before 2.3 one failed jobs poll reaches both the job and the application sink.
    if (event.error === this.#lastError) return;
    this.#lastError = event.error;
    this.emit('error', event);
    if (!event.fatal) for (const stream of this.#streams) stream.pushError(event);
  }

  #halt(error: FlinkError | undefined): void {
    if (!this.#running) return;
    this.#running = false;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    const subscriptions = this.#subscriptions;
    this.#subscriptions = [];
    for (const subscription of subscriptions) subscription.unsubscribe();
    for (const stream of [...this.#streams]) {
      if (error) stream.fail(error);
      else stream.finish();
    }
  }
}

/** Whether a change's previous status was already terminal (then it is no new terminal notice). */
function isTerminal(change: WatchChange): boolean {
  const previous = change.previousStatus as string;
  return change.resource === 'job' ? isGloballyTerminalJobStatus(previous) : isTerminalApplicationStatus(previous);
}

function targets(option: string, kind: string, value: 'all' | readonly string[] | undefined): readonly string[] | 'all' | undefined {
  if (value === undefined || value === 'all') return value;
  if (!Array.isArray(value)) throw new FlinkArgumentError(option, "expected 'all' or an array of ids");
  return [...new Set(value.map((id) => checkId(kind, id)))];
}

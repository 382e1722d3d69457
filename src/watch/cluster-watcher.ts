import type { EventEmitter } from 'eventemitter3';
import type { ClusterWatcherEvents, WatchEvent } from './watch-types.js';

/**
 * Watches jobs and applications of one cluster, by id or all of them, and reports what changes,
 * as typed events or as an async iterator. Made by {@link ClusterClient.watch}.
 *
 * However many watchers a ClusterClient has, and however many jobs they watch, it polls
 * `GET /jobs/overview` once per interval (and, on Flink 2.3+, `GET /applications/overview` when
 * applications are watched): watchers share one poll per resource kind, which starts with the
 * first watcher and stops with the last. Each poll is compared with the previous one; only what
 * changed is reported, and only to the watchers of that id. No request is ever made per job.
 *
 * Events, all synchronous, from the poll that saw the change:
 * - `added`: a watched job or application seen for the first time. On `start()` every one listed
 *   is reported so (`change.initial: true`): the current state, from the shared poll's last read
 *   when another watcher already runs, else from the first poll.
 * - `status`: its status changed (with `changes: 'all'`, also its details).
 * - `terminal`: after the `added` or `status` event that showed it terminal for the first time.
 * - `removed`: no longer listed (archive expiry, or a JobManager without HA that came back empty).
 * - `error`: a poll failed. Transient failures (`fatal: false`) are retried with a growing backoff
 *   (doubling from the interval up to 30 s) while the watcher keeps its state; when the JobManager
 *   answers again, what changed meanwhile is reported once (a job that ended while it was away
 *   still gets its terminal change). A fatal failure (`fatal: true`) stops the watcher.
 *
 * A listener that throws does not stop the poll that other watchers share: its error is rethrown
 * outside it, as an uncaught exception.
 *
 * @example
 * ```ts
 * const watcher = cluster.watch({ jobs: 'all' });
 * watcher.on('status', (c) => console.log(c.resource, c.status, 'was', c.previousStatus));
 * watcher.on('terminal', (c) => console.log('ended', c.status));
 * watcher.on('error', (e) => console.warn(e.fatal ? 'stopped:' : 'retrying:', e.error.message));
 * watcher.start();
 * // ...
 * watcher.stop();
 * ```
 */
export interface ClusterWatcher extends EventEmitter<ClusterWatcherEvents>, AsyncIterable<WatchEvent> {
  /** Whether the watcher is started and has not stopped. */
  readonly running: boolean;

  /**
   * Starts watching: subscribes to the shared polls (starting them if this is the first watcher).
   * Attach listeners first: the current state is reported as `added` events, synchronously from
   * within `start()` when another watcher's poll already has it. Idempotent; a stopped watcher
   * may be started again (it then reports the current state again). Does nothing when the signal
   * has fired.
   *
   * @throws FlinkError `FLINK_CLIENT_CLOSED` when the client is closed.
   */
  start(): this;

  /**
   * Stops watching. When it was the last watcher of the client, the polls stop too: no timer,
   * socket or listener of the watcher remains. Iterators of this watcher complete after the
   * changes they buffered. Idempotent.
   */
  stop(): void;

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
  events(): AsyncIterableIterator<WatchEvent>;
}

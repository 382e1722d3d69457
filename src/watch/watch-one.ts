import type { z } from 'zod';
import { checkOptions } from '../options/check-options.js';
import { singleWatchOptions } from '../options/param-schemas.js';
import type { FlinkError } from '../errors/flink-error.js';
import { ChangeStream, type ChangeStreamHooks } from './change-stream.js';
import { asFlinkError } from './watch-errors.js';
import type { WatchRegistry, WatchSink, WatchSubscription } from './watch-registry.js';
import type { ApplicationChange, JobChange, WatchChanges, WatchErrorEvent, WatchOptionsBase } from './watch-types.js';

/** The checked pace and change filter of a watcher's options. @internal */
export function resolveWatchOptions(options: WatchOptionsBase, schema: z.ZodType = singleWatchOptions): { intervalMs: number | undefined; changes: WatchChanges } {
  checkOptions(schema, options, 'options');
  const { pollIntervalMs: intervalMs, changes = 'status' } = options;
  return { intervalMs: intervalMs === undefined ? undefined : Math.max(10, intervalMs), changes };
}

/**
 * The async iterator behind `job.watch()` and `application.watch()`: one id on the shared poller,
 * through a coalescing buffer. It subscribes on the first `next()` (an iterator never read costs
 * nothing) and unsubscribes as soon as it ends: terminal state, removal, abort, `break`, a fatal
 * error or the client closing.
 * @internal
 */
export function watchOne(
  registry: WatchRegistry,
  kind: 'job' | 'application',
  id: string,
  options: WatchOptionsBase & { onError?: (event: WatchErrorEvent) => void },
): AsyncIterableIterator<JobChange> | AsyncIterableIterator<ApplicationChange> {
  const { intervalMs, changes } = resolveWatchOptions(options);
  return new SingleWatch(registry, kind, [id], intervalMs, changes, options.signal, options.onError).stream as AsyncIterableIterator<JobChange>;
}

/**
 * One watched id: the stream's hooks, the registry's sink and the signal's listener in one object
 * with its methods on the prototype. Platforms hold thousands of these at once, so no closure is
 * made per watcher.
 */
class SingleWatch implements ChangeStreamHooks, WatchSink<JobChange | ApplicationChange> {
  readonly stream: ChangeStream<JobChange | ApplicationChange>;
  #subscription: WatchSubscription | undefined;
  #closed = false;

  constructor(
    readonly registry: WatchRegistry,
    readonly kind: 'job' | 'application',
    readonly ids: readonly string[],
    readonly intervalMs: number | undefined,
    readonly changes: WatchChanges,
    readonly signal: AbortSignal | undefined,
    readonly onError: ((event: WatchErrorEvent) => void) | undefined,
  ) {
    this.stream = new ChangeStream(this);
  }

  open(): void {
    if (this.signal?.aborted) {
      this.stream.finish();
      return;
    }
    this.signal?.addEventListener('abort', this, { once: true });
    try {
      const subscription = this.kind === 'job' ? this.registry.subscribe('job', this) : this.registry.subscribe('application', this);
      // The replay of the current state may already have ended the stream (a terminal job).
      if (this.#closed) subscription.unsubscribe();
      else this.#subscription = subscription;
    } catch (err) {
      this.stream.fail(asFlinkError(err));
    }
  }

  close(): void {
    this.#closed = true;
    this.signal?.removeEventListener('abort', this);
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
  }

  /** The signal's abort event (an EventListener object, so no bound function is needed). */
  handleEvent(): void {
    void this.stream.return();
  }

  change(change: JobChange | ApplicationChange): void {
    this.stream.push(change);
    // Nothing follows a terminal state or a removal: stop polling for this watcher now, and let
    // the consumer read what is buffered.
    if (change.terminal || change.type === 'removed') this.stream.finish();
  }

  error(event: WatchErrorEvent): void {
    if (!event.fatal) this.onError?.(event);
  }

  end(error: FlinkError | undefined): void {
    if (error) this.stream.fail(error);
    else this.stream.finish();
  }
}

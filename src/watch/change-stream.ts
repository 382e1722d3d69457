import type { FlinkError } from '../errors/flink-error.js';
import type { WatchChange, WatchErrorEvent } from './watch-types.js';

/** Hooks of a {@link ChangeStream}. @internal */
export interface ChangeStreamHooks {
  /** Called on the first `next()`: the stream subscribes only once someone reads it. */
  open(): void;
  /** Called once when the stream ends, however it ends: unsubscribe, detach abort listeners. */
  close(): void;
}

type Item = WatchChange | WatchErrorEvent;

interface Waiter<T> {
  resolve: (result: IteratorResult<T>) => void;
  reject: (error: unknown) => void;
}

/**
 * The buffer between the shared poller, which must never wait for anyone, and one async-iterator
 * consumer, which may be slow.
 *
 * Pending changes are kept per job or application, not as a log: a change for an id that is still
 * waiting to be read is merged into the waiting one, which keeps the status the consumer last saw
 * as `previousStatus` and takes the newest status, details and time. So the buffer never holds
 * more than one change per watched id (plus one transient error, the latest), whatever the pace of
 * the consumer, and a slow consumer of a single job reads its latest state rather than a backlog.
 * A terminal status is always the newest for its id, so it is never merged away.
 * @internal
 */
export class ChangeStream<T extends Item = Item> implements AsyncIterableIterator<T> {
  readonly #hooks: ChangeStreamHooks;
  // Made on first use and dropped when drained: a consumer that keeps up never needs one.
  #pending: Map<string, Item> | undefined;
  // Almost always one reader at a time: a slot, and a queue only when `next()` is called again
  // before it settled.
  #waiter: Waiter<T> | undefined;
  #moreWaiters: Waiter<T>[] | undefined;
  #opened = false;
  #ended = false;
  #closed = false;
  #failure: FlinkError | undefined;

  constructor(hooks: ChangeStreamHooks) {
    this.#hooks = hooks;
  }

  /** Changes waiting to be read. */
  get pending(): number {
    return this.#pending?.size ?? 0;
  }

  /** Adds a change, merging it into one still pending for the same id. */
  push(change: WatchChange): void {
    if (this.#ended || this.#handOver(change)) return;
    const key = change.resource === 'job' ? `j${change.jobId}` : `a${change.applicationId}`;
    const pending = (this.#pending ??= new Map());
    const waiting = pending.get(key) as WatchChange | undefined;
    pending.set(key, waiting === undefined ? change : merge(waiting, change));
  }

  /** Adds a transient error; an error still pending is replaced by the newer one. */
  pushError(event: WatchErrorEvent): void {
    if (this.#ended || this.#handOver(event)) return;
    const pending = (this.#pending ??= new Map());
    pending.delete('error');
    pending.set('error', event);
  }

  /** Gives the item straight to a reader waiting on an empty buffer. */
  #handOver(item: Item): boolean {
    const waiter = this.#waiter;
    if (waiter === undefined || this.pending > 0) return false;
    this.#waiter = this.#moreWaiters?.shift();
    waiter.resolve({ value: item as T, done: false });
    return true;
  }

  /** No more changes will come: the consumer reads what is pending, then the stream completes. */
  finish(): void {
    this.#end(undefined);
  }

  /** The watch failed: the consumer reads what is pending, then `next()` throws the error. */
  fail(error: FlinkError): void {
    this.#end(error);
  }

  next(): Promise<IteratorResult<T>> {
    if (!this.#opened && !this.#ended) {
      this.#opened = true;
      this.#hooks.open();
    }
    const pending = this.#pending;
    if (pending !== undefined && pending.size > 0) {
      const first = pending.entries().next().value as [string, Item];
      pending.delete(first[0]);
      if (pending.size === 0) this.#pending = undefined;
      return Promise.resolve({ value: first[1] as T, done: false });
    }
    if (this.#ended) {
      const failure = this.#failure;
      if (failure) {
        this.#failure = undefined;
        return Promise.reject(failure);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      if (this.#waiter === undefined) this.#waiter = { resolve, reject };
      else (this.#moreWaiters ??= []).push({ resolve, reject });
    });
  }

  /** Stops reading (a `break` out of `for await`): pending changes are dropped, the stream closes. */
  return(): Promise<IteratorResult<T>> {
    this.#pending = undefined;
    this.#failure = undefined;
    this.#end(undefined);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #end(error: FlinkError | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#failure = error;
    if (!this.#closed) {
      this.#closed = true;
      this.#hooks.close();
    }
    // Waiters exist only while nothing is pending.
    const waiters = this.#waiter ? [this.#waiter, ...(this.#moreWaiters ?? [])] : [];
    this.#waiter = undefined;
    this.#moreWaiters = undefined;
    for (const [i, waiter] of waiters.entries()) {
      if (i === 0 && this.#failure) {
        const failure = this.#failure;
        this.#failure = undefined;
        waiter.reject(failure);
      } else waiter.resolve({ value: undefined, done: true });
    }
  }
}

/** A change still pending merged with a newer one for the same id. */
function merge(waiting: WatchChange, next: WatchChange): WatchChange {
  const type = next.type === 'removed' ? 'removed' : waiting.type === 'added' ? 'added' : 'status';
  return { ...next, type, previousStatus: waiting.previousStatus, initial: waiting.initial && next.initial } as WatchChange;
}

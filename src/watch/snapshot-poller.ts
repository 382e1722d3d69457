import { FlinkAbortError } from '../errors/flink-abort-error.js';
import type { FlinkError } from '../errors/flink-error.js';
import { pollUntil } from '../operations/poll.js';
import { asFlinkError, isTransientWatchError } from './watch-errors.js';
import type { WatchErrorEvent } from './watch-types.js';

/** How a poller reads one overview endpoint and compares its entries. @internal */
export interface OverviewSource<E> {
  /** What is polled, for messages (`jobs`, `applications`). */
  readonly name: string;
  /** One read of the overview: every entry the cluster lists. */
  fetch(signal: AbortSignal): Promise<readonly E[]>;
  /** The entry's id. */
  id(entry: E): string;
  /** The entry's status. */
  status(entry: E): string;
  /** Whether two entries of one id have the same details (only asked when their statuses are equal). */
  sameDetails(a: E, b: E): boolean;
}

/** One change the poller saw, shared by every subscriber it is delivered to. @internal */
export interface EntryEvent<E> {
  /** `modified`: details changed, status did not; delivered only to subscribers that asked for it. */
  readonly type: 'added' | 'status' | 'modified' | 'removed';
  readonly id: string;
  readonly previousStatus: string | undefined;
  readonly status: string;
  readonly entry: E;
  readonly initial: boolean;
  readonly timestamp: number;
}

/** A consumer of one poller: a watcher's subscription for one resource kind. @internal */
export interface PollSubscriber<E> {
  /**
   * The ids it watches, without duplicates; undefined for every id. An array, not a Set: a watcher
   * of one job (the common case, thousands at a time) then holds a few bytes for it.
   */
  readonly ids: readonly string[] | undefined;
  /** The pace it asked for; undefined for the cluster's refresh interval. */
  readonly intervalMs: number | undefined;
  /** Whether it wants `modified` events. */
  readonly modifications: boolean;
  entry(event: EntryEvent<E>): void;
  error(event: WatchErrorEvent): void;
  /** The poller stopped for good: with the fatal error, or undefined when the client closed. */
  end(error: FlinkError | undefined): void;
}

/** Settings of a {@link SnapshotPoller}. @internal */
export interface SnapshotPollerOptions {
  /** The pace of subscribers that asked for none (the cluster's `web.refresh-interval`). */
  defaultIntervalMs: number;
  /** Cap of the error backoff (raised to the interval when that is longer). @default 30 000 */
  maxBackoffMs?: number;
  /** Called once the poller stopped (last subscriber gone, fatal error, close): the registry forgets it. */
  onStop: () => void;
  /** Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** The poller's memory of one entry. The record is reused across polls: an unchanged entry allocates nothing. */
interface EntryRecord<E> {
  entry: E;
  gen: number;
}

/** The most subscribers one id keeps in a plain slot before they move to an array. */
type Slot<E> = PollSubscriber<E> | readonly PollSubscriber<E>[];

/**
 * One poll of one overview endpoint, shared by every watcher of a ClusterClient, and the snapshot
 * it keeps.
 *
 * It runs on {@link pollUntil} without end (steady pace, growing backoff on transient errors) from
 * its first subscriber to its last. Each poll is diffed against the snapshot by id, status and
 * details; only what changed is dispatched, and only to the subscribers watching that id (an index
 * by id keeps the cost of a change independent of how many watchers there are). An entry whose id,
 * status and details are unchanged costs one map lookup and two comparisons, and allocates nothing.
 * The snapshot survives failed polls, so the first poll after an outage reports each change once:
 * nothing twice, nothing lost (a state that came and went while the JobManager was away is not
 * seen; where a job ended up is).
 * @internal
 */
export class SnapshotPoller<E> {
  readonly #source: OverviewSource<E>;
  readonly #options: SnapshotPollerOptions;
  readonly #now: () => number;
  readonly #snapshot = new Map<string, EntryRecord<E>>();
  readonly #members = new Set<PollSubscriber<E>>();
  // Copy-on-write: a dispatch iterates the array it started with while callbacks (un)subscribe.
  #all: readonly PollSubscriber<E>[] = [];
  readonly #byId = new Map<string, Slot<E>>();
  readonly #intervals = new Map<number, number>();
  #withoutInterval = 0;
  #interval: number;
  #modificationSubscribers = 0;
  #gen = 0;
  #polled = false;
  #lastPollAt = 0;
  #failures = 0;
  #controller: AbortController | undefined;
  #stopped = false;
  #polls = 0;
  // The pause between polls, kept in fields rather than closures: a platform runs thousands of
  // pollers, and what one pause allocates lives the whole interval (and is promoted to the old
  // generation), so a pause allocates only its promise and its timer.
  #sleepTimer: ReturnType<typeof setTimeout> | undefined;
  #sleepResolve: (() => void) | undefined;
  #sleepReject: ((error: unknown) => void) | undefined;
  /** The signal the pause listens to: pollUntil passes the same one to every pause of a poll. */
  #sleepSignal: AbortSignal | undefined;

  constructor(source: OverviewSource<E>, options: SnapshotPollerOptions) {
    this.#source = source;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#interval = options.defaultIntervalMs;
  }

  /** Subscribers right now. */
  get size(): number {
    return this.#members.size;
  }

  /** Whether the poller has stopped (it is then never restarted: the registry makes a new one). */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** The pace the poller runs at: the smallest interval any subscriber asked for. */
  get intervalMs(): number {
    return this.#interval;
  }

  /** Successful polls so far. */
  get polls(): number {
    return this.#polls;
  }

  /** Entries in the snapshot. */
  get entries(): number {
    return this.#snapshot.size;
  }

  /**
   * Adds a subscriber, starts the poll if it is the first, and replays the snapshot to it as
   * `added` events (`initial: true`) when a poll already completed; otherwise the first poll's
   * entries are its initial state.
   *
   * Remove it with {@link unsubscribe}; the poll stops with the last subscriber.
   */
  subscribe(sub: PollSubscriber<E>): void {
    if (this.#stopped) throw new Error('internal: subscribe on a stopped poller');
    this.#members.add(sub);
    this.#index(sub);
    if (sub.modifications) this.#modificationSubscribers++;
    const before = this.#interval;
    if (sub.intervalMs !== undefined) this.#intervals.set(sub.intervalMs, (this.#intervals.get(sub.intervalMs) ?? 0) + 1);
    else this.#withoutInterval++;
    this.#interval = this.#smallestInterval();
    if (!this.#controller) this.#start();
    else if (this.#interval < before && this.#failures === 0) {
      // A faster watcher joined: poll now, then at its pace, rather than finish a longer sleep.
      this.#wake();
    }
    if (this.#polled) this.#replay(sub);
  }

  /** Stops polling and ends every subscriber: with the error, or quietly (the client closed). */
  close(error?: FlinkError): void {
    if (this.#stopped) return;
    const members = [...this.#members];
    this.#halt();
    for (const sub of members) sub.end(error);
  }

  /** Removes a subscriber; the last one stops the poll. Idempotent. */
  unsubscribe(sub: PollSubscriber<E>): void {
    if (!this.#members.delete(sub)) return;
    this.#unindex(sub);
    if (sub.modifications) this.#modificationSubscribers--;
    if (sub.intervalMs !== undefined) {
      const n = (this.#intervals.get(sub.intervalMs) ?? 1) - 1;
      if (n > 0) this.#intervals.set(sub.intervalMs, n);
      else this.#intervals.delete(sub.intervalMs);
    } else this.#withoutInterval--;
    this.#interval = this.#smallestInterval();
    if (this.#members.size === 0) this.#halt();
  }

  #halt(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#members.clear();
    this.#all = [];
    this.#byId.clear();
    // Aborting cancels the sleep's timer and the request in flight: nothing outlives the poller.
    this.#controller?.abort(new Error('watch stopped'));
    this.#snapshot.clear();
    this.#options.onStop();
  }

  #smallestInterval(): number {
    // Subscribers that asked for no interval want the cluster's refresh interval.
    let smallest = this.#withoutInterval > 0 || this.#intervals.size === 0 ? this.#options.defaultIntervalMs : Infinity;
    for (const ms of this.#intervals.keys()) if (ms < smallest) smallest = ms;
    return smallest;
  }

  #start(): void {
    const controller = new AbortController();
    this.#controller = controller;
    const sleep = this.#options.sleep ?? this.#wakeableSleep;
    const maxBackoff = this.#options.maxBackoffMs ?? 30_000;
    pollUntil((signal) => this.#source.fetch(signal), () => false, {
      intervalMs: () => this.#interval,
      maxIntervalMs: maxBackoff,
      growth: 'errors',
      factor: 2,
      jitter: 0.2,
      timeoutMs: Infinity,
      signal: controller.signal,
      target: `${this.#source.name} watch`,
      tolerate: isTransientWatchError,
      onValue: (entries) => this.#apply(entries),
      onError: (error, retryInMs) => this.#reportError(asFlinkError(error), false, retryInMs),
      sleep,
      now: this.#options.now,
      random: this.#options.random,
    }).catch((error: unknown) => {
      if (this.#stopped || error instanceof FlinkAbortError) return;
      const fatal = asFlinkError(error);
      this.#failures++;
      this.#reportError(fatal, true, undefined);
      this.close(fatal);
    });
  }

  /**
   * The real sleep, which {@link #wake} cuts short when a faster subscriber joins. Its abort
   * listener is added once per signal (pollUntil hands every pause of a poll the same one), not
   * once per pause.

   */
  readonly #wakeableSleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.reject(new FlinkAbortError(signal.reason, 'wait'));
    if (signal !== this.#sleepSignal) {
      this.#sleepSignal?.removeEventListener('abort', this.#onSleepAbort);
      this.#sleepSignal = signal;
      signal?.addEventListener('abort', this.#onSleepAbort, { once: true });
    }
    const promise = new Promise<void>(this.#holdSleep);
    this.#sleepTimer = setTimeout(this.#onSleepTimer, ms);
    return promise;
  };

  readonly #holdSleep = (resolve: () => void, reject: (error: unknown) => void): void => {
    this.#sleepResolve = resolve;
    this.#sleepReject = reject;
  };

  /** Ends the pause in progress, if any: resolved (`error` undefined) or rejected. */
  #endSleep(error: unknown): void {
    const resolve = this.#sleepResolve;
    const reject = this.#sleepReject;
    if (!resolve || !reject) return;
    clearTimeout(this.#sleepTimer);
    this.#sleepTimer = undefined;
    this.#sleepResolve = undefined;
    this.#sleepReject = undefined;
    if (error === undefined) resolve();
    else reject(error);
  }

  readonly #onSleepTimer = (): void => this.#endSleep(undefined);

  readonly #onSleepAbort = (): void => {
    const signal = this.#sleepSignal;
    this.#sleepSignal = undefined;
    this.#endSleep(new FlinkAbortError(signal?.reason, 'wait'));
  };

  /** Cuts the pause in progress short (the next poll starts now); nothing when no pause runs. */
  #wake(): void {
    this.#endSleep(undefined);
  }

  #apply(entries: readonly E[]): void {
    if (this.#stopped) return;
    const source = this.#source;
    const snapshot = this.#snapshot;
    const gen = ++this.#gen;
    const initial = !this.#polled;
    const now = this.#now();
    this.#polled = true;
    this.#lastPollAt = now;
    this.#failures = 0;
    this.#polls++;
    let touched = 0;
    for (let i = 0; i < entries.length; i++) {
      // A subscriber's callback may have stopped the poller (the last watcher ended).
      if (this.#stopped) return;
      const entry = entries[i] as E;
      const id = source.id(entry);
      const record = snapshot.get(id);
      if (record === undefined) {
        snapshot.set(id, { entry, gen });
        touched++;
        this.#dispatch('added', id, undefined, entry, initial, now);
        continue;
      }
      // Listed twice in one body: the first entry stands.
      if (record.gen === gen) continue;
      record.gen = gen;
      touched++;
      const previous = record.entry;
      if (previous === entry) continue;
      const before = source.status(previous);
      if (before !== source.status(entry)) {
        record.entry = entry;
        this.#dispatch('status', id, before, entry, false, now);
        continue;
      }
      // An entry equal to the one kept is dropped, the one kept stays: the new one then dies young
      // (a scavenge frees it), where replacing it would keep each poll's entries for an interval,
      // long enough to be promoted and to cost a major GC. Only a changed entry is kept.
      if (sameJson(previous, entry)) continue;
      record.entry = entry;
      if (this.#modificationSubscribers > 0 && !source.sameDetails(previous, entry)) this.#dispatch('modified', id, before, entry, false, now);
    }
    // Only when something is missing: the steady state skips this second pass.
    if (touched !== snapshot.size && !this.#stopped) {
      for (const [id, record] of snapshot) {
        if (record.gen === gen) continue;
        snapshot.delete(id);
        const last = source.status(record.entry);
        this.#dispatch('removed', id, last, record.entry, false, now);
      }
    }
  }

  #dispatch(type: EntryEvent<E>['type'], id: string, previousStatus: string | undefined, entry: E, initial: boolean, timestamp: number): void {
    const all = this.#all;
    const some = this.#byId.size === 0 ? undefined : this.#byId.get(id);
    if (all.length === 0 && some === undefined) return;
    const event: EntryEvent<E> = { type, id, previousStatus, status: this.#source.status(entry), entry, initial, timestamp };
    for (let i = 0; i < all.length; i++) this.#deliver(all[i] as PollSubscriber<E>, event);
    if (some === undefined) return;
    if (isSubscriberList(some)) for (let i = 0; i < some.length; i++) this.#deliver(some[i] as PollSubscriber<E>, event);
    else this.#deliver(some, event);
  }

  #deliver(sub: PollSubscriber<E>, event: EntryEvent<E>): void {
    if (event.type === 'modified' && !sub.modifications) return;
    if (!this.#members.has(sub)) return;
    try {
      sub.entry(event);
    } catch (err) {
      rethrowLater(err);
    }
  }

  #replay(sub: PollSubscriber<E>): void {
    const source = this.#source;
    const deliver = (id: string, record: EntryRecord<E>): void => {
      if (!this.#members.has(sub)) return;
      try {
        sub.entry({ type: 'added', id, previousStatus: undefined, status: source.status(record.entry), entry: record.entry, initial: true, timestamp: this.#lastPollAt });
      } catch (err) {
        rethrowLater(err);
      }
    };
    if (sub.ids === undefined) {
      for (const [id, record] of this.#snapshot) deliver(id, record);
    } else {
      for (const id of sub.ids) {
        const record = this.#snapshot.get(id);
        if (record) deliver(id, record);
      }
    }
  }

  #reportError(error: FlinkError, fatal: boolean, retryInMs: number | undefined): void {
    if (!fatal) this.#failures++;
    const event: WatchErrorEvent = { type: 'error', error, fatal, failures: this.#failures, retryInMs, timestamp: this.#now() };
    for (const sub of [...this.#members]) {
      if (!this.#members.has(sub)) continue;
      try {
        sub.error(event);
      } catch (err) {
        rethrowLater(err);
      }
    }
  }

  #index(sub: PollSubscriber<E>): void {
    if (sub.ids === undefined) {
      this.#all = [...this.#all, sub];
      return;
    }
    for (const id of sub.ids) {
      const slot = this.#byId.get(id);
      this.#byId.set(id, slot === undefined ? sub : isSubscriberList(slot) ? [...slot, sub] : [slot, sub]);
    }
  }

  #unindex(sub: PollSubscriber<E>): void {
    if (sub.ids === undefined) {
      this.#all = this.#all.filter((s) => s !== sub);
      return;
    }
    for (const id of sub.ids) {
      const slot = this.#byId.get(id);
      if (slot === undefined) continue;
      if (!isSubscriberList(slot)) {
        if (slot === sub) this.#byId.delete(id);
        continue;
      }
      const rest = slot.filter((s) => s !== sub);
      if (rest.length === 0) this.#byId.delete(id);
      else this.#byId.set(id, rest.length === 1 ? (rest[0] as PollSubscriber<E>) : rest);
    }
  }
}

/**
 * Whether two parsed JSON values are equal: same primitives, same keys with equal values, arrays
 * of equal elements. Overview entries are a dozen primitives and a small record of counts.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x: unknown = a[i];
      const y: unknown = b[i];
      if (x !== y && !sameJson(x, y)) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // Parsed JSON has no inherited enumerable keys and no undefined values: a key of `x` whose value
  // equals `y`'s is a key of `y` too (an inherited `y.constructor` equals no JSON value).
  let n = 0;
  for (const key in x) {
    const v = x[key];
    const w = y[key];
    if (v !== w && (typeof v !== 'object' || !hasOwn.call(y, key) || !sameJson(v, w))) return false;
    n++;
  }
  for (const _ in y) n--;
  return n === 0;
}

const hasOwn = Object.prototype.hasOwnProperty;

function isSubscriberList<E>(slot: Slot<E>): slot is readonly PollSubscriber<E>[] {
  return Array.isArray(slot);
}

/**
 * A listener that throws must not take the shared poll down with it (every other watcher would
 * stop too): its error is rethrown outside the poll, where it surfaces as an uncaught exception,
 * as a throw in a timer callback would.
 */
function rethrowLater(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}

/**
 * The simulator's notion of time. Every state change of the model (a job reaching RUNNING, a
 * savepoint completing, an application noticing its jobs ended) is a timer on this clock.
 *
 * - The real clock follows `Date.now()` and uses `setTimeout` (unref'd, all cleared by `close()`).
 * - The virtual clock stands still until the test moves it with `advance(ms)` or `runFor(ms)`, so
 *   tests never sleep and every timeline is reproducible.
 */

/** Which clock a simulator runs on. */
export type SimulatorClockKind = 'real' | 'virtual';

/**
 * The clock of a simulator, as tests see it (`sim.clock`).
 *
 * @example
 * ```ts
 * const sim = await createFlinkSimulator({ clock: 'virtual' });
 * // ... run a job ...
 * sim.clock.advance(5_000); // five simulated seconds pass at once
 * ```
 */
export interface SimulatorClock {
  /** `'real'` or `'virtual'`. */
  readonly kind: SimulatorClockKind;
  /** The current simulated time in epoch milliseconds (what Flink's timestamps show). */
  now(): number;
  /**
   * Moves a virtual clock forward by `ms`, firing every timer that falls due, in order, each at
   * its own time (a job that becomes RUNNING at +80 ms and FINISHED at +250 ms passes through both).
   *
   * @throws Error on the real clock, which cannot be moved.
   */
  advance(ms: number): void;
  /**
   * Lets `ms` of simulated time pass, yielding to the event loop between timers so HTTP requests in
   * flight are answered at the simulated moment they belong to. On the real clock it simply waits
   * `ms` real milliseconds.
   */
  runFor(ms: number): Promise<void>;
  /** Resolves once `ms` of simulated time have passed (on the virtual clock: once the test advanced it). */
  sleep(ms: number): Promise<void>;
  /** Timers currently scheduled (0 after `close()`). */
  readonly pendingTimers: number;
}

/** A scheduled timer. @internal */
export type TimerId = number;

/** The clock as the model uses it. @internal */
export interface SchedulingClock extends SimulatorClock {
  /** Runs `fn` once `delayMs` of simulated time have passed. */
  schedule(delayMs: number, fn: () => void): TimerId;
  /** Cancels a timer; unknown or fired ids are ignored. */
  cancel(id: TimerId | undefined): void;
  /** Cancels every timer and refuses new ones. */
  dispose(): void;
}

type ErrorSink = (error: unknown) => void;

function checkMs(ms: number): number {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) throw new RangeError(`expected a duration >= 0 in milliseconds, got ${String(ms)}`);
  return ms;
}

/** The clock that follows wall time. @internal */
export class RealClock implements SchedulingClock {
  readonly kind = 'real' as const;
  readonly #timers = new Map<TimerId, ReturnType<typeof setTimeout>>();
  readonly #onError: ErrorSink;
  #next = 1;
  #disposed = false;

  constructor(onError: ErrorSink) {
    this.#onError = onError;
  }

  now(): number {
    return Date.now();
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  advance(): void {
    throw new Error('clock.advance() needs a virtual clock: create the simulator with { clock: "virtual" }');
  }

  async runFor(ms: number): Promise<void> {
    await this.sleep(ms);
  }

  sleep(ms: number): Promise<void> {
    checkMs(ms);
    return new Promise((resolve) => {
      if (this.#disposed) return resolve();
      this.schedule(ms, resolve);
    });
  }

  schedule(delayMs: number, fn: () => void): TimerId {
    const id = this.#next++;
    if (this.#disposed) return id;
    const handle = setTimeout(() => {
      this.#timers.delete(id);
      try {
        fn();
      } catch (err) {
        this.#onError(err);
      }
    }, Math.max(0, delayMs));
    handle.unref?.();
    this.#timers.set(id, handle);
    return id;
  }

  cancel(id: TimerId | undefined): void {
    if (id === undefined) return;
    const handle = this.#timers.get(id);
    if (handle !== undefined) clearTimeout(handle);
    this.#timers.delete(id);
  }

  dispose(): void {
    this.#disposed = true;
    for (const handle of this.#timers.values()) clearTimeout(handle);
    this.#timers.clear();
  }
}

interface VirtualTimer {
  id: TimerId;
  at: number;
  fn: () => void;
}

/** The clock that moves only when the test moves it. @internal */
export class VirtualClock implements SchedulingClock {
  readonly kind = 'virtual' as const;
  #now: number;
  #timers: VirtualTimer[] = [];
  #next = 1;
  #disposed = false;
  readonly #onError: ErrorSink;

  constructor(start: number, onError: ErrorSink) {
    this.#now = start;
    this.#onError = onError;
  }

  now(): number {
    return this.#now;
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  schedule(delayMs: number, fn: () => void): TimerId {
    const id = this.#next++;
    if (this.#disposed) return id;
    const timer = { id, at: this.#now + Math.max(0, delayMs), fn };
    // Keep the list sorted by due time, then by scheduling order.
    let i = this.#timers.length;
    while (i > 0 && (this.#timers[i - 1] as VirtualTimer).at > timer.at) i--;
    this.#timers.splice(i, 0, timer);
    return id;
  }

  cancel(id: TimerId | undefined): void {
    if (id === undefined) return;
    const i = this.#timers.findIndex((t) => t.id === id);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  /** Fires the earliest timer due at or before `until`; false when there is none. */
  #fireOne(until: number): boolean {
    const first = this.#timers[0];
    if (!first || first.at > until) return false;
    this.#timers.shift();
    if (first.at > this.#now) this.#now = first.at;
    try {
      first.fn();
    } catch (err) {
      this.#onError(err);
    }
    return true;
  }

  advance(ms: number): void {
    const target = this.#now + checkMs(ms);
    while (this.#fireOne(target)) {
      // fire every due timer, including ones scheduled by the timers fired
    }
    this.#now = target;
  }

  async runFor(ms: number): Promise<void> {
    const target = this.#now + checkMs(ms);
    // Yield first, so requests already in flight are handled at the current time.
    await yieldToEventLoop();
    while (this.#fireOne(target)) await yieldToEventLoop();
    this.#now = target;
    await yieldToEventLoop();
  }

  sleep(ms: number): Promise<void> {
    checkMs(ms);
    return new Promise((resolve) => {
      if (this.#disposed) return resolve();
      this.schedule(ms, resolve);
    });
  }

  dispose(): void {
    this.#disposed = true;
    this.#timers = [];
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

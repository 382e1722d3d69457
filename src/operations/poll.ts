import { FlinkAbortError } from '../errors/flink-abort-error.js';
import { FlinkError } from '../errors/flink-error.js';
import { FlinkTimeoutError } from '../errors/flink-timeout-error.js';
import { linkedController, sleep as realSleep } from '../internal/abort.js';

/** Settings of one polling wait. */
export interface PollOptions<T> {
  /** First interval between reads, in milliseconds (at least 10). */
  intervalMs: number;
  /** Largest interval between reads, in milliseconds. */
  maxIntervalMs: number;
  /** Growth of the interval after each read. @default 1.5 */
  factor?: number;
  /** Random spread of each interval, as a fraction. @default 0.1 */
  jitter?: number;
  /** Deadline of the whole wait; `Infinity` for none. */
  timeoutMs: number;
  /** Aborts the wait and the read in flight. */
  signal?: AbortSignal;
  /** What is waited on, for error messages (`job 0a1b… result`). */
  target: string;
  /** Errors after which the wait goes on (at the backed-off pace) instead of failing. */
  tolerate?: (error: unknown) => boolean;
  /** Called with every value read. */
  onValue?: (value: T) => void;
  /** Injectable sleep, for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injectable clock, for tests. */
  now?: () => number;
  /** Injectable randomness for the jitter, for tests. */
  random?: () => number;
}

const DEADLINE = Symbol('poll deadline');

/**
 * Reads until `done` accepts a value, and returns that value.
 *
 * The first read happens at once; the interval then grows from `intervalMs` to `maxIntervalMs`
 * with jitter. A value `done` does not recognise (a state a newer Flink added) is simply waited on
 * at the normal pace, never in a hot loop. The deadline aborts a read in flight and rejects with
 * FlinkTimeoutError (phase `wait`) carrying the last value seen; the caller's signal aborts the
 * sleep and the read in flight and rejects with FlinkAbortError. Every job result, operation
 * result, application result and watcher in the SDK runs on this function.
 *
 * @throws FlinkTimeoutError when the deadline passes, FlinkAbortError when the signal fires, and
 *   whatever `read` throws that `tolerate` does not accept.
 */
export async function pollUntil<T>(read: (signal: AbortSignal) => Promise<T>, done: (value: T) => boolean, options: PollOptions<T>): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const factor = options.factor ?? 1.5;
  const jitter = options.jitter ?? 0.1;
  const maxInterval = Math.max(10, options.maxIntervalMs);
  let interval = Math.min(maxInterval, Math.max(10, options.intervalMs));
  const timeoutMs = options.timeoutMs;
  const deadline = Number.isFinite(timeoutMs) ? now() + timeoutMs : Infinity;
  const { controller, dispose } = linkedController([options.signal]);
  const deadlineTimer = Number.isFinite(timeoutMs) ? setTimeout(() => controller.abort(DEADLINE), Math.max(0, timeoutMs)) : undefined;
  let last: T | undefined;
  let lastError: unknown;
  const timeout = (): FlinkTimeoutError =>
    new FlinkTimeoutError({ phase: 'wait', timeoutMs, target: options.target, lastValue: last, cause: lastError });
  try {
    for (;;) {
      if (options.signal?.aborted) throw new FlinkAbortError(options.signal.reason, options.target);
      if (controller.signal.aborted || now() >= deadline) throw timeout();
      try {
        const value = await read(controller.signal);
        last = value;
        lastError = undefined;
        options.onValue?.(value);
        if (done(value)) return value;
      } catch (err) {
        if (options.signal?.aborted) throw new FlinkAbortError(options.signal.reason, options.target);
        if (controller.signal.reason === DEADLINE) throw timeout();
        if (!options.tolerate?.(err)) throw err;
        lastError = err;
      }
      const remaining = deadline - now();
      if (remaining <= 0) throw timeout();
      const spread = interval * jitter * (2 * random() - 1);
      const pause = Math.min(remaining, Math.max(1, Math.round(interval + spread)));
      try {
        await sleep(pause, controller.signal);
      } catch (err) {
        if (options.signal?.aborted) throw new FlinkAbortError(options.signal.reason, options.target);
        if (controller.signal.reason === DEADLINE) throw timeout();
        throw err instanceof FlinkError ? err : new FlinkError('poll sleep failed', 'FLINK_ERROR', { cause: err });
      }
      interval = Math.min(maxInterval, interval * factor);
    }
  } finally {
    if (deadlineTimer) clearTimeout(deadlineTimer);
    dispose();
  }
}

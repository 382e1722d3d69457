import { FlinkAbortError } from '../errors/flink-abort-error.js';
import { FlinkError } from '../errors/flink-error.js';
import { FlinkTimeoutError } from '../errors/flink-timeout-error.js';
import { FlinkConnectionError, formatDuration } from '../errors/flink-connection-error.js';
import { linkedController, sleep as realSleep } from '../internal/abort.js';
import { type TraceSpan, tracedWait, type WaitSpan } from '../internal/telemetry.js';
import { timerMs } from '../options/check-options.js';

/** Settings of one polling wait. */
export interface PollOptions<T> {
  /**
   * First interval between reads, in milliseconds (at least 10). A function is read when the poll
   * starts and, with `growth: 'errors'`, before every pause: a long-running poll shared by several
   * callers can change its pace while it runs.
   */
  intervalMs: number | (() => number);
  /**
   * Largest interval between reads, in milliseconds. With `growth: 'errors'` it caps the error
   * backoff, and never lowers the base interval.
   */
  maxIntervalMs: number;
  /**
   * How the interval moves.
   *
   * - `'every-read'`: it grows by `factor` after every read, jittered, up to `maxIntervalMs`: a
   *   wait polls briskly at first and settles at a slow pace.
   * - `'errors'`: while reads succeed, reads start `intervalMs` apart, without jitter (a steady
   *   rate, as a dashboard refreshes), except that the pause after a read is never shorter than the
   *   read took, up to `intervalMs`: a JobManager that answers slowly is not polled back to back.
   *   Each tolerated error in a row multiplies the pause by `factor`, jittered, up to
   *   `maxIntervalMs`; the next successful read resets it.
   * @default 'every-read'
   */
  growth?: 'every-read' | 'errors';
  /** Growth of the interval after each read (or, with `growth: 'errors'`, each error). @default 1.5 */
  factor?: number;
  /** Random spread of each grown interval, as a fraction. @default 0.1 */
  jitter?: number;
  /** Deadline of the whole wait; `Infinity` for none. */
  timeoutMs: number;
  /** Aborts the wait and the read in flight; the wait rejects with FlinkAbortError. */
  signal?: AbortSignal;
  /**
   * The client's close signal: when it fires, the wait and the read in flight stop at once and the
   * wait rejects with the signal's reason (a FlinkError `FLINK_CLIENT_CLOSED`).
   */
  closeSignal?: AbortSignal;
  /**
   * How long reads may keep failing to reach the server (`isUnreachable` says which failures
   * count) before the wait gives up with FlinkConnectionError, instead of retrying until its
   * deadline; `Infinity` for no bound. Reset by any read that gets an answer.
   * @default Infinity
   */
  unreachableMs?: number;
  /** Which tolerated errors mean "the server did not answer". @default none */
  isUnreachable?: (error: unknown) => boolean;
  /** What is waited on, for error messages (`job 0a1b… result`). */
  target: string;
  /** Errors after which the wait goes on (at the backed-off pace) instead of failing. */
  tolerate?: (error: unknown) => boolean;
  /** Called with every value read. */
  onValue?: (value: T) => void;
  /**
   * Called with every error `tolerate` accepted, and the pause before the next read, so a
   * long-running poll can report trouble it rides out.
   */
  onError?: (error: unknown, retryInMs: number) => void;
  /** Injectable sleep: tests pass a virtual one, watchers one they can cut short. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injectable clock, for tests. */
  now?: () => number;
  /** Injectable randomness for the jitter, for tests. */
  random?: () => number;
  /**
   * The wait's OpenTelemetry span: a name (and attributes) to open one for this wait, or a span
   * already open. Each read is a `poll` event on it, and `flink.polls` counts them. No span: untraced.
   */
  span?: WaitSpan;
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
 * result, application result and watcher in the SDK runs on this function. A watcher polls
 * without end: `done` never accepts, `timeoutMs` is `Infinity`, `growth` is `'errors'`, and its
 * signal stops it.
 *
 * @throws FlinkTimeoutError when the deadline passes, FlinkAbortError when the signal fires, and
 *   whatever `read` throws that `tolerate` does not accept.
 */
export function pollUntil<T>(read: (signal: AbortSignal) => Promise<T>, done: (value: T) => boolean, options: PollOptions<T>): Promise<T> {
  return options.span === undefined ? pollLoop(read, done, options, undefined) : tracedWait(options.span, (span) => pollLoop(read, done, options, span));
}

/** What a read returned, for a poll event or a progress report: a status string, or an object's `state` (else its `status`). */
export function pollState(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const v = value as { state?: unknown; status?: unknown } | null | undefined;
  if (typeof v?.state === 'string') return v.state;
  return typeof v?.status === 'string' ? v.status : undefined;
}

async function pollLoop<T>(read: (signal: AbortSignal) => Promise<T>, done: (value: T) => boolean, options: PollOptions<T>, span: TraceSpan | undefined): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const factor = options.factor ?? 1.5;
  const jitter = options.jitter ?? 0.1;
  const steady = options.growth === 'errors';
  const baseInterval = typeof options.intervalMs === 'function' ? options.intervalMs : ((fixed: number) => () => fixed)(options.intervalMs);
  const maxInterval = Math.max(10, options.maxIntervalMs);
  let interval = Math.min(maxInterval, Math.max(10, baseInterval()));
  let failures = 0;
  const timeoutMs = options.timeoutMs;
  const timer = timerMs(timeoutMs);
  const deadline = timer === undefined ? Infinity : now() + timer;
  const { controller, dispose } = linkedController([options.signal, options.closeSignal]);
  const deadlineTimer = timer === undefined ? undefined : setTimeout(() => controller.abort(DEADLINE), Math.max(0, timer));
  const unreachableMs = options.unreachableMs ?? Infinity;
  let unreachableSince: number | undefined;
  let unreachableReads = 0;
  let last: T | undefined;
  let lastError: unknown;
  /** Why the wait stopped when its controller fired: the caller's abort, the client closing, or the deadline. */
  const stopped = (): never => {
    if (options.signal?.aborted) throw new FlinkAbortError(options.signal.reason, options.target);
    const reason: unknown = controller.signal.reason;
    if (reason instanceof FlinkError) throw reason;
    throw timeout();
  };
  const timeout = (): FlinkTimeoutError =>
    new FlinkTimeoutError({ phase: 'wait', timeoutMs, target: options.target, lastValue: last, cause: lastError });
  let polls = 0;
  span?.set({ 'flink.wait.target': options.target, 'flink.wait.timeout_ms': Number.isFinite(timeoutMs) ? timeoutMs : undefined });
  try {
    for (;;) {
      if (controller.signal.aborted) stopped();
      if (now() >= deadline) throw timeout();
      let failed = false;
      const readStarted = now();
      try {
        polls++;
        // `let`, cleared below: a local of an async function stays in its suspended frame, and would
        // keep each read's value alive through the pause that follows.
        let value: T | undefined = await read(controller.signal);
        span?.event('poll', { 'flink.poll': polls, 'flink.state': pollState(value) });
        // Only a deadline reports the last value: a poll without end (a watcher's) keeps none, or
        // each read's whole body would outlive the pause and be promoted to the old generation.
        if (timer !== undefined) last = value;
        lastError = undefined;
        unreachableSince = undefined;
        unreachableReads = 0;
        options.onValue?.(value);
        if (done(value)) return value;
        value = undefined;
      } catch (err) {
        span?.event('poll', { 'flink.poll': polls, 'error.type': err instanceof FlinkError ? err.code : 'unknown' });
        if (controller.signal.aborted) stopped();
        if (!options.tolerate?.(err)) throw err;
        lastError = err;
        failed = true;
        if (options.isUnreachable?.(err)) {
          unreachableSince ??= readStarted;
          unreachableReads++;
          if (now() - unreachableSince >= unreachableMs) throw unreachable(options.target, err, now() - unreachableSince, unreachableReads);
        } else {
          unreachableSince = undefined;
          unreachableReads = 0;
        }
      }
      const remaining = deadline - now();
      if (remaining <= 0) throw timeout();
      let pause: number;
      if (steady) {
        // A steady poll: the base pace while reads succeed, a growing backoff while they fail.
        const base = Math.max(10, baseInterval());
        failures = failed ? failures + 1 : 0;
        if (failures === 0) {
          const took = Math.max(0, now() - readStarted);
          pause = Math.max(1, Math.round(Math.max(base - took, Math.min(took, base))));
        } else {
          const grown = Math.min(Math.max(maxInterval, base), base * factor ** (failures - 1));
          pause = Math.max(1, Math.round(grown + grown * jitter * (2 * random() - 1)));
        }
        pause = Math.min(remaining, pause);
      } else {
        const spread = interval * jitter * (2 * random() - 1);
        pause = Math.min(remaining, Math.max(1, Math.round(interval + spread)));
      }
      if (failed) options.onError?.(lastError, pause);
      try {
        await sleep(pause, controller.signal);
      } catch (err) {
        if (controller.signal.aborted) stopped();
        throw err instanceof FlinkError ? err : new FlinkError('poll sleep failed', 'FLINK_ERROR', { cause: err });
      }
      if (!steady) interval = Math.min(maxInterval, interval * factor);
    }
  } finally {
    span?.set({ 'flink.polls': polls });
    if (deadlineTimer) clearTimeout(deadlineTimer);
    dispose();
  }
}

/** The error of a wait that gave up because no read got an answer for too long. */
function unreachable(target: string, err: unknown, forMs: number, reads: number): FlinkConnectionError {
  const last = err instanceof FlinkConnectionError ? err : undefined;
  const why = err instanceof Error ? err.message : String(err);
  return new FlinkConnectionError({
    method: last?.method ?? 'GET',
    url: last?.url ?? '',
    path: last?.path ?? '',
    cause: err,
    diagnosis: last?.diagnosis,
    attempts: reads,
    elapsedMs: forMs,
    urls: last?.urls,
    message: `${target}: the cluster was unreachable for ${formatDuration(forMs)} (${reads} polls got no answer); last: ${why}`,
  });
}

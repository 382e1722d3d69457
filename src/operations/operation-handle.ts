import { FlinkTimeoutError } from '../errors/flink-timeout-error.js';
import type { OperationFailedError } from '../errors/operation-failed-error.js';
import { UnreachableStateError } from '../errors/unreachable-state-error.js';
import { linkedController, sleep } from '../internal/abort.js';
import { traced, type TraceSpan } from '../internal/telemetry.js';
import { timerMs } from '../options/check-options.js';
import type { RequestOptions, WaitOptions } from '../options/request-options.js';
import type { AsyncOperation, OperationKind, OperationStatus } from './async-operation.js';
import { pollUntil } from './poll.js';
import { progressHooks, type WaitDefaults, type WaitPoll, waitSettings } from './wait-settings.js';

/** Operations are polled from 100 ms, growing to 2 s (Flink's Java client polls from 10 ms up to 2 s). */
const OPERATION_PACE = { intervalMs: 100, maxIntervalMs: 2_000 };

/** How one kind of operation is polled and how its completed payload is read. */
export interface OperationDriver<T> {
  readonly kind: OperationKind;
  readonly triggerId: string;
  readonly jobId: string | undefined;
  /** One read of the operation's status. */
  poll(options: RequestOptions): Promise<OperationStatus<T>>;
  /**
   * How to take the operation again when Flink failed it only because not all of the job's tasks
   * ran yet; absent for operations that cannot be repeated (disposal, an operation picked up by
   * trigger id, whose parameters are unknown).
   */
  readonly retrigger?: Retrigger<T>;
}

/** Waiting for a job's tasks and triggering its operation again, with a fresh trigger id. */
export interface Retrigger<T> {
  /** Resolves once every task of the job runs; rejects (UnreachableStateError) once the job ended. */
  ready(wait: WaitOptions): Promise<unknown>;
  /** Triggers the operation again and returns the driver of the new trigger id. */
  trigger(options: RequestOptions): Promise<OperationDriver<T>>;
}

/** Flink's reason for failing a checkpoint or savepoint before writing anything: `CheckpointFailureReason.NOT_ALL_REQUIRED_TASKS_RUNNING`. */
const TASKS_NOT_RUNNING = /Not all required tasks are currently running/;

/** Whether an operation failed only because the job's tasks did not all run yet (nothing was written). */
function failedForTasksNotRunning(error: OperationFailedError): boolean {
  return TASKS_NOT_RUNNING.test(error.rootCause?.message ?? '') || TASKS_NOT_RUNNING.test(error.stackTrace?.split('\n')[0] ?? '');
}

/**
 * The {@link AsyncOperation} handle: a driver and the client's wait defaults. When Flink fails a
 * savepoint, stop or checkpoint only because the job's tasks do not all run yet (a job reports
 * RUNNING seconds before its tasks do), `result()` waits for the tasks and triggers again with a
 * fresh trigger id, until its deadline; the handle's `triggerId` then names the new trigger.
 */
export class OperationHandle<T> implements AsyncOperation<T> {
  #driver: OperationDriver<T>;
  readonly #waits: WaitDefaults;

  constructor(driver: OperationDriver<T>, waits: WaitDefaults) {
    this.#driver = driver;
    this.#waits = waits;
  }

  get triggerId(): string {
    return this.#driver.triggerId;
  }

  get kind(): OperationKind {
    return this.#driver.kind;
  }

  get jobId(): string | undefined {
    return this.#driver.jobId;
  }

  status(options: RequestOptions = {}): Promise<OperationStatus<T>> {
    return this.#driver.poll(options);
  }

  async result(options?: WaitOptions): Promise<T> {
    // Checked before the span opens: an invalid option is the caller's mistake, not a failed operation.
    const target = `${this.kind}${this.jobId ? ` of job ${this.jobId}` : ''}`;
    const started = Date.now();
    const base = waitSettings(options, this.#waits, OPERATION_PACE, target);
    // Progress names the trigger id polled now, which a retrigger changes.
    let retriggers = 0;
    const settings: WaitPoll = { ...base, ...progressHooks(options?.onProgress, target, started, () => ({ triggerId: this.triggerId, retriggers })) };
    const attributes = { 'flink.operation.kind': this.kind, 'flink.job.id': this.jobId, 'flink.trigger.id': this.triggerId };
    return traced(`flink.${this.kind}.result`, attributes, (span) => this.#result(settings, target, span, (n) => (retriggers = n)));
  }

  async #result(settings: WaitPoll, target: string, span: TraceSpan, retriggered: (count: number) => void): Promise<T> {
    const limit = timerMs(settings.timeoutMs);
    const deadline = limit === undefined ? Infinity : Date.now() + limit;
    for (let retriggers = 0; ; retriggers++) {
      const remaining = (): number => (deadline === Infinity ? Infinity : Math.max(1, deadline - Date.now()));
      const driver = this.#driver;
      const status = await pollUntil((signal) => driver.poll({ ...settings.request, signal }), (s) => s.state === 'SUCCEEDED' || s.state === 'FAILED', {
        ...settings,
        timeoutMs: remaining(),
        target: `${target} (trigger ${driver.triggerId})`,
        span,
      });
      if (status.state === 'SUCCEEDED') {
        span.set({ 'flink.savepoint.path': typeof status.result === 'string' ? status.result : undefined, 'flink.checkpoint.id': typeof status.result === 'number' ? status.result : undefined });
        return status.result;
      }
      const error = (status as { state: 'FAILED'; error: OperationFailedError }).error;
      if (!driver.retrigger || !failedForTasksNotRunning(error)) throw error;
      if (Date.now() >= deadline) throw error;
      span.event('retrigger', { 'flink.trigger.id': driver.triggerId, 'flink.retriggers': retriggers + 1, 'exception.message': error.rootCause?.message });
      this.#driver = await this.#again(driver.retrigger, error, settings, remaining, retriggers);
      retriggered(retriggers + 1);
      span.set({ 'flink.trigger.id': this.#driver.triggerId, 'flink.retriggers': retriggers + 1 });
    }
  }

  /**
   * Waits for the job's tasks, after a pause that grows with each retrigger (Flink's job details
   * are cached for a few seconds, so "all running" may be read before it is true), then triggers
   * again. The original failure is what the caller gets if the job ends or the deadline passes.
   */
  async #again(retrigger: Retrigger<T>, failure: OperationFailedError, settings: WaitPoll, remaining: () => number, retriggers: number): Promise<OperationDriver<T>> {
    const pause = Math.min(remaining(), Math.min(5_000, 250 * 2 ** Math.min(retriggers, 5)));
    const { controller, dispose } = linkedController([settings.signal, settings.closeSignal]);
    try {
      await sleep(pause, controller.signal);
    } catch (err) {
      if (settings.closeSignal?.aborted) throw settings.closeSignal.reason;
      throw err;
    } finally {
      dispose();
    }
    try {
      await retrigger.ready({ signal: settings.signal, timeoutMs: remaining(), request: settings.request });
    } catch (err) {
      // The job ended, or time ran out, while its tasks were awaited: the failure stands.
      if (err instanceof UnreachableStateError || (err instanceof FlinkTimeoutError && err.phase === 'wait')) throw failure;
      throw err;
    }
    return retrigger.trigger({ ...settings.request, signal: settings.signal });
  }
}

import { FlinkConnectionError } from '../errors/flink-connection-error.js';
import { FlinkServerError } from '../errors/flink-server-error.js';
import { OperationFailedError } from '../errors/operation-failed-error.js';
import type { ClientContext } from '../internal/client-context.js';
import type { RequestOptions, WaitOptions } from '../options.js';
import { pollUntil } from './poll.js';

/** The kinds of asynchronous operation Flink runs behind a trigger id. */
export type OperationKind = 'savepoint' | 'stop' | 'checkpoint' | 'savepoint-disposal';

/**
 * The state of an asynchronous operation: still running, done with a result, or done with a
 * failure.
 */
export type OperationStatus<T> =
  | {
      /** Flink is still working on it. */
      state: 'IN_PROGRESS';
    }
  | {
      /** The operation completed successfully. */
      state: 'SUCCEEDED';
      /** Its result: a savepoint location, a checkpoint id, or nothing. */
      result: T;
    }
  | {
      /** The operation completed with a failure. */
      state: 'FAILED';
      /** Why, with Flink's failure cause. */
      error: OperationFailedError;
    };

/** How one kind of operation is polled and how its completed payload is read. @internal */
export interface OperationDriver<T> {
  readonly kind: OperationKind;
  readonly triggerId: string;
  readonly jobId: string | undefined;
  poll(context: ClientContext, options: RequestOptions): Promise<OperationStatus<T>>;
}

/**
 * Transient failures a long wait should ride out: the JobManager briefly unreachable or electing a
 * leader. Anything else (an expired trigger, a validation error) ends the wait.
 */
export function isTransientWaitError(error: unknown): boolean {
  return error instanceof FlinkConnectionError || (error instanceof FlinkServerError && [502, 503, 504].includes(error.status));
}

/**
 * A handle on one long-running Flink operation (savepoint, stop-with-savepoint, checkpoint,
 * savepoint disposal), identified by its trigger id.
 *
 * The trigger id is chosen by the client and sent with the trigger, so a retried trigger never
 * starts a second operation; persist it to pick the operation up again later (for example with
 * `job.savepointOperation(triggerId)`). Creating a handle sends nothing. Flink keeps an operation's
 * result for `rest.async.store-duration` (default 5 minutes) after it completes; polling later
 * throws OperationNotFoundError.
 *
 * @example
 * ```ts
 * const op = await job.triggerSavepoint({ targetDirectory: 's3://bucket/savepoints' });
 * console.log('trigger id', op.triggerId);
 * const location = await op.result({ timeoutMs: 10 * 60_000 });
 * ```
 */
export class AsyncOperation<T> {
  readonly #context: ClientContext;
  readonly #driver: OperationDriver<T>;

  /**
   * Makes a handle; JobClient and ClusterClient methods create them.
   * @internal
   */
  constructor(context: ClientContext, driver: OperationDriver<T>) {
    this.#context = context;
    this.#driver = driver;
  }

  /** The trigger id (32 hex characters) that identifies the operation on the cluster. */
  get triggerId(): string {
    return this.#driver.triggerId;
  }

  /** What kind of operation this is. */
  get kind(): OperationKind {
    return this.#driver.kind;
  }

  /** The job the operation belongs to; undefined for savepoint disposal. */
  get jobId(): string | undefined {
    return this.#driver.jobId;
  }

  /**
   * Asks the cluster once for the operation's state.
   *
   * @throws OperationNotFoundError when the cluster does not know the trigger id (never triggered,
   *   or its result expired); the usual request errors otherwise.
   */
  status(options: RequestOptions = {}): Promise<OperationStatus<T>> {
    return this.#driver.poll(this.#context, options);
  }

  /**
   * Polls until the operation completes and returns its result: the savepoint location for
   * savepoints and stop, the checkpoint id for checkpoints, nothing for disposal.
   *
   * Polls from 100 ms, growing to 2 s; brief connection failures and 503s are ridden out.
   *
   * @throws OperationFailedError when the operation completed with a failure cause.
   * @throws FlinkTimeoutError (phase `wait`) when `timeoutMs` passes first.
   * @throws FlinkAbortError when the signal fires.
   * @throws OperationNotFoundError when the trigger id is unknown or its result expired.
   *
   * @example
   * ```ts
   * const path = await (await job.stopWithSavepoint({ drain: false })).result();
   * ```
   */
  async result(options: WaitOptions = {}): Promise<T> {
    const status = await pollUntil(
      (signal) => this.#driver.poll(this.#context, { ...options.request, signal }),
      (s) => s.state === 'SUCCEEDED' || s.state === 'FAILED',
      {
        intervalMs: options.pollIntervalMs ?? 100,
        maxIntervalMs: options.maxPollIntervalMs ?? 2_000,
        timeoutMs: options.timeoutMs ?? this.#context.waitTimeoutMs,
        signal: options.signal,
        target: `${this.kind} ${this.triggerId}${this.jobId ? ` of job ${this.jobId}` : ''}`,
        tolerate: isTransientWaitError,
      },
    );
    if (status.state === 'FAILED') throw status.error;
    return (status as { state: 'SUCCEEDED'; result: T }).result;
  }
}

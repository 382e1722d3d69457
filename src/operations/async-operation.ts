import type { OperationFailedError } from '../errors/operation-failed-error.js';
import type { RequestOptions, WaitOptions, WaitProgress } from '../options/request-options.js';

/** The kinds of asynchronous operation Flink runs behind a trigger id. */
export type OperationKind = 'savepoint' | 'stop' | 'checkpoint' | 'savepoint-disposal' | 'dataset-deletion';

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

/**
 * A handle on one long-running Flink operation (savepoint, stop-with-savepoint, checkpoint,
 * savepoint disposal), identified by its trigger id.
 *
 * The trigger id is chosen by the client and sent with the trigger, so a retried trigger never
 * starts a second operation; persist it to pick the operation up again later (for example with
 * `job.savepointOperation(triggerId)`). Getting a handle sends nothing. Flink keeps an operation's
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
export interface AsyncOperation<T> {
  /** The trigger id (32 hex characters) that identifies the operation on the cluster. */
  readonly triggerId: string;
  /** What kind of operation this is. */
  readonly kind: OperationKind;
  /** The job the operation belongs to; undefined for savepoint disposal. */
  readonly jobId: string | undefined;

  /**
   * Asks the cluster once for the operation's state.
   *
   * @throws OperationNotFoundError when the cluster does not know the trigger id (never triggered,
   *   or its result expired); the usual request errors otherwise.
   */
  status(options?: RequestOptions): Promise<OperationStatus<T>>;

  /**
   * Polls until the operation completes and returns its result: the savepoint location for
   * savepoints and stop, the checkpoint id for checkpoints, nothing for disposal.
   *
   * Polls from 100 ms, growing to 2 s; brief connection failures and 503s are ridden out.
   * `onProgress` is called after every poll with the status read, the elapsed time and the trigger
   * id being polled (see {@link WaitProgress}).
   *
   * @throws OperationFailedError when the operation completed with a failure cause.
   * @throws FlinkTimeoutError (phase `wait`) when `timeoutMs` passes first.
   * @throws FlinkAbortError when the signal fires.
   * @throws OperationNotFoundError when the trigger id is unknown or its result expired.
   * @example
   * ```ts
   * const path = await (await job.stopWithSavepoint({ drain: false })).result();
   * // with progress:
   * await op.result({ onProgress: (p) => console.log(p.state, p.elapsedMs, p.triggerId) });
   * ```
   */
  result(options?: WaitOptions): Promise<T>;
}

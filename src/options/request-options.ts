/**
 * Options every request method takes as its last argument. Each falls back to the client-wide
 * default of the same name.
 */
export interface RequestOptions {
  /** Aborts the call, including any retry sleep; the call rejects with FlinkAbortError. */
  signal?: AbortSignal;
  /**
   * Deadline of one HTTP attempt in milliseconds (connect, headers and body).
   * @default the client's `timeoutMs` (30 000)
   */
  timeoutMs?: number;
  /**
   * How many times a retryable failure is retried. Only idempotent calls and calls that carry a
   * client-chosen id are retried.
   * @default the client's `maxRetries` (3)
   */
  maxRetries?: number;
  /**
   * Extra request headers for this call. Values of sensitive ones (credentials, tokens, keys)
   * never appear in errors, events or logs.
   */
  headers?: Record<string, string>;
}

/** Options of a polling wait (`result()`, `waitFor()`, an operation's `result()`). */
export interface WaitOptions {
  /** Aborts the wait and the request in flight; the wait rejects with FlinkAbortError. */
  signal?: AbortSignal;
  /**
   * Deadline of the whole wait in milliseconds; on expiry the wait rejects with a
   * FlinkTimeoutError whose `lastValue` is the last state seen. Pass `Infinity` to wait without a
   * deadline.
   * @default the client's `waitTimeoutMs` (600 000, ten minutes)
   */
  timeoutMs?: number;
  /**
   * First interval between polls in milliseconds; it grows by half each poll up to
   * `maxPollIntervalMs`.
   * @default 100 for operations, 250 for jobs and applications
   */
  pollIntervalMs?: number;
  /**
   * Largest interval between polls in milliseconds.
   * @default 2 000 for operations, 3 000 (Flink's `web.refresh-interval`) for jobs and applications
   */
  maxPollIntervalMs?: number;
  /**
   * How long every poll may fail to reach the cluster before the wait gives up with
   * FlinkConnectionError (see the client option of the same name).
   * @default the client's `unreachableTimeoutMs` (90 000)
   */
  unreachableTimeoutMs?: number;
  /** Per-request options for each poll (`timeoutMs` there is per attempt). */
  request?: Omit<RequestOptions, 'signal'>;
  /**
   * Called after every poll of the wait with what it read and how long the wait has run, so a
   * caller can show progress (a CLI status line, a log line) without polling on its own. Polls
   * that fail with an error the wait rides out (a 503, a brief connection failure) report it in
   * `error`. It runs synchronously inside the wait: keep it cheap. An exception thrown by it
   * rejects the wait with that exception.
   *
   * @default none
   * @example
   * ```ts
   * await op.result({ onProgress: (p) => console.log(`${p.state} after ${p.elapsedMs} ms (trigger ${p.triggerId})`) });
   * ```
   */
  onProgress?: (progress: WaitProgress) => void;
}

/**
 * One report of a wait's progress, passed to {@link WaitOptions.onProgress} after every poll.
 */
export interface WaitProgress {
  /** What is waited on, as error messages name it (`stop of job 0a1b…`, `job 0a1b… result`). */
  readonly target: string;
  /**
   * The state the last poll read: a job or application status (`RUNNING`), an operation's
   * `IN_PROGRESS` / `SUCCEEDED` / `FAILED`; `undefined` when the poll failed (see `error`) or read
   * something without a state.
   */
  readonly state: string | undefined;
  /** The value the last poll read (job details, an operation status, ...); `undefined` when it failed. */
  readonly value: unknown;
  /** Milliseconds since the wait started. */
  readonly elapsedMs: number;
  /** Polls made so far, this one included. */
  readonly polls: number;
  /** The error of the last poll when it failed with one the wait rides out; absent otherwise. */
  readonly error?: unknown;
  /**
   * For operations: the trigger id being polled. It changes when the SDK triggers the operation
   * again because the job's tasks were not all running yet (see `retriggers`).
   */
  readonly triggerId?: string;
  /** For operations: how many times the operation was triggered again so far. */
  readonly retriggers?: number;
}

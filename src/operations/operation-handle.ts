import type { RequestOptions, WaitOptions } from '../options/request-options.js';
import { isTransientError } from '../http/transient.js';
import type { AsyncOperation, OperationKind, OperationStatus } from './async-operation.js';
import { pollUntil } from './poll.js';

/** How one kind of operation is polled and how its completed payload is read. */
export interface OperationDriver<T> {
  readonly kind: OperationKind;
  readonly triggerId: string;
  readonly jobId: string | undefined;
  /** One read of the operation's status. */
  poll(options: RequestOptions): Promise<OperationStatus<T>>;
}

/** The {@link AsyncOperation} handle: a driver and the client's wait defaults, nothing else. */
export class OperationHandle<T> implements AsyncOperation<T> {
  readonly #driver: OperationDriver<T>;
  readonly #waitTimeoutMs: number;

  constructor(driver: OperationDriver<T>, waitTimeoutMs: number) {
    this.#driver = driver;
    this.#waitTimeoutMs = waitTimeoutMs;
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

  async result(options: WaitOptions = {}): Promise<T> {
    const status = await pollUntil(
      (signal) => this.#driver.poll({ ...options.request, signal }),
      (s) => s.state === 'SUCCEEDED' || s.state === 'FAILED',
      {
        intervalMs: options.pollIntervalMs ?? 100,
        maxIntervalMs: options.maxPollIntervalMs ?? 2_000,
        timeoutMs: options.timeoutMs ?? this.#waitTimeoutMs,
        signal: options.signal,
        target: `${this.kind} ${this.triggerId}${this.jobId ? ` of job ${this.jobId}` : ''}`,
        tolerate: isTransientError,
      },
    );
    if (status.state === 'FAILED') throw status.error;
    return (status as { state: 'SUCCEEDED'; result: T }).result;
  }
}

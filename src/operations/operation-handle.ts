import type { RequestOptions, WaitOptions } from '../options/request-options.js';
import type { AsyncOperation, OperationKind, OperationStatus } from './async-operation.js';
import { pollUntil } from './poll.js';
import { type WaitDefaults, waitSettings } from './wait-settings.js';

/** Operations are polled from 100 ms, growing to 2 s (Flink's Java client polls from 10 ms up to 2 s). */
const OPERATION_PACE = { intervalMs: 100, maxIntervalMs: 2_000 };

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
    const settings = waitSettings(options, this.#waits, OPERATION_PACE, `${this.kind} ${this.triggerId}${this.jobId ? ` of job ${this.jobId}` : ''}`);
    const status = await pollUntil((signal) => this.#driver.poll({ ...settings.request, signal }), (s) => s.state === 'SUCCEEDED' || s.state === 'FAILED', settings);
    if (status.state === 'FAILED') throw status.error;
    return (status as { state: 'SUCCEEDED'; result: T }).result;
  }
}

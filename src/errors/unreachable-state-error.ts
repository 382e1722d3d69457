import { FlinkError } from './flink-error.js';

/**
 * `waitFor()` gave up because the job or application reached a terminal state from which the
 * awaited state can no longer be reached (waiting for RUNNING on a job that FAILED, say).
 */
export class UnreachableStateError extends FlinkError {
  static override readonly kind: string = 'UnreachableStateError';
  /** `job` or `application`. */
  readonly resource: 'job' | 'application';
  /** The job or application id. */
  readonly id: string;
  /** The terminal state that was reached. */
  readonly state: string;
  /** A description of what was awaited. */
  readonly awaited: string;
  constructor(init: { resource: 'job' | 'application'; id: string; state: string; awaited: string; message?: string }) {
    super(init.message ?? `${init.resource} ${init.id} reached terminal state ${init.state} while waiting for ${init.awaited}`, 'FLINK_UNREACHABLE_STATE');
    this.resource = init.resource;
    this.id = init.id;
    this.state = init.state;
    this.awaited = init.awaited;
  }
}

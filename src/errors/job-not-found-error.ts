import type { FlinkApiErrorInit } from './flink-api-error.js';
import { FlinkNotFoundError } from './flink-not-found-error.js';

/**
 * The cluster does not know the job: it never existed there, or it finished long enough ago that
 * the JobManager's archive dropped it (`jobstore.expiration-time`).
 */
export class JobNotFoundError extends FlinkNotFoundError {
  static override readonly kind: string = 'JobNotFoundError';
  /** The job id that was looked up. */
  readonly jobId: string;
  constructor(init: FlinkApiErrorInit & { jobId: string }) {
    super({ ...init, message: init.message ?? `${init.method} ${init.path} → ${init.status}: job ${init.jobId} not found` }, 'FLINK_JOB_NOT_FOUND');
    this.jobId = init.jobId;
  }
}

import { FlinkApiError, type FlinkApiErrorInit } from './flink-api-error.js';

/**
 * Flink answered with a 5xx status. 502, 503 (leader election in progress) and 504 are retried
 * first and only surface once retries are used up; 500 is not retried, because Flink uses it for
 * failures that repeat.
 */
export class FlinkServerError extends FlinkApiError {
  static override readonly kind: string = 'FlinkServerError';
  constructor(init: FlinkApiErrorInit) {
    super(init, 'FLINK_SERVER_ERROR');
  }
}

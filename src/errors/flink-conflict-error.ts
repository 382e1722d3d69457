import { FlinkApiError, type FlinkApiErrorInit } from './flink-api-error.js';

/**
 * The request conflicts with the resource's state (HTTP 409): typically cancelling a job or an
 * application that already reached another terminal state. Not retried.
 */
export class FlinkConflictError extends FlinkApiError {
  static override readonly kind: string = 'FlinkConflictError';
  constructor(init: FlinkApiErrorInit) {
    super(init, 'FLINK_CONFLICT');
  }
}

import type { FlinkErrorCode } from './flink-error-code.js';
import { FlinkApiError, type FlinkApiErrorInit } from './flink-api-error.js';

/**
 * Flink rejected the request as malformed (HTTP 400): a bad parameter, a missing savepoint
 * directory, an unknown jar, a duplicate application id. Not retried.
 */
export class FlinkBadRequestError extends FlinkApiError {
  static override readonly kind: string = 'FlinkBadRequestError';
  constructor(init: FlinkApiErrorInit, code: FlinkErrorCode = 'FLINK_BAD_REQUEST') {
    super(init, code);
  }
}

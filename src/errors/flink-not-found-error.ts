import type { FlinkErrorCode } from './flink-error-code.js';
import { FlinkApiError, type FlinkApiErrorInit } from './flink-api-error.js';

/**
 * The resource does not exist (HTTP 404). The client throws a more specific subclass where it
 * knows what was looked up: {@link JobNotFoundError}, {@link ApplicationNotFoundError},
 * {@link OperationNotFoundError}, {@link JarNotFoundError}.
 */
export class FlinkNotFoundError extends FlinkApiError {
  static override readonly kind: string = 'FlinkNotFoundError';
  constructor(init: FlinkApiErrorInit, code: FlinkErrorCode = 'FLINK_NOT_FOUND') {
    super(init, code);
  }
}

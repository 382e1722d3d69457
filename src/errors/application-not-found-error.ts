import type { FlinkApiErrorInit } from './flink-api-error.js';
import { FlinkNotFoundError } from './flink-not-found-error.js';

/**
 * The cluster does not know the application. Flink 2.3 answers `GET /applications/:id` for an
 * unknown id with HTTP 500 rather than 404; the client recognises that answer and throws this
 * error all the same, so `status` may be 500.
 */
export class ApplicationNotFoundError extends FlinkNotFoundError {
  static override readonly kind: string = 'ApplicationNotFoundError';
  /** The application id that was looked up. */
  readonly applicationId: string;
  constructor(init: FlinkApiErrorInit & { applicationId: string }) {
    super(
      { ...init, message: init.message ?? `${init.method} ${init.path} → ${init.status}: application ${init.applicationId} not found` },
      'FLINK_APPLICATION_NOT_FOUND',
    );
    this.applicationId = init.applicationId;
  }
}

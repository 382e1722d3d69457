import { FlinkApiError, type FlinkApiErrorInit } from './flink-api-error.js';

/**
 * The request was refused for lack of valid credentials (HTTP 401 or 403). Flink itself has no
 * authentication; this comes from a proxy or ingress in front of it. Not retried.
 */
export class FlinkAuthenticationError extends FlinkApiError {
  static override readonly kind: string = 'FlinkAuthenticationError';
  constructor(init: FlinkApiErrorInit) {
    super(init, 'FLINK_AUTHENTICATION');
  }
}

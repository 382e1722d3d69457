import { FlinkError } from './flink-error.js';

/**
 * A response body exceeded `maxResponseBytes`. The body is discarded as soon as the limit is
 * reached, so an oversized answer cannot exhaust memory. Raise the limit in the client options if
 * such responses are expected (a plan of a very large job, for example).
 */
export class FlinkResponseTooLargeError extends FlinkError {
  static override readonly kind: string = 'FlinkResponseTooLargeError';
  /** `"<METHOD> <path>"` of the request. */
  readonly endpoint: string;
  /** The limit in bytes. */
  readonly limit: number;
  constructor(init: { endpoint: string; limit: number }) {
    super(`${init.endpoint}: response body exceeds maxResponseBytes (${init.limit} bytes)`, 'FLINK_RESPONSE_TOO_LARGE');
    this.endpoint = init.endpoint;
    this.limit = init.limit;
  }
}

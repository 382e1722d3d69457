import { FlinkError } from './flink-error.js';

/**
 * No HTTP response arrived: the connection was refused or reset, DNS failed, or TLS verification
 * failed. Retried for every request when the failure happened before the request was sent, and
 * for idempotent requests otherwise. `cause` holds the transport error.
 */
export class FlinkConnectionError extends FlinkError {
  static override readonly kind: string = 'FlinkConnectionError';
  /** HTTP method of the request. */
  readonly method: string;
  /** Request URL, redacted. */
  readonly url: string;
  /** Request path below the REST root. */
  readonly path: string;
  constructor(init: { method: string; url: string; path: string; cause: unknown; message?: string }) {
    const reason = describeCause(init.cause);
    super(init.message ?? `${init.method} ${init.path} → connection failed: ${reason}`, 'FLINK_CONNECTION_ERROR', { cause: init.cause });
    this.method = init.method;
    this.url = init.url;
    this.path = init.path;
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
  }
  return String(cause);
}

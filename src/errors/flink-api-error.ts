import { FlinkError } from './flink-error.js';

/** What the request pipeline knows about a failed HTTP exchange. */
export interface FlinkApiErrorInit {
  /** HTTP status code of the response. */
  status: number;
  /** HTTP method of the request. */
  method: string;
  /** The request URL with credentials and sensitive query values redacted. */
  url: string;
  /** The request path below the REST root, such as `/jobs/<id>/status`. */
  path: string;
  /** The `errors` array of Flink's error body; empty when the body had none. */
  errors: readonly string[];
  /** The parsed response body, or its text when it was not JSON (truncated to a few KiB). */
  body: unknown;
  /** Overrides the derived message. */
  message?: string;
  /** The underlying error. */
  cause?: unknown;
}

const SERVER_SIDE_PREFIX = /^<Exception on server side:\s*/;

/**
 * Picks the line of Flink's `errors` array that says what went wrong.
 *
 * Flink sends a handler exception as one string holding the whole stack trace, and an unexpected
 * failure as `["Internal server error.", "<Exception on server side: ...>"]`; the first line of
 * the most specific entry is what a human needs.
 */
export function summarizeFlinkErrors(errors: readonly string[]): string | undefined {
  const generic = errors.length > 1 && /^Internal server error\.?$/.test(errors[0]?.trim() ?? '');
  const chosen = generic ? errors[1] : errors[0];
  if (chosen === undefined) return undefined;
  const lines = chosen.replace(SERVER_SIDE_PREFIX, '').split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return lines[0];
}

/**
 * An HTTP response from Flink (or a proxy in front of it) with a non-success status.
 *
 * The message reads `"<METHOD> <path> → <status>: <first line of Flink's error>"`; the whole
 * `errors` array and the body stay on fields. Subclasses narrow by status: 400
 * {@link FlinkBadRequestError}, 401/403 {@link FlinkAuthenticationError}, 404
 * {@link FlinkNotFoundError}, 409 {@link FlinkConflictError}, 5xx {@link FlinkServerError}; other
 * statuses (408, 429, ...) use this class with code `FLINK_API_ERROR`.
 */
export class FlinkApiError extends FlinkError {
  static override readonly kind: string = 'FlinkApiError';
  /** HTTP status code. */
  readonly status: number;
  /** HTTP method. */
  readonly method: string;
  /** Request URL, redacted. */
  readonly url: string;
  /** Request path below the REST root. */
  readonly path: string;
  /** Flink's `errors` array (each entry may hold a server stack trace). */
  readonly errors: readonly string[];
  /** The response body: parsed JSON, or text when it was not JSON. */
  readonly body: unknown;

  constructor(init: FlinkApiErrorInit, code = 'FLINK_API_ERROR') {
    const summary = summarizeFlinkErrors(init.errors);
    super(init.message ?? `${init.method} ${init.path} → ${init.status}${summary ? `: ${summary}` : ''}`, code, { cause: init.cause });
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.path = init.path;
    this.errors = init.errors;
    this.body = init.body;
  }
}

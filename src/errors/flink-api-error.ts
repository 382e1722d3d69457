import { FlinkError } from './flink-error.js';
import type { FlinkErrorCode } from './flink-error-code.js';
import { exceptionChain, formatException, type JavaException } from './java-exception.js';

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
  /** The response body as text, scrubbed of secrets and cut to a few KiB. */
  body: string;
  /** Overrides the derived message. */
  message?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The entry of Flink's `errors` array that says what went wrong: Flink sends a handler exception
 * as one string holding the whole stack trace, and an unexpected failure as
 * `["Internal server error.", "<Exception on server side: ...>"]`.
 */
function mainEntry(errors: readonly string[]): string | undefined {
  const generic = errors.length > 1 && /^Internal server error\.?$/.test(errors[0]?.trim() ?? '');
  return generic ? errors[1] : errors[0];
}

/**
 * What a human needs from Flink's `errors`: the headline (the first line's message), and the root
 * cause when the trace has `Caused by:` lines that say more than the headline.
 */
export function summarizeFlinkErrors(errors: readonly string[]): { headline: string | undefined; rootCause: JavaException | undefined } {
  const chain = exceptionChain(mainEntry(errors));
  const first = chain[0];
  const root = chain.length > 1 ? chain[chain.length - 1] : undefined;
  const headline = first ? formatException(first) : undefined;
  return { headline, rootCause: root ?? first };
}

/** The message of an API error: `"<METHOD> <path> → <status>: <headline>; caused by <root cause>"`. */
function describe(init: FlinkApiErrorInit): string {
  const { headline, rootCause } = summarizeFlinkErrors(init.errors);
  let text = `${init.method} ${init.path} → ${init.status}`;
  if (headline) text += `: ${headline}`;
  if (rootCause && headline && !headline.endsWith(formatException(rootCause))) text += `; caused by ${formatException(rootCause)}`;
  return text;
}

/**
 * An HTTP response from Flink (or a proxy in front of it) with a non-success status.
 *
 * The message reads `"<METHOD> <path> → <status>: <Flink's error headline>; caused by <root
 * cause>"`: the deepest `Caused by:` of Flink's stack trace is what usually says what to fix
 * (`Cannot find checkpoint or savepoint file/directory 'file:///nope/sp'`), the headline only what
 * failed (`Could not execute application.`). The whole `errors` array, the body text and the root
 * cause stay on fields. Subclasses narrow by status: 400 {@link FlinkBadRequestError}, 401/403
 * {@link FlinkAuthenticationError}, 404 {@link FlinkNotFoundError}, 409 {@link FlinkConflictError},
 * 5xx {@link FlinkServerError}; other statuses (408, 429, ...) use this class with code
 * `FLINK_API_ERROR`.
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
  /** Flink's `errors` array (each entry may hold a server stack trace), scrubbed of secrets. */
  readonly errors: readonly string[];
  /** The response body as text, scrubbed of secrets and cut to a few KiB. */
  readonly body: string;
  /** The innermost exception Flink's error names (class and message), when it names one. */
  readonly rootCause: JavaException | undefined;

  constructor(init: FlinkApiErrorInit, code: FlinkErrorCode = 'FLINK_API_ERROR') {
    super(init.message ?? describe(init), code, { cause: init.cause });
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.path = init.path;
    this.errors = init.errors;
    this.body = init.body;
    this.rootCause = summarizeFlinkErrors(init.errors).rootCause;
  }
}

import { FlinkError } from './flink-error.js';

/** One problem found while validating a response body. */
export interface ValidationIssue {
  /** Where in the body, as a list of keys and indexes. */
  path: readonly (string | number)[];
  /** What was wrong. */
  message: string;
}

/**
 * A response body was not JSON or did not match the endpoint's schema. Carries the endpoint, the
 * issues and the body as text (scrubbed of secrets, cut to a few KiB); for a body that is not
 * JSON the message also gives the status, the content type and the body's first bytes. Raised instead of letting a
 * malformed body surface later as a `TypeError`. With `validation: 'lenient'` (the default) only
 * the fields the SDK relies on are checked; `'strict'` also rejects unknown fields and values.
 */
export class FlinkValidationError extends FlinkError {
  static override readonly kind: string = 'FlinkValidationError';
  /** `"<METHOD> <path>"` of the request whose response failed validation. */
  readonly endpoint: string;
  /** The problems found (at most 20). */
  readonly issues: readonly ValidationIssue[];
  /** The body as received, as text: scrubbed of secrets and cut to a few KiB. */
  readonly body: string;
  /** Whether the body was not JSON at all (a proxy's error page, a cut connection), rather than JSON of the wrong shape. */
  readonly notJson: boolean;
  constructor(init: { endpoint: string; issues: readonly ValidationIssue[]; body: string; notJson?: boolean; message?: string; cause?: unknown }) {
    const first = init.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    const more = init.issues.length > 1 ? ` (+${init.issues.length - 1} more)` : '';
    super(init.message ?? `${init.endpoint}: unexpected response${first ? `${where}: ${first.message}${more}` : ''}`, 'FLINK_VALIDATION_ERROR', {
      cause: init.cause,
    });
    this.endpoint = init.endpoint;
    this.issues = init.issues;
    this.body = init.body;
    this.notJson = init.notJson ?? false;
  }
}

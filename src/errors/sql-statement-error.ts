import { FlinkError } from './flink-error.js';
import { exceptionChain, formatException, type JavaException } from './java-exception.js';

/** What a {@link SqlStatementError} is built from. */
export interface SqlStatementErrorInit {
  /** The statement's text (cut to 200 characters in the message). */
  statement: string;
  /** The session handle. */
  sessionHandle: string;
  /** The operation handle. */
  operationHandle: string;
  /** Flink's `errors` lines of the failed fetch or status call. */
  errors: readonly string[];
  /** The API error the gateway answered with. */
  cause?: unknown;
}

/**
 * A SQL statement failed on the gateway: it did not parse, named an unknown table or function, or
 * its job failed. The gateway reports this as an HTTP 500 on the result fetch; this error puts the
 * SQL error line first: the root cause of Flink's exception chain (such as
 * `SqlValidatorException: Object 'nosuch' not found`) and, when Flink gave one, the position
 * (`From line 1, column 15 to line 1, column 20`).
 */
export class SqlStatementError extends FlinkError {
  static override readonly kind: string = 'SqlStatementError';
  /** The statement that failed. */
  readonly statement: string;
  /** The session it ran in. */
  readonly sessionHandle: string;
  /** The operation handle of the statement. */
  readonly operationHandle: string;
  /** The innermost exception of Flink's chain: class and message. */
  readonly rootCause: JavaException | undefined;
  /** Where in the statement the error is, as Flink said it (`line 1, column 15`), if it did. */
  readonly position: string | undefined;
  /** Flink's whole `errors` lines (stack traces), for logs. */
  readonly errors: readonly string[];

  constructor(init: SqlStatementErrorInit) {
    const trace = init.errors.find((e) => /Exception|Error/.test(e) && !/^Internal server error\.?$/.test(e.trim())) ?? init.errors[0];
    const chain = exceptionChain(trace);
    // The gateway wraps the SQL error in SqlGatewayException / "Failed to fetchResults": the
    // deepest cause is what the user must fix; the position sits on a line of the chain.
    const root = chain[chain.length - 1];
    const positioned = chain.find((e) => /line \d+, column \d+/.test(e.message));
    const position = positioned ? /(?:From |at )?line \d+, column \d+(?: to line \d+, column \d+)?/.exec(positioned.message)?.[0] : undefined;
    const text = init.statement.replace(/\s+/g, ' ').trim();
    const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    let message = `SQL statement failed: ${root ? formatException(root) : 'the gateway gave no reason'}`;
    if (position && !message.includes(position)) message += ` (${position})`;
    message += `; statement: ${shown}`;
    super(message, 'FLINK_SQL_STATEMENT_FAILED', { cause: init.cause });
    this.statement = init.statement;
    this.sessionHandle = init.sessionHandle;
    this.operationHandle = init.operationHandle;
    this.rootCause = root;
    this.position = position;
    this.errors = init.errors;
  }
}

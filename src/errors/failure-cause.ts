import { formatException, type JavaException } from './java-exception.js';

/** The `rootCause` and `stackTrace` fields every error about a failure on the cluster shares. */
export interface FailureCause {
  /** The innermost exception Flink reported (its deepest `Caused by:`): class and message. */
  rootCause?: JavaException;
  /** The whole server-side stack trace text. */
  stackTrace?: string;
}

/** `: <class>: <message>` for a message that names a root cause, else nothing. */
export function causeSuffix(rootCause: JavaException | undefined): string {
  return rootCause ? `: ${formatException(rootCause)}` : '';
}

import { rootCauseOf, type JavaException } from '../errors/java-exception.js';

/** The readable parts of a serialized Java throwable as Flink sends it. */
export interface ThrowableSummary {
  /** The innermost cause (its deepest `Caused by:`), class and message. */
  rootCause: JavaException | undefined;
  /** The whole stack trace text. */
  stackTrace: string | undefined;
}

/**
 * Summarises `{"class", "stack-trace", "serialized-throwable"}` (or a bare stack trace text)
 * without touching the Java-serialized bytes, which are never decoded.
 */
export function summarizeThrowable(throwable: { class?: unknown; 'stack-trace'?: unknown } | string | undefined | null): ThrowableSummary {
  if (throwable === undefined || throwable === null) return { rootCause: undefined, stackTrace: undefined };
  const stackTrace = typeof throwable === 'string' ? throwable : typeof throwable['stack-trace'] === 'string' ? throwable['stack-trace'] : undefined;
  const className = typeof throwable === 'object' && typeof throwable.class === 'string' ? throwable.class : undefined;
  return { rootCause: rootCauseOf(stackTrace) ?? (className ? { className, message: '' } : undefined), stackTrace };
}

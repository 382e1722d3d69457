/** The readable parts of a serialized Java throwable as Flink sends it. */
export interface ThrowableSummary {
  /** The exception class, e.g. `java.lang.IllegalStateException`. */
  exceptionClass: string | undefined;
  /** The innermost cause's first line (`Caused by: ...` stripped), else the first line. */
  rootCause: string | undefined;
  /** The whole stack trace text. */
  stackTrace: string | undefined;
}

/**
 * Summarises `{"class", "stack-trace", "serialized-throwable"}` without touching the
 * Java-serialized bytes, which are never decoded.
 */
export function summarizeThrowable(throwable: { class?: unknown; 'stack-trace'?: unknown } | string | undefined | null): ThrowableSummary {
  if (throwable === undefined || throwable === null) return { exceptionClass: undefined, rootCause: undefined, stackTrace: undefined };
  const stackTrace = typeof throwable === 'string' ? throwable : typeof throwable['stack-trace'] === 'string' ? throwable['stack-trace'] : undefined;
  const exceptionClass = typeof throwable === 'object' && typeof throwable.class === 'string' ? throwable.class : undefined;
  return { exceptionClass, rootCause: rootCauseLine(stackTrace) ?? exceptionClass, stackTrace };
}

/** The line naming the innermost cause of a Java stack trace text. */
export function rootCauseLine(stackTrace: string | undefined): string | undefined {
  if (!stackTrace) return undefined;
  const lines = stackTrace.split('\n');
  let chosen: string | undefined;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith('Caused by: ')) chosen = trimmed.slice('Caused by: '.length);
  }
  return chosen ?? lines.find((l) => l.trim().length > 0)?.trim();
}

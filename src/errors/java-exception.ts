/**
 * One exception of a Java stack trace as Flink reports it: its class and its message (the first
 * line of it). Parsed from text; Flink's Java-serialized exception bytes are never decoded.
 */
export interface JavaException {
  /** The exception class, such as `java.io.FileNotFoundException`; undefined when the line names none. */
  readonly className: string | undefined;
  /** The first line of the exception's message (empty when it has none). */
  readonly message: string;
}

const CLASS_LINE = /^((?:[a-zA-Z_$][\w$]*\.)+[A-Za-z_$][\w$]*)(?::\s?(.*))?$/;
const SERVER_SIDE = /^<Exception on server side:\s*/;
const SERVER_SIDE_START = /^\s*<Exception on server side:\s*/;

/** Splits `org.example.Boom: it broke` into class and message; a line naming no class is all message. */
export function parseExceptionLine(line: string): JavaException {
  const trimmed = line.trim().replace(SERVER_SIDE, '');
  const m = CLASS_LINE.exec(trimmed);
  return m ? { className: m[1], message: (m[2] ?? '').trim() } : { className: undefined, message: trimmed };
}

/**
 * The exceptions of a Java stack trace text, outermost first: its first line, then every
 * `Caused by:` line. Frames, `Suppressed:` blocks and `... N more` lines are skipped.
 */
export function exceptionChain(trace: string | undefined): JavaException[] {
  if (!trace) return [];
  trace = trace.replace(SERVER_SIDE_START, '');
  const chain: JavaException[] = [];
  let first = true;
  for (const raw of trace.split('\n')) {
    const line = raw.trim();
    if (line.length === 0 || line === 'End of exception on server side>') continue;
    if (first) {
      chain.push(parseExceptionLine(line));
      first = false;
    } else if (line.startsWith('Caused by: ')) {
      chain.push(parseExceptionLine(line.slice('Caused by: '.length)));
    }
  }
  return chain;
}

/** The innermost exception of a Java stack trace text (its deepest `Caused by:`), or its only one. */
export function rootCauseOf(trace: string | undefined): JavaException | undefined {
  const chain = exceptionChain(trace);
  return chain[chain.length - 1];
}

/** `class: message`, or whichever of the two there is. */
export function formatException(e: JavaException): string {
  return e.className ? (e.message ? `${e.className}: ${e.message}` : e.className) : e.message;
}

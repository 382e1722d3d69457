import { BYTE_ARRAY, type JavaClass, type JavaObject, type JavaValue, javaArray, javaObject, SC_SERIALIZABLE, SC_WRITE_METHOD, serializeJava } from './java-serialization.js';

/**
 * Flink's `org.apache.flink.util.SerializedThrowable` as Java serialization bytes, the
 * `serialized-throwable` of a `failure-cause`: what Flink's Java clients (`bin/flink`,
 * `RestClusterClient`) read with `ObjectInputStream` to show a job's or operation's failure.
 *
 * As real Flink builds it (flink-core's `SerializedThrowable`, the same in 1.20 and 2.x): the
 * message is `"<class>: <message>"` (its `toString()` therefore repeats the class name), it
 * mirrors the original's stack trace and cause chain (each cause a `SerializedThrowable` too),
 * keeps the `printStackTrace` text, and carries the original exception's own serialized bytes.
 * The simulator can write those bytes only for exception classes whose serial form it knows
 * (JDK and Flink classes without fields of their own, below); for any other class they are null
 * and `deserializeError()` returns the `SerializedThrowable` itself, as Flink does when the
 * original cannot be deserialized. serialVersionUIDs as `serialver` reports them on JDK 17 for
 * Flink 2.3.0 and 1.20.5 (identical).
 * @internal
 */

/** One link of an exception chain with everything its serial form needs. @internal */
export interface ThrowableData {
  readonly className: string;
  /** The message; undefined for a null message. */
  readonly message: string | undefined;
  /** Stack frames as `StackTraceElement.toString()` prints them (`java.base/java.lang.Thread.run(Thread.java:840)`). */
  readonly frames: readonly string[];
  /** The `printStackTrace()` text of this link and its causes. */
  readonly stackTrace: string;
  readonly cause?: ThrowableData;
}

const serializable = (name: string, serialVersionUID: bigint, superClass?: JavaClass): JavaClass => ({ name, serialVersionUID, flags: SC_SERIALIZABLE, fields: [], superClass });

const THROWABLE: JavaClass = {
  name: 'java.lang.Throwable',
  serialVersionUID: -3042686055658047285n,
  // Throwable.writeObject fills in the stack trace, then writes the default fields.
  flags: SC_SERIALIZABLE | SC_WRITE_METHOD,
  fields: [
    { name: 'cause', type: 'Ljava/lang/Throwable;' },
    { name: 'detailMessage', type: 'Ljava/lang/String;' },
    { name: 'stackTrace', type: '[Ljava/lang/StackTraceElement;' },
    { name: 'suppressedExceptions', type: 'Ljava/util/List;' },
  ],
};
const EXCEPTION = serializable('java.lang.Exception', -3387516993124229948n, THROWABLE);
const RUNTIME = serializable('java.lang.RuntimeException', -7034897190745766939n, EXCEPTION);
const ILLEGAL_ARGUMENT = serializable('java.lang.IllegalArgumentException', -5365630128856068164n, RUNTIME);
const IO = serializable('java.io.IOException', 7818375828146090155n, EXCEPTION);
const FLINK = serializable('org.apache.flink.util.FlinkException', 450688772469004724n, EXCEPTION);
const JOB = serializable('org.apache.flink.runtime.JobException', 1275864691743020176n, FLINK);

const SERIALIZED_THROWABLE: JavaClass = {
  name: 'org.apache.flink.util.SerializedThrowable',
  serialVersionUID: 7284183123441947635n,
  flags: SC_SERIALIZABLE,
  fields: [
    { name: 'serializedException', type: '[B' },
    { name: 'originalErrorClassName', type: 'Ljava/lang/String;' },
    { name: 'fullStringifiedStackTrace', type: 'Ljava/lang/String;' },
  ],
  superClass: EXCEPTION,
};

const STACK_TRACE_ELEMENT: JavaClass = {
  name: 'java.lang.StackTraceElement',
  serialVersionUID: 6992337162326171013n,
  flags: SC_SERIALIZABLE,
  fields: [
    { name: 'classLoaderName', type: 'Ljava/lang/String;' },
    { name: 'moduleName', type: 'Ljava/lang/String;' },
    { name: 'moduleVersion', type: 'Ljava/lang/String;' },
    { name: 'declaringClass', type: 'Ljava/lang/String;' },
    { name: 'methodName', type: 'Ljava/lang/String;' },
    { name: 'fileName', type: 'Ljava/lang/String;' },
    { name: 'lineNumber', type: 'I' },
    { name: 'format', type: 'B' },
  ],
};
const STACK_TRACE_ARRAY = serializable('[Ljava.lang.StackTraceElement;', 0x02462a3c3cfd2239n);

// Throwable.suppressedExceptions is Collections.emptyList() until one is added; Throwable's
// readObject accepts only a java.base List there.
const EMPTY_LIST = javaObject(serializable('java.util.Collections$EmptyList', 8842843931221139166n), {});

/** Exception classes whose serial form is the Throwable fields alone (no fields of their own). */
const KNOWN: ReadonlyMap<string, JavaClass> = new Map(
  [
    EXCEPTION,
    RUNTIME,
    ILLEGAL_ARGUMENT,
    IO,
    FLINK,
    JOB,
    serializable('java.lang.IllegalStateException', -1848914673093119416n, RUNTIME),
    serializable('java.lang.UnsupportedOperationException', -1242599979055084673n, RUNTIME),
    serializable('java.lang.NumberFormatException', -2848938806368998894n, ILLEGAL_ARGUMENT),
    serializable('java.lang.NullPointerException', 5162710183389028792n, RUNTIME),
    serializable('java.lang.ArithmeticException', 2256477558314496007n, RUNTIME),
    serializable('java.io.FileNotFoundException', -897856973823710492n, IO),
    serializable('java.util.concurrent.CompletionException', 7830266012832686185n, RUNTIME),
    serializable('java.util.concurrent.ExecutionException', 7830266012832686185n, EXCEPTION),
    serializable('java.util.concurrent.TimeoutException', 1900926677490660714n, EXCEPTION),
    serializable('org.apache.flink.util.FlinkRuntimeException', 193141189399279147n, RUNTIME),
    serializable('org.apache.flink.client.program.ProgramInvocationException', -2417524218857151612n, EXCEPTION),
    serializable('org.apache.flink.runtime.messages.FlinkJobNotFoundException', 2294698055059659025n, FLINK),
    serializable('org.apache.flink.runtime.jobmaster.JobNotFinishedException', 611413276562570622n, JOB),
  ].map((c) => [c.name, c]),
);

/**
 * A frame as `StackTraceElement.toString()` prints it, parsed back: `[loader/][module[@version]/]class.method(source)`
 * with `source` a `File.java:line`, a `File.java`, `Unknown Source` or `Native Method`.
 */
function stackTraceElement(frame: string): JavaObject {
  const m = /^(.*)\((.*)\)$/.exec(frame);
  const location = m?.[1] ?? frame;
  const source = m?.[2] ?? 'Unknown Source';
  const parts = location.split('/');
  const qualified = parts.pop() ?? '';
  const loader = parts.length === 2 ? parts.shift() || null : null;
  const [module = null, version = null] = parts.length === 1 ? (parts[0] as string).split('@') : [];
  const dot = qualified.lastIndexOf('.');
  let fileName: string | null = null;
  let lineNumber = -1;
  if (source === 'Native Method') lineNumber = -2;
  else if (source !== 'Unknown Source') {
    const colon = source.lastIndexOf(':');
    const line = colon >= 0 ? source.slice(colon + 1) : '';
    fileName = /^\d+$/.test(line) ? source.slice(0, colon) : source;
    if (/^\d+$/.test(line)) lineNumber = Number(line);
  }
  return javaObject(STACK_TRACE_ELEMENT, {
    classLoaderName: loader,
    moduleName: module || null,
    moduleVersion: version,
    declaringClass: dot >= 0 ? qualified.slice(0, dot) : qualified,
    methodName: dot >= 0 ? qualified.slice(dot + 1) : '',
    fileName,
    lineNumber,
    // 0: print the class loader and module version as given (they are only set when the frame showed them).
    format: 0,
  });
}

function throwableFields(t: ThrowableData, detailMessage: string | null, cause: JavaValue): Record<string, JavaValue> {
  return { cause, detailMessage, stackTrace: javaArray(STACK_TRACE_ARRAY, t.frames.map(stackTraceElement)), suppressedExceptions: EMPTY_LIST };
}

/** The original exception, or (for a class the simulator cannot write) its SerializedThrowable stand-in. */
function original(t: ThrowableData): JavaObject {
  const known = KNOWN.get(t.className);
  if (!known) return serializedThrowableObject(t);
  return javaObject(known, throwableFields(t, t.message ?? null, t.cause ? original(t.cause) : null));
}

function serializedThrowableObject(t: ThrowableData): JavaObject {
  const ownBytes = KNOWN.has(t.className) ? javaArray(BYTE_ARRAY, serializeJava(original(t))) : null;
  return javaObject(SERIALIZED_THROWABLE, {
    ...throwableFields(t, t.message === undefined ? t.className : `${t.className}: ${t.message}`, t.cause ? serializedThrowableObject(t.cause) : null),
    serializedException: ownBytes,
    originalErrorClassName: t.className,
    fullStringifiedStackTrace: t.stackTrace,
  });
}

/**
 * The Java serialization of a `SerializedThrowable` mirroring `t`, as Flink puts it (base64) in
 * `failure-cause.serialized-throwable`.
 * @internal
 */
export function serializedThrowableBytes(t: ThrowableData): Buffer {
  return serializeJava(serializedThrowableObject(t));
}

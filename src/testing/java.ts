import { type JavaClass, type JavaValue, javaObject, SC_SERIALIZABLE, SC_WRITE_METHOD, serializeJava } from './java-serialization.js';
import { serializedThrowableBytes, type ThrowableData } from './serialized-throwable.js';

/**
 * Java look-alikes: exception chains rendered like `Throwable.printStackTrace()`, Flink's REST
 * error bodies, `SerializedThrowable` JSON and Java-serialized accumulator values. Clients must
 * treat all of these as opaque text, exactly as with a real cluster.
 */

/**
 * An exception a simulated program or job throws: a Java class name and a message.
 *
 * A plain string stands for the message of the default class of the place it is used
 * (`java.lang.IllegalStateException` for job failures, `java.lang.IllegalArgumentException` for
 * `main()`).
 */
export interface SimulatedException {
  /** Fully qualified Java class name, such as `java.lang.IllegalStateException`. */
  className: string;
  /** The exception message. */
  message: string;
}

/** An exception with its cause chain, as the simulator renders it. @internal */
export interface JavaThrowable {
  className: string;
  message?: string;
  /** Stack frames without the leading `at `; a generic set is used when omitted. */
  frames?: readonly string[];
  cause?: JavaThrowable;
}

/** Normalises a user-given exception. @internal */
export function toSimulatedException(value: string | SimulatedException | Error | undefined, defaultClass: string, defaultMessage: string): SimulatedException {
  if (value === undefined) return { className: defaultClass, message: defaultMessage };
  if (typeof value === 'string') return { className: defaultClass, message: value };
  if (value instanceof Error) return { className: defaultClass, message: value.message };
  return { className: value.className || defaultClass, message: value.message ?? '' };
}

/** Builds a chain from outermost to innermost. @internal */
export function chain(...links: JavaThrowable[]): JavaThrowable {
  const [first, ...rest] = links;
  if (!first) throw new Error('empty exception chain');
  return rest.length === 0 ? { ...first } : { ...first, cause: chain(...rest) };
}

const FRAMES: Record<string, readonly string[]> = {
  'org.apache.flink.runtime.rest.handler.RestHandlerException': [
    'org.apache.flink.runtime.rest.handler.AbstractRestHandler.respondToRequest(AbstractRestHandler.java:83)',
    'org.apache.flink.runtime.rest.handler.AbstractHandler.respondAsLeader(AbstractHandler.java:196)',
    'org.apache.flink.runtime.rest.handler.LeaderRetrievalHandler.lambda$channelRead0$0(LeaderRetrievalHandler.java:87)',
    'java.base/java.util.Optional.ifPresent(Optional.java:178)',
    'org.apache.flink.util.OptionalConsumer.ifPresent(OptionalConsumer.java:45)',
    'org.apache.flink.runtime.rest.handler.LeaderRetrievalHandler.channelRead0(LeaderRetrievalHandler.java:84)',
    'org.apache.flink.shaded.netty4.io.netty.channel.SimpleChannelInboundHandler.channelRead(SimpleChannelInboundHandler.java:99)',
    'java.base/java.lang.Thread.run(Thread.java:840)',
  ],
  'org.apache.flink.runtime.rest.NotFoundException': [
    'org.apache.flink.runtime.rest.handler.job.AbstractExecutionGraphHandler.lambda$handleRequest$1(AbstractExecutionGraphHandler.java:99)',
    'java.base/java.util.concurrent.CompletableFuture.uniExceptionally(CompletableFuture.java:990)',
    'java.base/java.util.concurrent.CompletableFuture$UniExceptionally.tryFire(CompletableFuture.java:974)',
    'java.base/java.util.concurrent.CompletableFuture.postComplete(CompletableFuture.java:510)',
    'java.base/java.lang.Thread.run(Thread.java:840)',
  ],
  'org.apache.flink.runtime.messages.FlinkJobNotFoundException': [
    'org.apache.flink.runtime.dispatcher.Dispatcher.getJobMasterGateway(Dispatcher.java:1634)',
    'org.apache.flink.runtime.dispatcher.Dispatcher.performOperationOnJobMasterGateway(Dispatcher.java:1646)',
    'org.apache.flink.runtime.dispatcher.Dispatcher.requestJob(Dispatcher.java:1021)',
    'java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
    'org.apache.flink.runtime.rpc.pekko.PekkoRpcActor.handleRpcInvocation(PekkoRpcActor.java:316)',
    'java.base/java.util.concurrent.ForkJoinWorkerThread.run(ForkJoinWorkerThread.java:165)',
  ],
  'org.apache.flink.runtime.messages.FlinkApplicationNotFoundException': [
    'org.apache.flink.runtime.dispatcher.Dispatcher.lambda$requestApplication$31(Dispatcher.java:1138)',
    'java.base/java.util.Optional.orElseThrow(Optional.java:403)',
    'org.apache.flink.runtime.dispatcher.Dispatcher.requestApplication(Dispatcher.java:1136)',
    'org.apache.flink.runtime.rpc.pekko.PekkoRpcActor.handleRpcInvocation(PekkoRpcActor.java:316)',
    'java.base/java.util.concurrent.ForkJoinWorkerThread.run(ForkJoinWorkerThread.java:165)',
  ],
  'org.apache.flink.runtime.JobException': [
    'org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:213)',
    'org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailureAndReport(ExecutionFailureHandler.java:163)',
    'org.apache.flink.runtime.scheduler.DefaultScheduler.recordTaskFailure(DefaultScheduler.java:300)',
    'org.apache.flink.runtime.scheduler.SchedulerBase.updateTaskExecutionState(SchedulerBase.java:813)',
    'org.apache.flink.runtime.jobmaster.JobMaster.updateTaskExecutionState(JobMaster.java:543)',
    'org.apache.flink.runtime.rpc.pekko.PekkoRpcActor.handleRpcInvocation(PekkoRpcActor.java:316)',
    'java.base/java.util.concurrent.ForkJoinWorkerThread.run(ForkJoinWorkerThread.java:165)',
  ],
  'java.util.concurrent.CompletionException': [
    'java.base/java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:315)',
    'java.base/java.util.concurrent.CompletableFuture.completeThrowable(CompletableFuture.java:320)',
    'java.base/java.util.concurrent.CompletableFuture$AsyncSupply.run(CompletableFuture.java:1770)',
    'java.base/java.lang.Thread.run(Thread.java:840)',
  ],
  'org.apache.flink.client.program.ProgramInvocationException': [
    'org.apache.flink.client.program.PackagedProgram.callMainMethod(PackagedProgram.java:376)',
    'org.apache.flink.client.program.PackagedProgram.invokeInteractiveModeForExecution(PackagedProgram.java:239)',
    'org.apache.flink.client.ClientUtils.executeProgram(ClientUtils.java:138)',
  ],
  'org.apache.flink.client.deployment.application.ApplicationExecutionException': [
    'org.apache.flink.client.deployment.application.PackagedProgramApplication.runApplicationEntryPoint(PackagedProgramApplication.java:732)',
    'org.apache.flink.client.deployment.application.PackagedProgramApplication.lambda$execute$0(PackagedProgramApplication.java:232)',
    'java.base/java.util.concurrent.Executors$RunnableAdapter.call(Executors.java:539)',
    'java.base/java.util.concurrent.ForkJoinWorkerThread.run(ForkJoinWorkerThread.java:165)',
  ],
  'org.apache.flink.runtime.client.JobExecutionException': [
    'org.apache.flink.runtime.jobmaster.JobResult.toJobExecutionResult(JobResult.java:180)',
    'org.apache.flink.client.deployment.application.UnsuccessfulExecutionException.fromJobResult(UnsuccessfulExecutionException.java:64)',
    'org.apache.flink.client.deployment.application.PackagedProgramApplication.lambda$unwrapJobResultException$22(PackagedProgramApplication.java:804)',
    'java.base/java.util.concurrent.ForkJoinWorkerThread.run(ForkJoinWorkerThread.java:165)',
  ],
  'org.apache.flink.runtime.checkpoint.CheckpointException': [
    'org.apache.flink.runtime.checkpoint.CheckpointCoordinator.lambda$startTriggeringCheckpoint$8(CheckpointCoordinator.java:700)',
    'java.base/java.util.concurrent.CompletableFuture.uniHandle(CompletableFuture.java:934)',
    'org.apache.flink.runtime.rpc.pekko.PekkoRpcActor.handleRunAsync(PekkoRpcActor.java:460)',
    'java.base/java.util.concurrent.ForkJoinWorkerThread.run(ForkJoinWorkerThread.java:165)',
  ],
  'org.apache.flink.util.FlinkException': [
    'org.apache.flink.runtime.dispatcher.Dispatcher.lambda$disposeSavepoint$29(Dispatcher.java:1523)',
    'java.base/java.util.concurrent.CompletableFuture$AsyncSupply.run(CompletableFuture.java:1768)',
    'java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)',
    'java.base/java.lang.Thread.run(Thread.java:840)',
  ],
};

const USER_FRAMES = (className: string): readonly string[] => [
  `${userClassOf(className)}.run(Unknown Source)`,
  'org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:37)',
  'org.apache.flink.streaming.runtime.tasks.OneInputStreamTask$StreamTaskNetworkOutput.emitRecord(OneInputStreamTask.java:238)',
  'org.apache.flink.streaming.runtime.tasks.StreamTask.processInput(StreamTask.java:656)',
  'org.apache.flink.streaming.runtime.tasks.mailbox.MailboxProcessor.runMailboxLoop(MailboxProcessor.java:231)',
  'org.apache.flink.runtime.taskmanager.Task.doRun(Task.java:774)',
  'org.apache.flink.runtime.taskmanager.Task.run(Task.java:579)',
  'java.base/java.lang.Thread.run(Thread.java:840)',
];

function userClassOf(className: string): string {
  return className.startsWith('java.') ? 'flinkclient.simulated.UserFunction' : className.replace(/Exception$/, 'Function');
}

const GENERIC_FRAMES: readonly string[] = [
  'org.apache.flink.runtime.concurrent.ClassLoadingUtils.runWithContextClassLoader(ClassLoadingUtils.java:83)',
  'org.apache.flink.runtime.rpc.pekko.PekkoRpcActor.handleRpcInvocation(PekkoRpcActor.java:316)',
  'java.base/java.util.concurrent.ForkJoinWorkerThread.run(ForkJoinWorkerThread.java:165)',
];

function framesFor(t: JavaThrowable): readonly string[] {
  if (t.frames) return t.frames;
  const known = FRAMES[t.className];
  if (known) return known;
  if (t.className.startsWith('org.apache.flink.') || t.className.startsWith('java.util.concurrent.')) return GENERIC_FRAMES;
  return USER_FRAMES(t.className);
}

/** The header line of a throwable: `class: message` (or just the class for a null message). */
function headline(t: JavaThrowable): string {
  return t.message === undefined ? t.className : `${t.className}: ${t.message}`;
}

/**
 * Renders a throwable the way Java's `printStackTrace` does: the header line, `\tat` frames,
 * and `Caused by:` sections whose shared frames are folded into `\t... n more`.
 * @internal
 */
export function renderThrowable(t: JavaThrowable): string {
  let out = `${headline(t)}\n`;
  const outerFrames = framesFor(t);
  for (const f of outerFrames) out += `\tat ${f}\n`;
  let enclosing = outerFrames.length;
  for (let c = t.cause; c; c = c.cause) {
    const frames = framesFor(c).slice(0, 3);
    out += `Caused by: ${headline(c)}\n`;
    for (const f of frames) out += `\tat ${f}\n`;
    out += `\t... ${enclosing} more\n`;
    enclosing = frames.length + 2;
  }
  return out;
}

/** The first line of a rendered throwable. @internal */
export function firstLine(t: JavaThrowable): string {
  return headline(t);
}

/** An error body as Flink's REST handlers send it. @internal */
export interface FlinkErrorBody {
  errors: string[];
}

/** An error answer produced by the model (a status and Flink's error body). @internal */
export interface SimFailure {
  ok: false;
  status: number;
  body: FlinkErrorBody;
}

/**
 * The body of a `RestHandlerException` (and the other "expected" handler errors): one string, the
 * whole stack trace, starting with `org.apache.flink.runtime.rest.handler.RestHandlerException:`.
 * @internal
 */
export function restHandlerError(message: string, ...causes: JavaThrowable[]): FlinkErrorBody {
  const top: JavaThrowable = { className: 'org.apache.flink.runtime.rest.handler.RestHandlerException', message };
  return { errors: [renderThrowable(causes.length ? chain(top, ...causes) : top)] };
}

/** An error body whose single string is the given throwable. @internal */
export function throwableError(t: JavaThrowable): FlinkErrorBody {
  return { errors: [renderThrowable(t)] };
}

/**
 * The body of an unexpected handler failure (HTTP 500): `["Internal server error.",
 * "<Exception on server side:\n<stack trace>\nEnd of exception on server side>"]`.
 * @internal
 */
export function internalServerError(t: JavaThrowable): FlinkErrorBody {
  return { errors: ['Internal server error.', `<Exception on server side:\n${renderThrowable(t)}\nEnd of exception on server side>`] };
}

/** The 503 body Flink sends while no JobManager leads. @internal */
export const LEADER_ELECTION_BODY: FlinkErrorBody = {
  errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'],
};

/** `Bad request, could not parse parameters` for a malformed path parameter. @internal */
export function badPathParameter(name: string, value: string): FlinkErrorBody {
  const detail = `Cannot resolve path parameter (${name}) from value "${value}".`;
  return restHandlerError(`Bad request, could not parse parameters: ${detail}`, {
    className: 'org.apache.flink.runtime.rest.handler.HandlerRequestException',
    message: detail,
    frames: ['org.apache.flink.runtime.rest.handler.HandlerRequest.resolveParametersAndCreate(HandlerRequest.java:179)'],
  });
}

/** `Request did not match expected format <Body>.` for a request body that does not parse. @internal */
export function badRequestBody(bodyClass: string, cause: JavaThrowable): FlinkErrorBody {
  return restHandlerError(`Request did not match expected format ${bodyClass}.`, cause);
}

const JACKSON = 'org.apache.flink.shaded.jackson2.com.fasterxml.jackson';

/** The Jackson error for text that is not JSON. @internal */
export function jsonParseCause(text: string): JavaThrowable {
  let position = 0;
  try {
    JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
    position = m ? Number(m[1]) : 0;
  }
  const ch = text[position] ?? ' ';
  // Inside an object Jackson wants a field name; elsewhere any JSON value.
  const before = text.slice(0, position).trimEnd();
  const expecting = before.endsWith('{') || before.endsWith(',') ? 'was expecting double-quote to start field name' : "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
  return {
    className: `${JACKSON}.core.JsonParseException`,
    message: `Unexpected character ('${ch}' (code ${ch.charCodeAt(0)})): ${expecting}\n at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: 1, column: ${position + 1}]`,
  };
}

/** The Jackson error for an enum field with an unknown value. @internal */
export function enumCause(enumClass: string, value: string, accepted: readonly string[], bodyClass: string, field: string): JavaThrowable {
  return {
    className: `${JACKSON}.databind.exc.InvalidFormatException`,
    message: `Cannot deserialize value of type \`${enumClass}\` from String "${value}": not one of the values accepted for Enum class: [${accepted.join(', ')}]\n at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: 1, column: 2] (through reference chain: ${bodyClass}["${field}"])`,
  };
}

/** The Jackson error for a field of the wrong JSON type. @internal */
export function typeMismatchCause(javaType: string, bodyClass: string, field: string): JavaThrowable {
  return {
    className: `${JACKSON}.databind.exc.MismatchedInputException`,
    message: `Cannot deserialize value of type \`${javaType}\` from a different JSON token\n at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: 1, column: 2] (through reference chain: ${bodyClass}["${field}"])`,
  };
}

/** The Jackson error chain for a malformed 32-hex id in a request body. @internal */
export function badIdCause(idClass: string, value: string, bodyClass: string, field: string): JavaThrowable {
  const msg = `Cannot parse ${idClass} from "${value}". The expected format is [0-9a-fA-F]{32}, e.g. fd72014d4c864993a2e5a9287b4a9c5d.`;
  return chain(
    { className: `${JACKSON}.databind.JsonMappingException`, message: `${msg} (through reference chain: ${bodyClass}["${field}"])` },
    { className: 'java.lang.IllegalArgumentException', message: msg },
    { className: 'java.lang.NumberFormatException', message: `For input string: "${value.slice(0, 2)}" under radix 16` },
  );
}

// ---------------------------------------------------------------------------------------------
// Serialized values

/** A Flink `SerializedThrowable` as JSON: class, stack trace and opaque base64 bytes. @internal */
export interface SerializedThrowableJson {
  class: string;
  'stack-trace': string;
  'serialized-throwable': string;
}

function throwableData(t: JavaThrowable): ThrowableData {
  return { className: t.className, message: t.message, frames: framesFor(t), stackTrace: renderThrowable(t), ...(t.cause ? { cause: throwableData(t.cause) } : {}) };
}

/**
 * A Flink `SerializedThrowable` in JSON: the class, the stack trace text and, base64, the Java
 * serialization of a `SerializedThrowable` that Flink's Java clients read back with the original
 * class name, message, frames and causes (serialized-throwable.ts). The SDK never decodes it.
 * @internal
 */
export function serializedThrowable(t: JavaThrowable): SerializedThrowableJson {
  const data = throwableData(t);
  return { class: t.className, 'stack-trace': data.stackTrace, 'serialized-throwable': serializedThrowableBytes(data).toString('base64') };
}

// OptionalFailure's writeObject writes its (transient) value after the failureCause field.
const OPTIONAL_FAILURE: JavaClass = { name: 'org.apache.flink.util.OptionalFailure', serialVersionUID: 1n, flags: SC_SERIALIZABLE | SC_WRITE_METHOD, fields: [{ name: 'failureCause', type: 'Ljava/lang/Throwable;' }] };
const NUMBER: JavaClass = { name: 'java.lang.Number', serialVersionUID: -8742448824652078965n, flags: SC_SERIALIZABLE, fields: [] };
const boxedClass = (name: string, serialVersionUID: bigint, type: string): JavaClass => ({ name, serialVersionUID, flags: SC_SERIALIZABLE, fields: [{ name: 'value', type }], superClass: NUMBER });
const INTEGER = boxedClass('java.lang.Integer', 1360826667806852920n, 'I');
const LONG = boxedClass('java.lang.Long', 4290774380558885855n, 'J');
const DOUBLE = boxedClass('java.lang.Double', -9172774392245257468n, 'D');

/**
 * An accumulator value as Flink sends it in `accumulator-results` and
 * `serialized-user-task-accumulators`: base64 of a Java-serialized `OptionalFailure` holding an
 * `Integer`, `Long`, `Double` or `String` (the same bytes a real cluster produces for those).
 * @internal
 */
export function serializedAccumulator(type: string, value: string): string {
  let payload: JavaValue;
  if (/IntCounter|IntMaximum|IntMinimum/.test(type) && /^-?\d+$/.test(value)) payload = javaObject(INTEGER, { value: Number(value) | 0 });
  else if (/LongCounter|LongMaximum|LongMinimum/.test(type) && /^-?\d+$/.test(value)) payload = javaObject(LONG, { value: BigInt(value) });
  else if (/Double/.test(type) && value.trim() !== '' && !Number.isNaN(Number(value))) payload = javaObject(DOUBLE, { value: Number(value) });
  else payload = value;
  return serializeJava(javaObject(OPTIONAL_FAILURE, { failureCause: null }, { [OPTIONAL_FAILURE.name]: [payload] })).toString('base64');
}

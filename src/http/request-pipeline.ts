import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { EventEmitter } from 'eventemitter3';
import { Agent, type Dispatcher } from 'undici';
import type { ZodError } from 'zod';
import { FlinkAbortError } from '../errors/flink-abort-error.js';
import { FlinkApiError } from '../errors/flink-api-error.js';
import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import { FlinkConnectionError } from '../errors/flink-connection-error.js';
import { attachRequestId, FlinkError } from '../errors/flink-error.js';
import { FlinkResponseTooLargeError } from '../errors/flink-response-too-large-error.js';
import { FlinkTimeoutError } from '../errors/flink-timeout-error.js';
import { FlinkValidationError, type ValidationIssue } from '../errors/flink-validation-error.js';
import type { ClusterClientEvents } from '../events.js';
import { linkedController, sleep } from '../internal/abort.js';
import { isSensitiveHeader, redactHeaders, SecretSet } from '../internal/redact.js';
import { newRequestId } from '../internal/request-id.js';
import { loadTelemetry, telemetryLoaded, type TraceSpan } from '../internal/telemetry.js';
import { checkOptions, checkRequestOptions, timerMs } from '../options/check-options.js';
import type { AuthOptions, ClusterClientOptions, Logger, TlsOptions, ValidationMode } from '../options/client-options.js';
import { resolveLogger } from '../options/logger.js';
import { clusterClientOptions } from '../options/option-schemas.js';
import type { RequestOptions } from '../options/request-options.js';
import type { DualSchema } from '../schemas/schema-kit.js';
import { AttemptSignal } from './attempt-signal.js';
import { openCallSpan, spanAttempt } from './call-span.js';
import { diagnoseTransportError } from './connection-diagnosis.js';
import { type Endpoint, EndpointSet } from './endpoint-set.js';
import { mapHttpError, type ResourceRef } from './map-error.js';
import { readBody, type ReadBodyResult } from './read-body.js';
import { backoffDelay, DEFAULT_RETRY, parseRetryAfter, type ResolvedRetryOptions } from './retry-policy.js';
import { AnswerCollector, type CollectedAnswer } from './answer-collector.js';
import { isLeaderUnreachable, isNotSent, isTransientStatus, isTransientTransportError, transience } from './transient.js';

/** HTTP methods the Flink REST API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request body streamed from a source, such as a multipart jar upload. */
export interface StreamBody {
  /** The bytes to send. */
  body: Readable;
  /** The Content-Type header. */
  contentType: string;
  /** The Content-Length, when known. */
  contentLength?: number;
}

/** Everything the pipeline needs to send one logical call. */
export interface RequestSpec<T> {
  /** HTTP method. */
  method: HttpMethod;
  /** Path below the REST root, starting with `/`; ids in it are already checked. */
  path: string;
  /**
   * The API version segment to send the path under instead of the URL's `/v1`, such as `/v3`: a
   * SQL Gateway serves `/v1` to `/v4` side by side.
   */
  apiRoot?: string;
  /** Turns the response text into JSON instead of `JSON.parse`, e.g. to keep big numbers exact. */
  decode?: (text: string) => unknown;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON request body. */
  json?: unknown;
  /**
   * A streamed request body. A factory, so the body is only opened when an attempt is made; such
   * a request is only ever repeated when the failed attempt sent nothing.
   */
  stream?: () => StreamBody | Promise<StreamBody>;
  /** Whether `stream` yields a fresh body on every call (a file reopened), so an attempt that sent nothing may be repeated. */
  replayable?: boolean;
  /** The response schema; without one the body is read and discarded and the call yields undefined. */
  schema?: DualSchema<T>;
  /** Validate (leniently) even when the client's validation is `'off'`: the SDK reads these fields itself. */
  alwaysValidate?: boolean;
  /**
   * Whether repeating the request is harmless. Defaults to true for every method but POST; a POST
   * is idempotent only when it carries a client-chosen id (trigger id, job id, application id).
   */
  idempotent?: boolean;
  /** What the request is about, so a 404 (or Flink's odd 500s) becomes the matching typed error. */
  resource?: ResourceRef;
  /**
   * Called when an attempt after the first fails with an API error: a client-chosen id makes a
   * repeated POST fail as a duplicate when the first attempt did reach Flink; this hook may turn
   * that failure into the success it stands for.
   */
  recoverDuplicate?: (error: FlinkError) => T | undefined;
  /**
   * Reads a successful answer's body itself instead of parsing it as JSON (log files, which can
   * be large and are text): called with the body stream and the headers inside the attempt, so
   * the attempt deadline, the caller's signal and `close()` cover the whole read. Error statuses
   * are read and mapped as usual. An attempt whose body was handed over is never repeated.
   */
  consume?: (body: AsyncIterable<Uint8Array> & { destroy(error?: Error): unknown }, headers: Record<string, string | string[] | undefined>) => Promise<T>;
}

/** Options of the pipeline, as the ClusterClient resolved them. */
export interface PipelineOptions {
  urls: readonly (string | URL)[];
  dispatcher: Dispatcher | undefined;
  tls: TlsOptions | undefined;
  auth: AuthOptions | undefined;
  headers: Record<string, string>;
  sensitiveHeaders: readonly string[];
  timeoutMs: number;
  maxRetries: number;
  retry: ResolvedRetryOptions;
  validation: ValidationMode;
  maxResponseBytes: number;
  connections: number;
  logger: Logger | undefined;
  emitter: EventEmitter<ClusterClientEvents>;
  userAgent: string;
}

/**
 * Checks client options against their schema and resolves them into pipeline options, applying
 * every default.
 *
 * @throws FlinkArgumentError naming the first invalid option.
 */
export function resolvePipelineOptions(options: ClusterClientOptions, emitter: EventEmitter<ClusterClientEvents>, userAgent: string): PipelineOptions {
  const urls = checkClusterClientOptions(options);
  return {
    urls,
    dispatcher: options.dispatcher,
    tls: options.tls,
    auth: options.auth,
    headers: { ...options.headers },
    sensitiveHeaders: options.sensitiveHeaders ?? [],
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 3,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    validation: options.validation ?? 'lenient',
    maxResponseBytes: options.maxResponseBytes ?? 100 * 1024 * 1024,
    connections: options.connections ?? 32,
    logger: resolveLogger(options.logger),
    emitter,
    userAgent,
  };
}

/**
 * Checks client options: each against its schema, the URLs as REST roots, and the options that
 * only make sense together. Returns the URLs as a list.
 *
 * @throws FlinkArgumentError naming the first invalid option.
 */
export function checkClusterClientOptions(options: ClusterClientOptions): readonly (string | URL)[] {
  checkOptions(clusterClientOptions, options, 'options');
  const urls = Array.isArray(options.url) ? (options.url as readonly (string | URL)[]) : [options.url as string | URL];
  const endpoints = new EndpointSet(urls).endpoints;
  if (options.tls !== undefined) {
    if (options.dispatcher !== undefined) throw new FlinkArgumentError('options.tls', 'has no effect with a dispatcher: configure TLS on the dispatcher');
    if (!endpoints.some((e) => e.secure)) throw new FlinkArgumentError('options.tls', 'is set but no URL uses https://: TLS settings would be ignored');
  }
  return urls;
}

/** How one failed attempt may be followed up. */
interface AttemptFailure {
  error: FlinkError;
  /** `any`: nothing was sent, any request may repeat; `idempotent`: only safe requests; `never`. */
  retry: 'any' | 'idempotent' | 'never';
  /** Whether another JobManager URL should be tried. */
  failover: boolean;
  retryAfterMs?: number;
}

/** What one attempt ended with. */
type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; failure: AttemptFailure };

/** One logical call: what every attempt of it shares. */
interface Call<T> {
  readonly spec: RequestSpec<T>;
  readonly options: RequestOptions;
  readonly requestId: string;
  /** This call's secrets: the client's and those in its own headers. */
  readonly secrets: SecretSet;
  readonly timeoutMs: number;
  readonly started: number;
  /** The call's OpenTelemetry span (a no-op one when tracing is off). */
  readonly span: TraceSpan;
}

/** One attempt's request, encoded. */
interface EncodedRequest {
  origin: string;
  path: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | Readable | undefined;
  /** When the attempt started (performance.now()). */
  started: number;
}

/** One attempt's answer, read. */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  read: ReadBodyResult;
}

const ATTEMPT_TIMEOUT = Symbol('attempt timeout');
/** How much of a body an error keeps, as text. */
const KEPT_BODY_LIMIT = 4096;
/** How much of one entry of Flink's `errors` array an error keeps (a stack trace). */
const KEPT_ERROR_LIMIT = 32_768;

/**
 * The one function every HTTP call goes through: URL building, headers and auth, JSON encoding,
 * the attempt loop (per-attempt timeout, retries with backoff, jitter and Retry-After, abortable
 * sleeps, HA failover), body consumption with a size cap, error mapping, schema validation, the
 * request/response/retry/failure events and the log.
 */
export class RequestPipeline {
  readonly options: PipelineOptions;
  readonly endpoints: EndpointSet;
  #outages = 0;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #baseHeaders: Record<string, string>;
  readonly #sensitive: ReadonlySet<string>;
  /** The client's secrets: passwords, static tokens, sensitive header values, recent rotated tokens. */
  readonly #secrets = new SecretSet();
  readonly #recentTokens: string[] = [];
  readonly #tokenSource: (() => unknown) | undefined;
  /** Fires on `close()`: cancels every retry sleep and wait of the client at once. */
  readonly #closing = new AbortController();
  /**
   * The attempts in flight, which `close()` aborts. A Set rather than an `abort` listener per
   * attempt on `#closing`: EventTarget listeners cost a few µs each to add and remove, and a
   * thousand calls in flight would mean a thousand listeners on one signal.
   */
  readonly #attempts = new Set<AttemptSignal>();
  constructor(options: PipelineOptions) {
    this.options = options;
    this.endpoints = new EndpointSet(options.urls);
    if (options.dispatcher) {
      this.#dispatcher = options.dispatcher;
      this.#ownsDispatcher = false;
    } else {
      const tls = options.tls ?? {};
      this.#dispatcher = new Agent({
        connections: options.connections,
        keepAliveTimeout: 10_000,
        connect: {
          ca: tls.ca as string | Buffer | (string | Buffer)[] | undefined,
          cert: tls.cert as string | Buffer | undefined,
          key: tls.key as string | Buffer | undefined,
          passphrase: tls.passphrase,
          servername: tls.servername,
          rejectUnauthorized: tls.rejectUnauthorized ?? true,
        },
      });
      this.#ownsDispatcher = true;
    }
    this.#sensitive = new Set(options.sensitiveHeaders.map((h) => h.toLowerCase()));
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': options.userAgent };
    for (const [name, value] of Object.entries(options.headers)) {
      headers[name.toLowerCase()] = value;
      if (isSensitiveHeader(name, this.#sensitive)) this.#secrets.add(value);
    }
    const auth = options.auth;
    if (auth?.type === 'basic') {
      const encoded = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
      headers.authorization = `Basic ${encoded}`;
      this.#secrets.add(auth.password).add(encoded);
    } else if (auth?.type === 'bearer' && typeof auth.token === 'string') {
      headers.authorization = `Bearer ${auth.token}`;
      this.#secrets.add(auth.token);
    }
    this.#baseHeaders = headers;
    this.#tokenSource = auth?.type === 'bearer' && typeof auth.token === 'function' ? auth.token : undefined;
    void loadTelemetry();
  }

  /**
   * How many attempts so far found a JobManager not serving (no connection, an attempt timeout,
   * 502/503/504): the ones that fail over. Operation handles compare it with its value when they
   * were made to tell an operation lost in a failover from one that never existed.
   */
  get outages(): number {
    return this.#outages;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  /**
   * Fires when the client closes, with a FlinkError `FLINK_CLIENT_CLOSED` as its reason. Waits
   * link it, so closing the client settles them at once.
   */
  get closeSignal(): AbortSignal {
    return this.#closing.signal;
  }

  /**
   * Closes the pipeline: every call in flight or sleeping before a retry rejects at once with
   * `FLINK_CLIENT_CLOSED`, then the pipeline's own connection pool closes (a dispatcher passed in
   * by the user is left open).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    const reason = new FlinkError('the client is closed', 'FLINK_CLIENT_CLOSED');
    this.#closing.abort(reason);
    for (const attempt of this.#attempts) attempt.abort(reason);
    this.#attempts.clear();
    if (this.#ownsDispatcher) await this.#dispatcher.destroy();
  }

  /**
   * Sends one logical call and returns its validated body.
   *
   * @throws FlinkApiError and its subclasses for error statuses, FlinkConnectionError,
   *   FlinkTimeoutError (phase `attempt`), FlinkAbortError, FlinkValidationError,
   *   FlinkResponseTooLargeError, FlinkArgumentError for invalid options; FlinkError
   *   `FLINK_CLIENT_CLOSED` once the client is closed. Every error carries the call's `requestId`.
   */
  async request<T>(spec: RequestSpec<T>, options: RequestOptions = {}): Promise<T> {
    if (this.closed) throw new FlinkError('the client is closed', 'FLINK_CLIENT_CLOSED');
    checkRequestOptions(options);
    const signal = options.signal;
    if (signal?.aborted) throw new FlinkAbortError(signal.reason, `${spec.method} ${spec.path}`);
    if (!telemetryLoaded()) await loadTelemetry();
    const call = this.#newCall(spec, options);
    const { endpoint, index } = this.endpoints.current();
    const outcome = await this.#attempt(call, endpoint, 1);
    if (outcome.ok) return outcome.value;
    return this.#retry(call, endpoint, index, outcome.failure);
  }

  /**
   * The rest of a call whose first attempt failed: retries with backoff, failover to the next
   * JobManager, duplicate recovery, the final error. Apart from `request()`, so the suspended
   * frame of a call that succeeds at once stays small.
   */
  async #retry<T>(call: Call<T>, firstEndpoint: Endpoint, firstIndex: number, firstFailure: AttemptFailure): Promise<T> {
    const { spec, options } = call;
    const maxRetries = options.maxRetries ?? this.options.maxRetries;
    const idempotent = spec.idempotent ?? spec.method !== 'POST';
    // Which JobManagers this call asked.
    const tried = new Set<number>();
    const urls: string[] = [];
    let retries = 0;
    let endpoint = firstEndpoint;
    let index = firstIndex;
    let failure = firstFailure;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) {
        ({ endpoint, index } = this.endpoints.current());
        const outcome = await this.#attempt(call, endpoint, attempt);
        if (outcome.ok) return outcome.value;
        failure = outcome.failure;
      }
      tried.add(index);
      if (!urls.includes(endpoint.origin + endpoint.root)) urls.push(endpoint.origin + endpoint.root);
      if (failure.failover) this.#outages++;
      if (attempt > 1 && spec.recoverDuplicate && failure.error instanceof FlinkApiError) {
        const recovered = spec.recoverDuplicate(failure.error);
        if (recovered !== undefined) {
          call.span.end();
          return recovered;
        }
      }
      const allowed = failure.retry === 'any' || (failure.retry === 'idempotent' && idempotent);
      if (!allowed) this.#fail(call, endpoint, failure.error, attempt, urls);
      // A JobManager not yet tried in this call is worth asking at once, and does not use up a retry.
      let delayMs: number;
      if (failure.failover && this.endpoints.endpoints.length > 1 && !tried.has(this.endpoints.failover(index))) {
        delayMs = 0;
      } else {
        if (retries >= maxRetries) this.#fail(call, endpoint, failure.error, attempt, urls);
        retries++;
        if (failure.failover) this.endpoints.failover(index);
        if (failure.retryAfterMs !== undefined) {
          if (failure.retryAfterMs > this.options.retry.maxRetryAfterMs) this.#fail(call, endpoint, failure.error, attempt, urls);
          delayMs = failure.retryAfterMs;
        } else {
          delayMs = backoffDelay(retries, this.options.retry);
        }
      }
      this.#emitRetry(call, endpoint, attempt + 1, delayMs, failure.error);
      await this.#pause(call, delayMs);
    }
  }

  #newCall<T>(spec: RequestSpec<T>, options: RequestOptions): Call<T> {
    // A caller's own x-request-id becomes the call's id, so proxies and the SDK agree on it.
    let requestId: string | undefined;
    let secrets = this.#secrets;
    if (options.headers) {
      const own: string[] = [];
      for (const [name, value] of Object.entries(options.headers)) {
        if (name.toLowerCase() === 'x-request-id') requestId = value;
        if (isSensitiveHeader(name, this.#sensitive)) own.push(value);
      }
      if (own.length > 0) secrets = secrets.with(own);
    }
    const id = requestId ?? newRequestId();
    return { spec, options, requestId: id, secrets, timeoutMs: options.timeoutMs ?? this.options.timeoutMs, started: performance.now(), span: openCallSpan(spec, id) };
  }

  /** Sleeps before a retry; the caller's signal and `close()` both cut it short. */
  async #pause(call: Call<unknown>, delayMs: number): Promise<void> {
    const userSignal = call.options.signal;
    if (delayMs > 0) {
      const { controller, dispose } = linkedController([userSignal, this.#closing.signal]);
      try {
        await sleep(delayMs, controller.signal);
      } catch {
        // The sleep only ends early by an abort: say whose, below.
      } finally {
        dispose();
      }
    }
    if (this.closed) throw this.#closedError(call);
    if (userSignal?.aborted) {
      const error = new FlinkAbortError(userSignal.reason, `${call.spec.method} ${call.spec.path}`);
      attachRequestId(error, call.requestId);
      call.span.end(error);
      throw error;
    }
  }

  #closedError(call: Call<unknown>): FlinkError {
    const error = new FlinkError(`${call.spec.method} ${call.spec.path}: the client was closed`, 'FLINK_CLIENT_CLOSED');
    attachRequestId(error, call.requestId);
    call.span.end(error);
    return error;
  }

  /** Rejects the call with its final error: totals on connection errors, the request id, the `failure` event and log. */
  #fail(call: Call<unknown>, endpoint: Endpoint, last: FlinkError, attempts: number, urls: readonly string[]): never {
    const elapsedMs = performance.now() - call.started;
    let error = last;
    if (last instanceof FlinkConnectionError && (attempts > 1 || urls.length > 1)) {
      error = new FlinkConnectionError({
        method: last.method,
        url: last.url,
        path: last.path,
        cause: last.cause,
        diagnosis: last.diagnosis,
        attempts,
        elapsedMs,
        urls,
      });
    }
    attachRequestId(error, call.requestId);
    call.span.end(error);
    const { spec } = call;
    const emitter = this.options.emitter;
    const url = this.#displayUrl(endpoint, spec);
    if (emitter.listenerCount('failure') > 0) {
      emitter.emit('failure', { requestId: call.requestId, method: spec.method, url, path: spec.path, attempts, durationMs: elapsedMs, error });
    }
    const logger = this.options.logger;
    if (logger && !(error instanceof FlinkAbortError)) {
      // What the caller will likely handle itself (a missing job, a conflict) is not a warning.
      const level = transience(error) === 'permanent' ? 'debug' : 'warn';
      logger[level]('flink-client call failed', { requestId: call.requestId, method: spec.method, url, attempts, durationMs: Math.round(elapsedMs), code: error.code, error: error.message });
    }
    throw error;
  }

  #emitRetry(call: Call<unknown>, endpoint: Endpoint, attempt: number, delayMs: number, error: FlinkError): void {
    const { spec } = call;
    const emitter = this.options.emitter;
    const logger = this.options.logger;
    call.span.event('retry', { 'http.request.resend_count': attempt - 1, 'retry.delay_ms': delayMs, 'error.type': error.code });
    if (emitter.listenerCount('retry') === 0 && !logger) return;
    const url = this.#displayUrl(endpoint, spec);
    attachRequestId(error, call.requestId);
    emitter.emit('retry', { requestId: call.requestId, method: spec.method, url, path: spec.path, attempt, delayMs, error });
    logger?.warn('flink-client retrying', { requestId: call.requestId, method: spec.method, url, attempt, delayMs, code: error.code, error: error.message });
  }

  /**
   * One HTTP attempt, in three steps: encode the request (headers, auth, body), send it and read
   * the answer, classify the outcome. The attempt deadline, the caller's signal and `close()`
   * cover all of it, from asking a token provider for a token to reading the last byte of the body.
   *
   * This is the common call (no token provider, no streamed request or answer), kept small on
   * purpose: a suspended async function keeps a copy of all its registers, and a thousand calls in
   * flight keep a thousand copies alive long enough to be promoted; the other calls go through
   * {@link #attemptStreamed}.
   */
  async #attempt<T>(call: Call<T>, endpoint: Endpoint, attempt: number): Promise<AttemptOutcome<T>> {
    const signal = this.#attemptSignal(call);
    if (this.#tokenSource || call.spec.stream || call.spec.consume) return this.#attemptStreamed(call, endpoint, attempt, signal);
    const collector = new AnswerCollector(this.options.maxResponseBytes, signal);
    try {
      const request = this.#encodeSync(call, endpoint, attempt, this.#headers(call, call.options.headers), undefined);
      let answer: CollectedAnswer;
      if (call.span.recording) {
        spanAttempt(call.span, endpoint.origin, this.#displayUrl(endpoint, call.spec), attempt);
        // The call's span is active while undici creates the request, so its diagnostics-channel spans nest under it.
        answer = await call.span.run((): Promise<CollectedAnswer> => collector.collect(this.#dispatcher, dispatchOptions(request)));
      } else answer = await collector.collect(this.#dispatcher, dispatchOptions(request));
      return this.#classifyAnswer(call, endpoint, attempt, answer, undefined, performance.now() - request.started);
    } catch (err) {
      // An answer that began to arrive means the request was sent.
      return { ok: false, failure: this.#classifyThrown(call, endpoint, err, signal, collector.started, false) };
    } finally {
      this.#endAttempt(signal);
    }
  }

  /** The abort signal of one attempt: its deadline, the caller's signal and `close()`. */
  #attemptSignal(call: Call<unknown>): AttemptSignal {
    const signal = new AttemptSignal();
    signal.start(timerMs(call.timeoutMs), ATTEMPT_TIMEOUT, call.options.signal);
    if (this.closed) signal.abort(this.#closing.signal.reason);
    else this.#attempts.add(signal);
    return signal;
  }

  #endAttempt(signal: AttemptSignal): void {
    signal.dispose();
    this.#attempts.delete(signal);
  }

  /** An attempt with a token to ask for, a request body to stream or an answer `spec.consume` streams. */
  async #attemptStreamed<T>(call: Call<T>, endpoint: Endpoint, attempt: number, signal: AttemptSignal): Promise<AttemptOutcome<T>> {
    let sent = false;
    let collector: AnswerCollector | undefined;
    // Set once a successful body was handed to `spec.consume`: the attempt cannot be repeated then.
    let consuming = false;
    try {
      const request = this.#tokenSource || call.spec.stream ? await this.#encode(call, endpoint, attempt, signal) : this.#encodeSync(call, endpoint, attempt, this.#headers(call, call.options.headers), undefined);
      if (call.span.recording) spanAttempt(call.span, endpoint.origin, this.#displayUrl(endpoint, call.spec), attempt);
      const consume = call.spec.consume;
      if (!consume) {
        const answerCollector = (collector = new AnswerCollector(this.options.maxResponseBytes, signal));
        const answer = await (call.span.recording
          ? call.span.run((): Promise<CollectedAnswer> => answerCollector.collect(this.#dispatcher, dispatchOptions(request)))
          : answerCollector.collect(this.#dispatcher, dispatchOptions(request)));
        sent = true;
        return this.#classifyAnswer(call, endpoint, attempt, answer, undefined, performance.now() - request.started);
      }
      const response = await (call.span.recording ? call.span.run(() => this.#send(request, signal)) : this.#send(request, signal));
      sent = true;
      if (response.statusCode >= 200 && response.statusCode < 300) {
        consuming = true;
        const value = await consume(response.body, response.headers);
        return this.#classifyAnswer(call, endpoint, attempt, { status: response.statusCode, headers: response.headers, read: { ok: true, text: '' } }, { value }, performance.now() - request.started);
      }
      const lengthHeader = response.headers['content-length'];
      const contentLength = typeof lengthHeader === 'string' ? Number(lengthHeader) : undefined;
      const limit = this.options.maxResponseBytes;
      const body = response.body;
      // With a Content-Length within the cap (Flink always sends one), undici's own consumer reads it.
      const read: ReadBodyResult =
        contentLength !== undefined && contentLength <= limit && typeof body.text === 'function' ? { ok: true, text: await body.text() } : await readBody(body, limit, contentLength);
      return this.#classifyAnswer(call, endpoint, attempt, { status: response.statusCode, headers: response.headers, read }, undefined, performance.now() - request.started);
    } catch (err) {
      return { ok: false, failure: this.#classifyThrown(call, endpoint, err, signal, sent || collector?.started === true, consuming) };
    } finally {
      this.#endAttempt(signal);
    }
  }

  /** Builds the request of one attempt: path and query, headers (with a fresh token), body. */
  async #encode<T>(call: Call<T>, endpoint: Endpoint, attempt: number, signal: AttemptSignal): Promise<EncodedRequest> {
    const { spec, options } = call;
    const headers = this.#tokenSource ? await untilAborted(this.#headersWithToken(call, options.headers), signal) : this.#headers(call, options.headers);
    return this.#encodeSync(call, endpoint, attempt, headers, spec.stream ? await spec.stream() : undefined);
  }

  /** The synchronous part of encoding, once the headers (with any token) and a streamed body are at hand. */
  #encodeSync<T>(call: Call<T>, endpoint: Endpoint, attempt: number, headers: Record<string, string>, stream: StreamBody | undefined): EncodedRequest {
    const { spec } = call;
    const method = spec.method;
    let body: string | Readable | undefined;
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers['content-type'] = 'application/json';
    } else if (stream) {
      body = stream.body;
      headers['content-type'] = stream.contentType;
      if (stream.contentLength !== undefined) headers['content-length'] = String(stream.contentLength);
    } else if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      // Flink reads an empty body as {}, but some proxies reject a body-less POST without a length.
      headers['content-length'] = '0';
    }
    const emitter = this.options.emitter;
    const logger = this.options.logger;
    if (emitter.listenerCount('request') > 0 || logger) {
      const url = this.#displayUrl(endpoint, spec);
      emitter.emit('request', { requestId: call.requestId, method, url, path: spec.path, attempt, headers: redactHeaders(headers, this.#sensitive) });
      logger?.debug('flink-client request', { requestId: call.requestId, method, url, attempt });
    }
    return { origin: endpoint.origin, path: rootOf(endpoint, spec) + spec.path + queryString(spec.query), method, headers, body, started: performance.now() };
  }

  /** Sends the request; resolves once the answer's headers arrived. */
  /** Sends a request whose answer `spec.consume` streams (a log file, a download). */
  #send(request: EncodedRequest, signal: AttemptSignal): Promise<Dispatcher.ResponseData> {
    return this.#dispatcher.request({ ...dispatchOptions(request), signal });
  }

  /** Turns an answer into the parsed value, or into a typed failure saying whether to try again. */
  #classifyAnswer<T>(call: Call<T>, endpoint: Endpoint, attempt: number, answer: Answer, consumed: { value: unknown } | undefined, durationMs: number): AttemptOutcome<T> {
    const { spec } = call;
    const { status, read } = answer;
    const method = spec.method;
    const emitter = this.options.emitter;
    const logger = this.options.logger;
    if (emitter.listenerCount('response') > 0 || logger) {
      const url = this.#displayUrl(endpoint, spec);
      emitter.emit('response', { requestId: call.requestId, method, url, path: spec.path, attempt, status, durationMs });
      logger?.debug('flink-client response', { requestId: call.requestId, method, url, attempt, status, durationMs: Math.round(durationMs) });
    }
    if (consumed) return { ok: true, value: consumed.value as T };
    if (!read.ok) {
      return { ok: false, failure: { error: new FlinkResponseTooLargeError({ endpoint: `${method} ${spec.path}`, limit: this.options.maxResponseBytes }), retry: 'never', failover: false } };
    }
    const contentType = headerValue(answer.headers['content-type']);
    call.span.set({ 'http.response.status_code': status });
    if (status >= 200 && status < 300) {
      const value = this.#parse(call, status, contentType, read.text);
      call.span.end();
      return { ok: true, value };
    }
    const kept = this.#keep(call, read.text);
    const url = this.#displayUrl(endpoint, spec);
    let message: string | undefined;
    if (status >= 300 && status < 400) message = redirectMessage(method, spec.path, status, headerValue(answer.headers.location), endpoint);
    else if (kept.errors.length === 0 && kept.body.length > 0) message = `${method} ${spec.path} → ${status} (${contentType ?? 'no content type'}): ${firstBytes(kept.body)}`;
    const error = mapHttpError({ status, method, url, path: spec.path, errors: kept.errors, body: kept.body, resource: spec.resource, message });
    // A 4xx/5xx that only says the leader could not be reached is a failover in progress, like a 503.
    const leaderGone = status >= 400 && isLeaderUnreachable(kept.errors);
    const retryable = isTransientStatus(status) || leaderGone;
    return {
      ok: false,
      failure: {
        error,
        retry: retryable ? 'idempotent' : 'never',
        failover: status === 502 || status === 503 || status === 504 || leaderGone,
        retryAfterMs: retryable ? parseRetryAfter(answer.headers['retry-after']) : undefined,
      },
    };
  }

  /** Turns what an attempt threw (abort, deadline, close, transport failure) into a typed failure. */
  #classifyThrown<T>(call: Call<T>, endpoint: Endpoint, err: unknown, attemptSignal: AttemptSignal, sent: boolean, consuming: boolean): AttemptFailure {
    const { spec } = call;
    const method = spec.method;
    const signal = call.options.signal;
    if (signal?.aborted) return { error: new FlinkAbortError(signal.reason, `${method} ${spec.path}`), retry: 'never', failover: false };
    if (this.closed) return { error: this.#closedError(call), retry: 'never', failover: false };
    if (attemptSignal.reason === ATTEMPT_TIMEOUT) {
      const error = new FlinkTimeoutError({ phase: 'attempt', timeoutMs: call.timeoutMs, target: `${method} ${spec.path}` });
      // A timed-out attempt may still be processed by Flink: only repeat what is safe to repeat.
      return { error, retry: consuming ? 'never' : 'idempotent', failover: !consuming };
    }
    if (err instanceof FlinkError) return { error: err, retry: 'never', failover: false };
    const url = this.#displayUrl(endpoint, spec);
    if (consuming) {
      // The body was being handed out: a repeat would hand out its start again.
      return { error: new FlinkConnectionError({ method, url, path: spec.path, cause: scrubError(err, call.secrets), diagnosis: diagnoseTransportError(err, endpoint.origin) }), retry: 'never', failover: false };
    }
    const cause = scrubError(err, call.secrets);
    const error = new FlinkConnectionError({ method, url, path: spec.path, cause, diagnosis: diagnoseTransportError(err, endpoint.origin) });
    const notSent = !sent && isNotSent(err);
    return {
      error,
      retry: notSent && (!spec.stream || spec.replayable) ? 'any' : isTransientTransportError(err) ? 'idempotent' : 'never',
      failover: true,
    };
  }

  /**
   * The headers of one attempt: the call's request id, the client's headers (a client-wide
   * `x-request-id` stands over the call's), the token, then the call's own.
   */
  #headers(call: Call<unknown>, extra: Record<string, string> | undefined, authorization?: string): Record<string, string> {
    // An object literal with the spread inside: a property added to a bare `{ ...base }` clone
    // costs V8 a new map every time (about 1.5 µs, the largest cost of encoding a call), added to
    // this it costs what any object's does.
    const headers: Record<string, string> =
      authorization === undefined ? { 'x-request-id': call.requestId, ...this.#baseHeaders } : { 'x-request-id': call.requestId, ...this.#baseHeaders, authorization };
    if (extra) for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
    return headers;
  }

  /** The headers with a fresh token from the bearer token function, asked before every attempt. */
  async #headersWithToken(call: Call<unknown>, extra: Record<string, string> | undefined): Promise<Record<string, string>> {
    let token: unknown;
    try {
      token = await (this.#tokenSource as () => unknown)();
    } catch (err) {
      throw new FlinkError('the bearer token provider failed', 'FLINK_AUTH_PROVIDER_FAILED', { cause: err });
    }
    if (typeof token !== 'string' || token.length === 0) throw new FlinkError('the bearer token provider returned no token', 'FLINK_AUTH_PROVIDER_FAILED');
    if (/[\r\n\0]/.test(token)) throw new FlinkError('the bearer token provider returned a token with CR, LF or NUL in it', 'FLINK_AUTH_PROVIDER_FAILED');
    if (!this.#recentTokens.includes(token)) {
      // Remember a handful of recent tokens for scrubbing, not every token ever seen.
      this.#recentTokens.push(token);
      this.#secrets.add(token);
      if (this.#recentTokens.length > 8) this.#secrets.delete(this.#recentTokens.shift() as string);
    }
    return this.#headers(call, extra, `Bearer ${token}`);
  }

  #parse<T>(call: Call<T>, status: number, contentType: string | undefined, text: string): T {
    const { spec } = call;
    if (!spec.schema) return undefined as T;
    let json: unknown;
    try {
      json = text.length === 0 ? {} : spec.decode ? spec.decode(text) : JSON.parse(text);
    } catch (err) {
      const endpoint = `${spec.method} ${spec.path}`;
      const body = this.#keep(call, text).body;
      throw new FlinkValidationError({
        endpoint,
        issues: [{ path: [], message: 'response is not JSON' }],
        body,
        notJson: true,
        message: `${endpoint} → ${status} (${contentType ?? 'no content type'}): response is not JSON: ${firstBytes(body)}`,
        cause: err,
      });
    }
    const mode = this.options.validation;
    if (mode === 'off' && !spec.alwaysValidate) return json as T;
    const result = spec.schema.validate(mode, json);
    if (result.success) return result.data;
    // The endpoint's name is built here, on failure only: a valid answer allocates no string for it.
    throw new FlinkValidationError({ endpoint: `${spec.method} ${spec.path}`, issues: toIssues(result.error), body: this.#keep(call, text).body });
  }

  /**
   * The one place the pipeline keeps what a server sent on an error: the body as text and Flink's
   * `errors` lines, scrubbed of every form of the call's secrets and cut to a bounded size, so an
   * error can be logged and serialised whatever the server sent (a 100 000-level deep JSON body,
   * an echoed Authorization header).
   */
  #keep(call: Call<unknown>, raw: string): { body: string; errors: string[] } {
    const text = call.secrets.scrub(raw);
    let errors: string[] = [];
    try {
      const parsed: unknown = JSON.parse(text);
      const list = (parsed as { errors?: unknown } | null)?.errors;
      if (Array.isArray(list)) errors = list.slice(0, 20).map((e) => cutText(typeof e === 'string' ? e : safeJson(e), KEPT_ERROR_LIMIT));
    } catch {
      // Not JSON: only the text is kept.
    }
    return { body: cutText(text, KEPT_BODY_LIMIT), errors };
  }

  #displayUrl(endpoint: Endpoint, spec: RequestSpec<unknown>): string {
    // Built from parts the client controls: no userinfo is ever accepted, and query values are
    // the SDK's own (ids, flags), so nothing here needs redaction beyond that.
    return `${endpoint.origin}${rootOf(endpoint, spec)}${spec.path}${queryString(spec.query)}`;
  }
}

/** The path prefix of a call: the endpoint's root, its `/v1` swapped for the call's `apiRoot`. */
function rootOf(endpoint: Endpoint, spec: RequestSpec<unknown>): string {
  return spec.apiRoot === undefined ? endpoint.root : endpoint.root.replace(/\/v1$/, '') + spec.apiRoot;
}

/** Resolves as `promise` does, or rejects as soon as the attempt is aborted. */
function untilAborted<T>(promise: Promise<T>, signal: AttemptSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.once('abort', onAbort);
    promise.then(
      (value) => {
        signal.removeListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** A copy of a transport error with secrets scrubbed from its message (its code kept). */
function scrubError(err: unknown, secrets: SecretSet): unknown {
  if (!(err instanceof Error)) return err;
  const scrubbed = secrets.scrub(err.message);
  if (scrubbed === err.message) return err;
  const copy = new Error(scrubbed);
  copy.name = err.name;
  (copy as { code?: unknown }).code = (err as { code?: unknown }).code;
  return copy;
}

/**
 * The message for a 3xx: the SDK never follows redirects (a redirect could send credentials
 * elsewhere). Flink itself answers a plain-HTTP request to a TLS port with a redirect to https.
 */
function redirectMessage(method: string, path: string, status: number, location: string | undefined, endpoint: Endpoint): string {
  if (location && !endpoint.secure && location.toLowerCase().startsWith('https:')) {
    let target = location;
    try {
      target = new URL(location).origin;
    } catch {
      // Keep the header as sent.
    }
    return `${method} ${path} → ${status}: the server at ${endpoint.origin} redirects to ${target}: it serves TLS, use an https:// URL`;
  }
  return `${method} ${path} → ${status}: redirected${location ? ` to ${cutText(location, 200)}` : ''}; the client does not follow redirects: use the target as the client's url`;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function firstBytes(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 120)}…` : flat);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '[unserializable]';
  }
}

function queryString(query: RequestSpec<unknown>['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function cutText(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…[${text.length - limit} more characters]` : text;
}

function toIssues(error: ZodError): ValidationIssue[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
  }));
}

/** The undici options of an encoded request. */
function dispatchOptions(request: EncodedRequest): Dispatcher.DispatchOptions {
  return {
    origin: request.origin,
    path: request.path,
    method: request.method as Dispatcher.HttpMethod,
    headers: request.headers,
    body: request.body,
    // The attempt deadline governs; undici's own 300 s timers would only fire later.
    headersTimeout: 0,
    bodyTimeout: 0,
  };
}

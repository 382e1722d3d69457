import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { EventEmitter } from 'eventemitter3';
import { Agent, type Dispatcher } from 'undici';
import type { ZodError } from 'zod';
import { FlinkAbortError } from '../errors/flink-abort-error.js';
import { FlinkConnectionError } from '../errors/flink-connection-error.js';
import { FlinkError } from '../errors/flink-error.js';
import { FlinkResponseTooLargeError } from '../errors/flink-response-too-large-error.js';
import { FlinkTimeoutError } from '../errors/flink-timeout-error.js';
import { FlinkValidationError, type ValidationIssue } from '../errors/flink-validation-error.js';
import type { ClusterClientEvents } from '../events.js';
import { sleep } from '../internal/abort.js';
import { AttemptSignal } from './attempt-signal.js';
import { redactHeaders, scrubSecrets } from '../internal/redact.js';
import type { AuthOptions, ClusterClientOptions, ValidationMode } from '../options/client-options.js';
import type { RequestOptions } from '../options/request-options.js';
import type { DualSchema } from '../schemas/schema-kit.js';
import { type Endpoint, EndpointSet } from './endpoint-set.js';
import { mapHttpError, type ResourceRef } from './map-error.js';
import { readBody, type ReadBodyResult } from './read-body.js';
import { backoffDelay, DEFAULT_RETRY, parseRetryAfter, type ResolvedRetryOptions } from './retry-policy.js';
import { isNotSent, isTransientStatus, isTransientTransportError } from './transient.js';

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
}

/** Options of the pipeline, as the ClusterClient resolved them. */
export interface PipelineOptions {
  urls: readonly (string | URL)[];
  dispatcher: Dispatcher | undefined;
  tls: ClusterClientOptions['tls'];
  auth: AuthOptions | undefined;
  headers: Record<string, string>;
  sensitiveHeaders: readonly string[];
  timeoutMs: number;
  maxRetries: number;
  retry: ResolvedRetryOptions;
  validation: ValidationMode;
  maxResponseBytes: number;
  connections: number;
  emitter: EventEmitter<ClusterClientEvents>;
  userAgent: string;
}

/** Resolves client options into pipeline options, applying every default. */
export function resolvePipelineOptions(
  options: ClusterClientOptions,
  emitter: EventEmitter<ClusterClientEvents>,
  userAgent: string,
): PipelineOptions {
  const urls = Array.isArray(options.url) ? (options.url as readonly (string | URL)[]) : [options.url as string | URL];
  return {
    urls,
    dispatcher: options.dispatcher,
    tls: options.tls,
    auth: options.auth,
    headers: { ...options.headers },
    sensitiveHeaders: options.sensitiveHeaders ?? [],
    timeoutMs: positive('timeoutMs', options.timeoutMs, 30_000),
    maxRetries: nonNegativeInt('maxRetries', options.maxRetries, 3),
    retry: { ...DEFAULT_RETRY, ...options.retry },
    validation: options.validation ?? 'lenient',
    maxResponseBytes: positive('maxResponseBytes', options.maxResponseBytes, 100 * 1024 * 1024),
    connections: positive('connections', options.connections, 32),
    emitter,
    userAgent,
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0)) throw new FlinkError(`invalid ${name}: expected a positive number`, 'FLINK_INVALID_ARGUMENT');
  return value;
}

function nonNegativeInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new FlinkError(`invalid ${name}: expected a non-negative integer`, 'FLINK_INVALID_ARGUMENT');
  return value;
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
  durationMs: number;
}

/** Whether any byte of the request may have reached the server (set once the answer's headers arrived). */
interface AttemptProgress {
  sent: boolean;
}

const ATTEMPT_TIMEOUT = Symbol('attempt timeout');
const TEXT_BODY_LIMIT = 4096;

/**
 * The one function every HTTP call goes through: URL building, headers and auth, JSON encoding,
 * the attempt loop (per-attempt timeout, retries with backoff, jitter and Retry-After, abortable
 * sleeps, HA failover), body consumption with a size cap, error mapping, schema validation and
 * the request/response/retry events.
 */
export class RequestPipeline {
  readonly options: PipelineOptions;
  readonly endpoints: EndpointSet;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #baseHeaders: Record<string, string>;
  readonly #sensitive: ReadonlySet<string>;
  readonly #secrets: string[] = [];
  readonly #recentTokens: string[] = [];
  readonly #tokenSource: (() => string | Promise<string>) | undefined;
  #closed = false;

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
          cert: tls.cert,
          key: tls.key,
          passphrase: tls.passphrase,
          servername: tls.servername,
          rejectUnauthorized: tls.rejectUnauthorized ?? true,
        },
      });
      this.#ownsDispatcher = true;
    }
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': options.userAgent };
    for (const [name, value] of Object.entries(options.headers)) headers[name.toLowerCase()] = value;
    const auth = options.auth;
    if (auth?.type === 'basic') {
      const encoded = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
      headers.authorization = `Basic ${encoded}`;
      this.#secrets.push(auth.password, encoded);
    } else if (auth?.type === 'bearer' && typeof auth.token === 'string') {
      headers.authorization = `Bearer ${auth.token}`;
      this.#secrets.push(auth.token);
    }
    this.#baseHeaders = headers;
    this.#tokenSource = auth?.type === 'bearer' && typeof auth.token === 'function' ? auth.token : undefined;
    this.#sensitive = new Set(options.sensitiveHeaders.map((h) => h.toLowerCase()));
    for (const name of this.#sensitive) {
      const value = headers[name];
      if (value) this.#secrets.push(value);
    }
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the pipeline's own connection pool; a dispatcher passed in by the user is left open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  /**
   * Sends one logical call and returns its validated body.
   *
   * @throws FlinkApiError and its subclasses for error statuses, FlinkConnectionError,
   *   FlinkTimeoutError (phase `attempt`), FlinkAbortError, FlinkValidationError,
   *   FlinkResponseTooLargeError.
   */
  async request<T>(spec: RequestSpec<T>, options: RequestOptions = {}): Promise<T> {
    if (this.#closed) throw new FlinkError('the client is closed', 'FLINK_CLIENT_CLOSED');
    const signal = options.signal;
    if (signal?.aborted) throw new FlinkAbortError(signal.reason, `${spec.method} ${spec.path}`);
    const maxRetries = options.maxRetries ?? this.options.maxRetries;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const idempotent = spec.idempotent ?? spec.method !== 'POST';
    const tried = new Set<number>();
    let retries = 0;
    for (let attempt = 1; ; attempt++) {
      const { endpoint, index } = this.endpoints.current();
      tried.add(index);
      const outcome = await this.#attempt(spec, endpoint, attempt, timeoutMs, options);
      if (outcome.ok) return outcome.value;
      const failure = outcome.failure;
      if (attempt > 1 && spec.recoverDuplicate && 'status' in failure.error) {
        const recovered = spec.recoverDuplicate(failure.error);
        if (recovered !== undefined) return recovered;
      }
      const allowed = failure.retry === 'any' || (failure.retry === 'idempotent' && idempotent);
      if (!allowed) throw failure.error;
      // A JobManager not yet tried in this call is worth asking at once, and does not use up a retry.
      let delayMs: number;
      if (failure.failover && this.endpoints.endpoints.length > 1 && !tried.has(this.endpoints.failover(index))) {
        delayMs = 0;
      } else {
        if (retries >= maxRetries) throw failure.error;
        retries++;
        if (failure.failover) this.endpoints.failover(index);
        if (failure.retryAfterMs !== undefined) {
          if (failure.retryAfterMs > this.options.retry.maxRetryAfterMs) throw failure.error;
          delayMs = failure.retryAfterMs;
        } else {
          delayMs = backoffDelay(retries, this.options.retry);
        }
      }
      const emitter = this.options.emitter;
      if (emitter.listenerCount('retry') > 0) {
        emitter.emit('retry', {
          method: spec.method,
          url: this.#displayUrl(endpoint, spec),
          path: spec.path,
          attempt: attempt + 1,
          delayMs,
          error: failure.error,
        });
      }
      if (delayMs > 0) await sleep(delayMs, signal);
      else if (signal?.aborted) throw new FlinkAbortError(signal.reason, `${spec.method} ${spec.path}`);
    }
  }

  /**
   * One HTTP attempt, in three steps: encode the request (headers, auth, body), send it and read
   * the answer, classify the outcome. The attempt deadline and the caller's signal cover all of
   * it, from asking a token provider for a token to reading the last byte of the body.
   */
  async #attempt<T>(spec: RequestSpec<T>, endpoint: Endpoint, attempt: number, timeoutMs: number, options: RequestOptions): Promise<AttemptOutcome<T>> {
    const attemptSignal = new AttemptSignal();
    const timer = setTimeout(() => attemptSignal.abort(ATTEMPT_TIMEOUT), timeoutMs);
    const userSignal = options.signal;
    const onUserAbort = (): void => attemptSignal.abort(userSignal?.reason);
    if (userSignal?.aborted) attemptSignal.abort(userSignal.reason);
    else userSignal?.addEventListener('abort', onUserAbort, { once: true });
    const progress: AttemptProgress = { sent: false };
    try {
      const request = await this.#encode(spec, endpoint, attempt, options, attemptSignal);
      const answer = await this.#send(request, attemptSignal, progress);
      return this.#classifyAnswer(spec, endpoint, attempt, answer);
    } catch (err) {
      return { ok: false, failure: this.#classifyThrown(spec, endpoint, err, { timeoutMs, options, attemptSignal, sent: progress.sent }) };
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onUserAbort);
    }
  }

  /** Builds the request of one attempt: path and query, headers (with a fresh token), body. */
  async #encode<T>(spec: RequestSpec<T>, endpoint: Endpoint, attempt: number, options: RequestOptions, signal: AttemptSignal): Promise<EncodedRequest> {
    const method = spec.method;
    const headers = this.#tokenSource ? await untilAborted(this.#headersWithToken(options.headers), signal) : this.#headers(options.headers);
    let body: string | Readable | undefined;
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers['content-type'] = 'application/json';
    } else if (spec.stream) {
      const stream = await spec.stream();
      body = stream.body;
      headers['content-type'] = stream.contentType;
      if (stream.contentLength !== undefined) headers['content-length'] = String(stream.contentLength);
    } else if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      // Flink reads an empty body as {}, but some proxies reject a body-less POST without a length.
      headers['content-length'] = '0';
    }
    const emitter = this.options.emitter;
    if (emitter.listenerCount('request') > 0) {
      emitter.emit('request', { method, url: this.#displayUrl(endpoint, spec), path: spec.path, attempt, headers: redactHeaders(headers, this.#sensitive) });
    }
    return { origin: endpoint.origin, path: endpoint.root + spec.path + queryString(spec.query), method, headers, body, started: performance.now() };
  }

  /** Sends the request and reads the whole answer, up to the size cap. */
  async #send(request: EncodedRequest, signal: AttemptSignal, progress: AttemptProgress): Promise<Answer> {
    const response = await this.#dispatcher.request({
      origin: request.origin,
      path: request.path,
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      // The attempt deadline governs; undici's own 300 s timers would only fire later.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    progress.sent = true;
    const lengthHeader = response.headers['content-length'];
    const contentLength = typeof lengthHeader === 'string' ? Number(lengthHeader) : undefined;
    const read = await readBody(response.body, this.options.maxResponseBytes, contentLength);
    return { status: response.statusCode, headers: response.headers, read, durationMs: performance.now() - request.started };
  }

  /** Turns an answer into the parsed value, or into a typed failure saying whether to try again. */
  #classifyAnswer<T>(spec: RequestSpec<T>, endpoint: Endpoint, attempt: number, answer: Answer): AttemptOutcome<T> {
    const { status, read } = answer;
    const method = spec.method;
    const emitter = this.options.emitter;
    if (emitter.listenerCount('response') > 0) {
      emitter.emit('response', { method, url: this.#displayUrl(endpoint, spec), path: spec.path, attempt, status, durationMs: answer.durationMs });
    }
    if (!read.ok) {
      return { ok: false, failure: { error: new FlinkResponseTooLargeError({ endpoint: `${method} ${spec.path}`, limit: this.options.maxResponseBytes }), retry: 'never', failover: false } };
    }
    if (status >= 200 && status < 300) return { ok: true, value: this.#parse(spec, read.text) };
    const { parsed, errors } = this.#errorBody(read.text);
    const error = mapHttpError({ status, method, url: this.#displayUrl(endpoint, spec), path: spec.path, errors, body: parsed, resource: spec.resource });
    const retryable = isTransientStatus(status);
    return {
      ok: false,
      failure: {
        error,
        retry: retryable ? 'idempotent' : 'never',
        failover: status === 502 || status === 503 || status === 504,
        retryAfterMs: retryable ? parseRetryAfter(answer.headers['retry-after']) : undefined,
      },
    };
  }

  /** Turns what an attempt threw (abort, deadline, transport failure) into a typed failure. */
  #classifyThrown<T>(
    spec: RequestSpec<T>,
    endpoint: Endpoint,
    err: unknown,
    at: { timeoutMs: number; options: RequestOptions; attemptSignal: AttemptSignal; sent: boolean },
  ): AttemptFailure {
    const method = spec.method;
    const signal = at.options.signal;
    if (signal?.aborted) return { error: new FlinkAbortError(signal.reason, `${method} ${spec.path}`), retry: 'never', failover: false };
    if (at.attemptSignal.reason === ATTEMPT_TIMEOUT) {
      const error = new FlinkTimeoutError({ phase: 'attempt', timeoutMs: at.timeoutMs, target: `${method} ${spec.path}` });
      // A timed-out attempt may still be processed by Flink: only repeat what is safe to repeat.
      return { error, retry: 'idempotent', failover: true };
    }
    if (err instanceof FlinkError) return { error: err, retry: 'never', failover: false };
    const error = new FlinkConnectionError({ method, url: this.#displayUrl(endpoint, spec), path: spec.path, cause: this.#scrubError(err) });
    const notSent = !at.sent && isNotSent(err);
    return {
      error,
      retry: notSent && (!spec.stream || spec.replayable) ? 'any' : isTransientTransportError(err) ? 'idempotent' : 'never',
      failover: true,
    };
  }

  #headers(extra: Record<string, string> | undefined): Record<string, string> {
    const headers = { ...this.#baseHeaders };
    if (extra) for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
    return headers;
  }

  /** The headers with a fresh token from the bearer token function, asked before every attempt. */
  async #headersWithToken(extra: Record<string, string> | undefined): Promise<Record<string, string>> {
    let token: string;
    try {
      token = await (this.#tokenSource as () => string | Promise<string>)();
    } catch (err) {
      throw new FlinkError('the bearer token provider failed', 'FLINK_AUTH_PROVIDER_FAILED', { cause: err });
    }
    if (typeof token !== 'string' || token.length === 0) {
      throw new FlinkError('the bearer token provider returned no token', 'FLINK_AUTH_PROVIDER_FAILED');
    }
    if (!this.#recentTokens.includes(token)) {
      // Remember a handful of recent tokens for scrubbing, not every token ever seen.
      this.#recentTokens.push(token);
      if (this.#recentTokens.length > 8) this.#recentTokens.shift();
    }
    return this.#headers({ authorization: `Bearer ${token}`, ...extra });
  }

  #parse<T>(spec: RequestSpec<T>, text: string): T {
    if (!spec.schema) return undefined as T;
    let json: unknown;
    try {
      json = text.length === 0 ? {} : JSON.parse(text);
    } catch (err) {
      throw new FlinkValidationError({
        endpoint: `${spec.method} ${spec.path}`,
        issues: [{ path: [], message: 'response is not JSON' }],
        body: truncate(this.#scrub(text)),
        notJson: true,
        cause: err,
      });
    }
    const mode = this.options.validation;
    if (mode === 'off' && !spec.alwaysValidate) return json as T;
    const result = spec.schema.validate(mode, json);
    if (result.success) return result.data;
    throw new FlinkValidationError({ endpoint: `${spec.method} ${spec.path}`, issues: toIssues(result.error), body: json });
  }

  #errorBody(raw: string): { parsed: unknown; errors: string[] } {
    const text = this.#scrub(raw);
    try {
      const parsed: unknown = JSON.parse(text);
      const raw = (parsed as { errors?: unknown } | null)?.errors;
      const errors = Array.isArray(raw) ? raw.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : [];
      return { parsed, errors };
    } catch {
      return { parsed: truncate(text), errors: [] };
    }
  }

  #scrub(text: string): string {
    if (this.#secrets.length === 0 && this.#recentTokens.length === 0) return text;
    return scrubSecrets(text, [...this.#secrets, ...this.#recentTokens]);
  }

  #scrubError(err: unknown): unknown {
    if (!(err instanceof Error)) return err;
    const scrubbed = this.#scrub(err.message);
    if (scrubbed === err.message) return err;
    const copy = new Error(scrubbed);
    copy.name = err.name;
    (copy as { code?: unknown }).code = (err as { code?: unknown }).code;
    return copy;
  }

  #displayUrl(endpoint: Endpoint, spec: RequestSpec<unknown>): string {
    // Built from parts the client controls: no userinfo is ever accepted, and query values are
    // the SDK's own (ids, flags), so nothing here needs redaction beyond that.
    return `${endpoint.origin}${endpoint.root}${spec.path}${queryString(spec.query)}`;
  }
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

function queryString(query: RequestSpec<unknown>['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function truncate(text: string): string {
  return text.length > TEXT_BODY_LIMIT ? `${text.slice(0, TEXT_BODY_LIMIT)}…[${text.length - TEXT_BODY_LIMIT} more characters]` : text;
}

function toIssues(error: ZodError): ValidationIssue[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
  }));
}

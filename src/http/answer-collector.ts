import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { AttemptSignal } from './attempt-signal.js';
import type { ReadBodyResult } from './read-body.js';

/**
 * A whole answer as the pipeline classifies it: status, the headers it reads (see `headersOf`) and
 * the body read as text (or too large).
 */
export interface CollectedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  read: ReadBodyResult;
}

/** Why the collector aborted a request whose body went over the cap (never seen by callers). */
class BodyTooLarge extends Error {}

/**
 * The resolvers of the promise being made: `new Promise(captureResolvers)` hands them over without
 * a closure per call (Node 20 has no `Promise.withResolvers`).
 */
let capturedResolve: ((answer: CollectedAnswer) => void) | undefined;
let capturedReject: ((err: unknown) => void) | undefined;
function captureResolvers(resolve: (answer: CollectedAnswer) => void, reject: (err: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

const NO_HEADERS: IncomingHttpHeaders = Object.freeze({}) as IncomingHttpHeaders;

/**
 * Sends one request through `dispatcher.dispatch()` and reads its whole answer into memory: the
 * undici handler the pipeline uses for every call that does not stream its response.
 *
 * `dispatcher.request()` makes, per request, an AsyncResource, a Readable stream for the body
 * and a consumer that reads the stream back; for a body that is read whole anyway, that was the
 * largest part of the SDK's cost per call over a bare socket. This handler keeps the chunks and
 * decodes them once at the end. It keeps what the pipeline relied on: `signal` (the attempt's
 * deadline, the caller's signal, `close()`) cancels the request at any phase, queued for a
 * connection, waiting for headers or reading the body, and settles the promise at once; a body
 * over `limit` bytes (by Content-Length or as it arrives) aborts the request, so it cannot exhaust
 * memory; `started` tells whether an answer began to arrive (the request was sent) when it failed.
 *
 * It implements the handler methods undici 7 runs on inside (`onConnect`, `onHeaders`, `onData`,
 * `onComplete`, `onError`), which its types mark deprecated in favour of `onRequestStart` and
 * friends: a handler of those is wrapped per request in an adapter and a controller that parse the
 * raw headers and trailers into objects (two more objects and two parses per call, measured at
 * 1 000 calls in flight). Both shapes are supported throughout undici 7; the pipeline's tests drive
 * this one through every phase.
 */
export class AnswerCollector implements Dispatcher.DispatchHandler {
  /** Whether the answer's status line and headers arrived. */
  started = false;
  readonly #limit: number;
  readonly #signal: AttemptSignal;
  #resolve: ((answer: CollectedAnswer) => void) | undefined;
  #reject: ((err: unknown) => void) | undefined;
  #abortRequest: ((reason: Error) => void) | undefined;
  #settled = false;
  #status = 0;
  #headers: IncomingHttpHeaders = NO_HEADERS;
  #chunks: Buffer[] = [];
  #size = 0;

  /** A collector for one attempt: answers over `limit` bytes are refused, `signal` cancels it. */
  constructor(limit: number, signal: AttemptSignal) {
    this.#limit = limit;
    this.#signal = signal;
  }

  /**
   * Dispatches `options` on `dispatcher` and resolves with the whole answer; rejects with the
   * signal's reason when it aborts, or with undici's error (a refused or reset connection).
   * Called once per collector.
   */
  collect(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<CollectedAnswer> {
    const promise = new Promise<CollectedAnswer>(captureResolvers);
    this.#resolve = capturedResolve;
    this.#reject = capturedReject;
    capturedResolve = capturedReject = undefined;
    const signal = this.#signal;
    if (signal.aborted) {
      this.#fail(signal.reason);
      return promise;
    }
    signal.watch(this);
    try {
      dispatcher.dispatch(options, this);
    } catch (err) {
      this.#fail(err);
    }
    return promise;
  }

  /** Called by the attempt's signal when it aborts: cancels the request wherever it is. */
  signalAborted(reason: unknown): void {
    this.#abortRequest?.(reason instanceof Error ? reason : new Error(String(reason)));
    this.#fail(reason);
  }

  #settle(): void {
    this.#settled = true;
    this.#abortRequest = undefined;
    this.#signal.unwatch(this);
  }

  #fail(err: unknown): void {
    if (this.#settled) return;
    this.#settle();
    this.#chunks = [];
    this.#reject?.(err);
  }

  #tooLarge(): void {
    if (this.#settled) return;
    const abort = this.#abortRequest;
    this.#settle();
    this.#chunks = [];
    this.#resolve?.({ status: this.#status, headers: this.#headers, read: { ok: false, tooLarge: true } });
    // Stops the transfer and closes the connection, so the rest of the body is never read.
    abort?.(new BodyTooLarge('response body over maxResponseBytes'));
  }

  onConnect(abort: (reason?: Error) => void): void {
    // A request aborted while it waited for a connection is dropped as soon as it gets one.
    if (this.#settled) {
      abort(new Error('the attempt ended before the request was sent'));
      return;
    }
    this.#abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null): boolean {
    // 1xx answers (100 Continue) come before the real one.
    if (statusCode < 200 || this.#settled) return true;
    this.started = true;
    this.#status = statusCode;
    this.#headers = rawHeaders ? headersOf(rawHeaders) : NO_HEADERS;
    if (rawHeaders && declaredLength(rawHeaders) > this.#limit) this.#tooLarge();
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#settled) return true;
    this.#size += chunk.length;
    if (this.#size > this.#limit) {
      this.#tooLarge();
      return true;
    }
    this.#chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.#settled) return;
    this.#settle();
    const chunks = this.#chunks;
    this.#chunks = [];
    const text = chunks.length === 0 ? '' : (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#size)).toString('utf8');
    this.#resolve?.({ status: this.#status, headers: this.#headers, read: { ok: true, text } });
  }

  onError(error: Error): void {
    this.#fail(error);
  }
}

/** The answer headers the pipeline reads, by the length of their names (a cheap first test). */
const READ_HEADERS = new Map<number, readonly string[]>([
  [12, ['content-type']],
  [11, ['retry-after']],
  [8, ['location']],
]);

/**
 * The headers of an answer that the pipeline reads (`content-type`, `retry-after`, `location`; the
 * first of a repeated one), under lower-case names. Decoding every
 * raw header into strings was the collector's largest cost per call; the others are skipped by the
 * length of their names, and a name is compared without being decoded.
 */
function headersOf(raw: readonly (Buffer | string)[]): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as Buffer | string;
    const candidates = READ_HEADERS.get(name.length);
    if (candidates === undefined) continue;
    for (const wanted of candidates) {
      if (!sameName(name, wanted)) continue;
      if (headers[wanted] === undefined) headers[wanted] = (raw[i + 1] as Buffer | string).toString('latin1');
      break;
    }
  }
  return headers;
}

/**
 * The Content-Length an answer declares, read from the raw bytes; 0 when absent or not a plain
 * decimal (the body's own size is then capped as it arrives).
 */
function declaredLength(raw: readonly (Buffer | string)[]): number {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as Buffer | string;
    if (name.length !== 14 || !sameName(name, 'content-length')) continue;
    const value = raw[i + 1] as Buffer | string;
    let n = 0;
    for (let j = 0; j < value.length; j++) {
      const c = typeof value === 'string' ? value.charCodeAt(j) : (value[j] as number);
      if (c < 0x30 || c > 0x39) return c === 0x20 || c === 0x09 ? n : 0;
      n = n * 10 + (c - 0x30);
    }
    return n;
  }
  return 0;
}

/** Whether a raw header name equals `lower` (lower-case ASCII) whatever its case. */
function sameName(name: Buffer | string, lower: string): boolean {
  if (typeof name === 'string') return name.toLowerCase() === lower;
  for (let j = 0; j < lower.length; j++) {
    const c = name[j] as number;
    // ASCII letters differ from their lower case in bit 0x20 only; other bytes must match exactly.
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower.charCodeAt(j)) return false;
  }
  return true;
}

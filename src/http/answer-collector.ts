import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { AttemptSignal } from './attempt-signal.js';
import type { ReadBodyResult } from './read-body.js';

/** A whole answer as the pipeline classifies it: status, headers and the body read as text (or too large). */
export interface CollectedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  read: ReadBodyResult;
}

/** Why the collector aborted a request whose body went over the cap (never seen by callers). */
class BodyTooLarge extends Error {}

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
 */
export class AnswerCollector implements Dispatcher.DispatchHandler {
  /** Whether the answer's status line and headers arrived. */
  started = false;
  readonly #limit: number;
  readonly #signal: AttemptSignal;
  #resolve: (answer: CollectedAnswer) => void = () => undefined;
  #reject: (err: unknown) => void = () => undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #settled = false;
  #status = 0;
  #headers: IncomingHttpHeaders = {};
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
    return new Promise<CollectedAnswer>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      const signal = this.#signal;
      if (signal.aborted) return this.#fail(signal.reason);
      signal.on('abort', this.#onAbort);
      try {
        dispatcher.dispatch(options, this);
      } catch (err) {
        this.#fail(err);
      }
    });
  }

  readonly #onAbort = (): void => {
    const reason = this.#signal.reason;
    this.#controller?.abort(reason instanceof Error ? reason : new Error(String(reason)));
    this.#fail(reason);
  };

  #settle(): void {
    this.#settled = true;
    this.#signal.removeListener('abort', this.#onAbort);
  }

  #fail(err: unknown): void {
    if (this.#settled) return;
    this.#settle();
    this.#chunks = [];
    this.#reject(err);
  }

  #tooLarge(controller: Dispatcher.DispatchController): void {
    if (this.#settled) return;
    this.#settle();
    this.#chunks = [];
    this.#resolve({ status: this.#status, headers: this.#headers, read: { ok: false, tooLarge: true } });
    // Stops the transfer and closes the connection, so the rest of the body is never read.
    controller.abort(new BodyTooLarge('response body over maxResponseBytes'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // A request aborted while it waited for a connection is dropped as soon as it gets one.
    if (this.#settled) {
      controller.abort(new Error('the attempt ended before the request was sent'));
      return;
    }
    this.#controller = controller;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // 1xx answers (100 Continue) come before the real one.
    if (statusCode < 200 || this.#settled) return;
    this.started = true;
    this.#status = statusCode;
    this.#headers = headers;
    const length = headers['content-length'];
    if (typeof length === 'string' && Number(length) > this.#limit) this.#tooLarge(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    this.#size += chunk.length;
    if (this.#size > this.#limit) return this.#tooLarge(controller);
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    this.#settle();
    const chunks = this.#chunks;
    this.#chunks = [];
    const text = chunks.length === 0 ? '' : (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#size)).toString('utf8');
    this.#resolve({ status: this.#status, headers: this.#headers, read: { ok: true, text } });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#fail(error);
  }
}

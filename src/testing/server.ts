import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

/** Flink's default `rest.server.max-content-length`: 100 MiB. */
const MAX_BODY_BYTES = 104_857_600;

/** The body of a request without one (shared: it has no bytes to change). */
const NO_BODY = Buffer.alloc(0);

/** A request as the server received it (for request logs of tests). @internal */
export interface ReceivedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body, or undefined when it was larger than `keepBodyBytes` (then only counted). */
  body: Buffer | undefined;
  bodyBytes: number;
}

/** Options of {@link HandlerServer}. @internal */
export interface HandlerServerOptions {
  /** The interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Serve HTTPS with these options. */
  tls?: HttpsServerOptions;
  /** Bodies above this answer 413 (Flink's `rest.server.max-content-length`). @default 104857600 */
  maxBodyBytes?: number;
  /**
   * Bodies above this are counted, not kept: the handlers get an empty body (upload tests stream
   * hundreds of MB with flat memory). @default Infinity
   */
  keepBodyBytes?: number;
  /** Called with every request before the handlers answer it. */
  onRequest?(request: ReceivedRequest): void;
  /**
   * Answers requests without msw where it can (the simulator's compiled route table): returns
   * the answer, or undefined to let the msw handlers answer.
   */
  fastPath?: FastPath;
}

/** A request as a {@link FastPath} gets it. @internal */
export interface FastRequest {
  readonly method: string;
  /** `url.pathname`, read without parsing a URL when the target is plain (most are). */
  readonly pathname: string;
  /** `url.search`: `''` or the query with its `?`. */
  readonly search: string;
  /** The URL as msw handlers would see it (the server's origin and the path as received), made when read. */
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  /** The body; undefined when it was only counted (above `keepBodyBytes`). */
  readonly body: Buffer | undefined;
  readonly bodyBytes: number;
  /** The fetch `Request` the msw handlers would get, made on the first call. */
  toRequest(): Request;
}

/**
 * What a {@link FastPath} answers: `'destroy'` drops the connection (as `HttpResponse.error()`
 * does); otherwise status, headers and body, and with `cutAfter` only that many body bytes are
 * sent before the connection is cut (a truncated answer). `sent` is called once a whole body
 * reached the socket (its owner may then reuse the buffer). @internal
 */
export type FastAnswer = 'destroy' | { status: number; headers: Record<string, string>; body: string | Buffer; cutAfter?: number; sent?: () => void };

/** A fast path of a {@link HandlerServer}: the answer, or undefined to let msw answer. @internal */
export type FastPath = (request: FastRequest) => FastAnswer | Promise<FastAnswer> | undefined;

/**
 * A request target whose WHATWG-parsed pathname and search are the target itself: no
 * percent-escapes, no dot segments, no characters the URL parser would encode or change.
 */
const PLAIN_TARGET = /^\/[A-Za-z0-9_~\-./]*(?:\?[A-Za-z0-9_~\-.=&+,:@/]*)?$/;

/** The pathname and search `new URL(origin + target)` gives, or undefined when only the parser can tell. */
function plainTarget(target: string): { pathname: string; search: string } | undefined {
  if (!PLAIN_TARGET.test(target)) return undefined;
  const q = target.indexOf('?');
  const pathname = q < 0 ? target : target.slice(0, q);
  // A dot segment (`/.`, `/..`) is removed by the parser.
  if (pathname.includes('/.')) return undefined;
  // An empty query (`/x?`) has the search `''`.
  return { pathname, search: q < 0 || q === target.length - 1 ? '' : target.slice(q) };
}

/**
 * The one msw <-> node:http bridge (the simulator's server and the tests' loopback servers).
 * A real loopback HTTP server that answers with msw request handlers (msw cannot intercept
 * undici, so clients such as the SDK need a real socket): every request becomes a fetch
 * `Request`, goes through msw's `getResponse`, and the `Response` is written back. A handler that
 * returns `HttpResponse.error()` gets its connection destroyed; a body stream that fails cuts the
 * connection mid-body. With a `fastPath` (the simulator's route table) most requests skip msw and
 * the fetch objects altogether.
 *
 * Connections are kept as Flink's REST server keeps them: no idle timeout (Flink's Netty pipeline
 * has no idle handler) and no `Date` or `Keep-Alive` header; `connection: keep-alive` is sent as
 * Flink sends it. @internal
 */
export class HandlerServer {
  readonly #handlers: () => RequestHandler[];
  readonly #host: string;
  readonly #options: HandlerServerOptions;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #port = 0;
  #origin: { port: number; text: string } | undefined;
  #listening = false;
  #closed = false;
  /** While true, new connections are destroyed at once (a JobManager that resets connections). */
  resetConnections = false;

  constructor(handlers: () => RequestHandler[], options: HandlerServerOptions = {}) {
    this.#handlers = handlers;
    this.#host = options.host ?? '127.0.0.1';
    this.#options = options;
    const listener = (req: IncomingMessage, res: ServerResponse): void => {
      let pending: Promise<void> | undefined;
      try {
        pending = this.#handle(req, res);
      } catch {
        res.destroy();
        return;
      }
      pending?.catch(() => res.destroy());
    };
    this.#server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
    // Node closes idle keep-alive connections after 5 s and announces it in a `Keep-Alive`
    // header; Flink does neither, and clients' pools must see the same.
    this.#server.keepAliveTimeout = 0;
    this.#server.on('connection', (socket: Socket) => {
      if (this.resetConnections || this.#closed) {
        socket.destroy();
        return;
      }
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    this.#server.on('clientError', (_err, socket) => socket.destroy());
  }

  /** The origin the server answers on. */
  get origin(): string {
    // Read per request: made once per port.
    if (this.#origin?.port !== this.#port) {
      const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
      this.#origin = { port: this.#port, text: `${this.#options.tls ? 'https' : 'http'}://${host}:${this.#port}` };
    }
    return this.#origin.text;
  }

  /** Open connections right now. */
  get openSockets(): number {
    return this.#sockets.size;
  }

  /** Starts listening (on `port`, 0 for any free port). */
  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.#server.once('error', onError);
      this.#server.listen(port, this.#host, () => {
        this.#server.off('error', onError);
        this.#port = (this.#server.address() as AddressInfo).port;
        this.#listening = true;
        resolve();
      });
    });
  }

  /** Destroys every open connection. */
  destroySockets(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  /** Stops accepting connections (clients get ECONNREFUSED) and drops open ones. */
  stopListening(): Promise<void> {
    this.destroySockets();
    if (!this.#listening) return Promise.resolve();
    this.#listening = false;
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  resume(): Promise<void> {
    if (this.#listening || this.#closed) return Promise.resolve();
    return this.listen(this.#port);
  }

  /** Stops the server for good, closing every connection. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.stopListening();
  }

  /** Answers one request: synchronously when the fast path answers at once, else the promise of it. */
  #handle(req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
    res.sendDate = false;
    // Without Content-Length or Transfer-Encoding an HTTP/1.1 request has no body: skip the
    // stream's async iterator (most requests are such GETs).
    const bodyless = req.headers['transfer-encoding'] === undefined && (req.headers['content-length'] === undefined || req.headers['content-length'] === '0');
    return bodyless ? this.#answer(req, res, NO_BODY, 0) : this.#readBody(req, res);
  }

  async #readBody(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const max = this.#options.maxBodyBytes ?? MAX_BODY_BYTES;
    const keep = this.#options.keepBodyBytes ?? Number.POSITIVE_INFINITY;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) {
        res.writeHead(413, { 'content-type': 'application/json; charset=UTF-8', connection: 'close' });
        res.end(JSON.stringify({ errors: [`Request entity too large: more than ${max} bytes.`] }));
        req.socket.destroy();
        return;
      }
      if (size <= keep) chunks.push(chunk);
    }
    const body = size <= keep ? (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)) : undefined;
    await this.#answer(req, res, body, size);
  }

  #answer(req: IncomingMessage, res: ServerResponse, body: Buffer | undefined, size: number): Promise<void> | undefined {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    this.#options.onRequest?.({ method, url: target, headers: req.headers, body, bodyBytes: size });
    const href = this.origin + target;
    const fast = this.#options.fastPath;
    if (fast) {
      const plain = plainTarget(target);
      let url: URL | undefined;
      if (!plain) {
        try {
          url = new URL(href);
        } catch {
          // msw's path below answers what a URL that does not parse gets.
        }
      }
      if (plain || url) {
        const request = new ReceivedFastRequest(method, href, plain?.pathname ?? (url as URL).pathname, plain?.search ?? (url as URL).search, url, req.headers, body, size);
        const pending = fast(request);
        if (pending instanceof Promise) {
          return pending.then(
            (answer) => writeFastAnswer(req, res, answer),
            (err: unknown) => handlerThrew(res, err),
          );
        }
        if (pending !== undefined) {
          writeFastAnswer(req, res, pending);
          return undefined;
        }
        return this.#viaMsw(req, res, request.toRequest());
      }
    }
    return this.#viaMsw(req, res, toFetchRequest(href, method, req.headers, body, size));
  }

  async #viaMsw(req: IncomingMessage, res: ServerResponse, request: Request): Promise<void> {
    let response: Response | undefined;
    try {
      response = await getResponse(this.#handlers(), request);
    } catch (err) {
      handlerThrew(res, err);
      return;
    }
    if (!response) {
      res.writeHead(404, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify({ errors: [`Not found: ${req.url ?? '/'}`] }));
      return;
    }
    if (response.type === 'error') {
      req.socket.destroy();
      return;
    }
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      outHeaders[name] = value;
    });
    res.writeHead(response.status, outHeaders);
    if (!response.body) {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        // Wait until each chunk reached the socket, so a cut after it leaves exactly these bytes sent.
        await new Promise<void>((resolve) => res.write(value, () => resolve()));
      }
      res.end();
    } catch {
      // A failing body (a truncate fault): cut the connection where the bytes stopped.
      req.socket.destroy();
    }
  }
}

/** The fetch `Request` msw handlers get for a received request. */
function toFetchRequest(href: string, method: string, received: IncomingHttpHeaders, body: Buffer | undefined, size: number): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(received)) {
    if (value === undefined) continue;
    for (const v of [value].flat()) headers.append(name, v);
  }
  const hasBody = method !== 'GET' && method !== 'HEAD' && size > 0;
  return new Request(href, { method, headers, body: hasBody ? (body ?? Buffer.alloc(0)) : undefined });
}

/** A {@link FastRequest}: the URL and the fetch `Request` are made only if read. */
class ReceivedFastRequest implements FastRequest {
  #url: URL | undefined;
  #request: Request | undefined;

  constructor(
    readonly method: string,
    readonly href: string,
    readonly pathname: string,
    readonly search: string,
    url: URL | undefined,
    readonly headers: IncomingHttpHeaders,
    readonly body: Buffer | undefined,
    readonly bodyBytes: number,
  ) {
    this.#url = url;
  }

  get url(): URL {
    this.#url ??= new URL(this.href);
    return this.#url;
  }

  toRequest(): Request {
    this.#request ??= toFetchRequest(this.href, this.method, this.headers, this.body, this.bodyBytes);
    return this.#request;
  }
}

function handlerThrew(res: ServerResponse, err: unknown): void {
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errors: [`request handler threw: ${err instanceof Error ? err.message : String(err)}`] }));
}

function writeFastAnswer(req: IncomingMessage, res: ServerResponse, answer: FastAnswer): void {
  if (answer === 'destroy') {
    req.socket.destroy();
    return;
  }
  res.writeHead(answer.status, answer.headers);
  if (answer.cutAfter === undefined) {
    const sent = answer.sent;
    // 'finish': every byte was handed to the socket, so the answer's owner may reuse the buffer.
    if (sent) res.end(answer.body, () => sent());
    else res.end(answer.body);
    return;
  }
  const bytes = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  // Cut the connection once exactly these bytes reached the socket.
  res.write(bytes.subarray(0, answer.cutAfter), () => req.socket.destroy());
}

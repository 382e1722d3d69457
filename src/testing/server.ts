import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

/** Flink's default `rest.server.max-content-length`: 100 MiB. */
const MAX_BODY_BYTES = 104_857_600;

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
}

/**
 * The one msw <-> node:http bridge (the simulator's server and the tests' loopback servers).
 * A real loopback HTTP server that answers with msw request handlers (msw cannot intercept
 * undici, so clients such as the SDK need a real socket): every request becomes a fetch
 * `Request`, goes through msw's `getResponse`, and the `Response` is written back. A handler that
 * returns `HttpResponse.error()` gets its connection destroyed; a body stream that fails cuts the
 * connection mid-body. @internal
 */
export class HandlerServer {
  readonly #handlers: () => RequestHandler[];
  readonly #host: string;
  readonly #options: HandlerServerOptions;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #port = 0;
  #listening = false;
  #closed = false;
  /** While true, new connections are destroyed at once (a JobManager that resets connections). */
  resetConnections = false;

  constructor(handlers: () => RequestHandler[], options: HandlerServerOptions = {}) {
    this.#handlers = handlers;
    this.#host = options.host ?? '127.0.0.1';
    this.#options = options;
    const listener = (req: IncomingMessage, res: ServerResponse): void => {
      this.#handle(req, res).catch(() => res.destroy());
    };
    this.#server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
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
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    return `${this.#options.tls ? 'https' : 'http'}://${host}:${this.#port}`;
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

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    const body = size <= keep ? Buffer.concat(chunks, size) : undefined;
    const method = req.method ?? 'GET';
    this.#options.onRequest?.({ method, url: req.url ?? '/', headers: req.headers, body, bodyBytes: size });
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const v of [value].flat()) headers.append(name, v);
    }
    const hasBody = method !== 'GET' && method !== 'HEAD' && size > 0;
    const request = new Request(this.origin + (req.url ?? '/'), {
      method,
      headers,
      body: hasBody ? (body ?? Buffer.alloc(0)) : undefined,
    });
    let response: Response | undefined;
    try {
      response = await getResponse(this.#handlers(), request);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [`request handler threw: ${err instanceof Error ? err.message : String(err)}`] }));
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

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

/** Flink's default `rest.server.max-content-length`: 100 MiB. */
const MAX_BODY_BYTES = 104_857_600;

/**
 * A real loopback HTTP server that answers with msw request handlers (msw cannot intercept
 * undici, so clients such as the SDK need a real socket): every request becomes a fetch
 * `Request`, goes through msw's `getResponse`, and the `Response` is written back. A handler that
 * returns `HttpResponse.error()` gets its connection destroyed; a body stream that fails cuts the
 * connection mid-body. @internal
 */
export class HandlerServer {
  readonly #handlers: () => RequestHandler[];
  readonly #host: string;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #port = 0;
  #listening = false;
  #closed = false;
  /** While true, new connections are destroyed at once (a JobManager that resets connections). */
  resetConnections = false;

  constructor(handlers: () => RequestHandler[], host: string) {
    this.#handlers = handlers;
    this.#host = host;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(() => res.destroy());
    });
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
    return `http://${host}:${this.#port}`;
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
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413, { 'content-type': 'application/json; charset=UTF-8', connection: 'close' });
        res.end(JSON.stringify({ errors: [`Request entity too large: more than ${MAX_BODY_BYTES} bytes.`] }));
        req.socket.destroy();
        return;
      }
      chunks.push(chunk);
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const v of [value].flat()) headers.append(name, v);
    }
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD' && size > 0;
    const request = new Request(this.origin + (req.url ?? '/'), {
      method,
      headers,
      body: hasBody ? Buffer.concat(chunks, size) : undefined,
    });
    const response = await getResponse(this.#handlers(), request);
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

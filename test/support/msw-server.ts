import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { getResponse, type RequestHandler } from 'msw';

/** A request the loopback server received. */
export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text (bodies of upload tests are counted, not kept: see `bodyBytes`). */
  body: string;
  bodyBytes: number;
}

/** A running loopback server that answers with msw handlers. */
export interface MswServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Prepends handlers (they win over the initial ones), like msw's `server.use`. */
  use(...handlers: RequestHandler[]): void;
  /** Drops handlers added with `use` and the request log. */
  reset(): void;
  /** Open sockets right now (for leak checks). */
  openSockets(): number;
  close(): Promise<void>;
}

/** Options of {@link startMswServer}. */
export interface MswServerOptions {
  tls?: HttpsOptions;
  /** Keep request bodies up to this many bytes as text (default 1 MiB); larger ones are only counted. */
  keepBodyBytes?: number;
}

/**
 * msw does not intercept undici, so tests serve msw handlers from a real loopback node:http
 * server through msw's `getResponse`. This keeps msw's handler style and exercises real sockets,
 * timeouts and aborts. A handler returning `HttpResponse.error()` destroys the socket.
 */
export async function startMswServer(initial: RequestHandler[], options: MswServerOptions = {}): Promise<MswServer> {
  let extra: RequestHandler[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const keep = options.keepBodyBytes ?? 1024 * 1024;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes <= keep) chunks.push(chunk);
    }
    const bodyBuffer = Buffer.concat(chunks);
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: bytes <= keep ? bodyBuffer.toString('utf8') : '', bodyBytes: bytes });
    const origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const v of [value].flat()) headers.append(name, v);
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && bytes > 0;
    const request = new Request(origin + (req.url ?? '/'), {
      method: req.method,
      headers,
      body: hasBody ? (bytes <= keep ? bodyBuffer : Buffer.alloc(0)) : undefined,
    });
    let response: Response | undefined;
    try {
      response = await getResponse([...extra, ...initial], request);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [`test handler threw: ${(err as Error).message}`] }));
      return;
    }
    if (!response) {
      res.writeHead(404, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify({ errors: [`Not found: ${req.url}`] }));
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
    if (response.body) {
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).on('error', () => res.destroy()).pipe(res);
    } else {
      res.end();
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => res.destroy());
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    use: (...handlers) => {
      extra = [...handlers, ...extra];
    },
    reset: () => {
      extra = [];
      requests.length = 0;
    },
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

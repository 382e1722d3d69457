import type { ServerOptions as HttpsOptions } from 'node:https';
import type { RequestHandler } from 'msw';
import { HandlerServer } from '../../src/testing/server.js';

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
 * msw does not intercept undici, so tests serve msw handlers from a real loopback server: the
 * simulator's own msw <-> node:http bridge (src/testing/server.ts), with a request log and
 * `use()`/`reset()` like msw's `setupServer`. A handler returning `HttpResponse.error()` destroys
 * the socket.
 */
export async function startMswServer(initial: RequestHandler[], options: MswServerOptions = {}): Promise<MswServer> {
  let extra: RequestHandler[] = [];
  const requests: RecordedRequest[] = [];
  const server = new HandlerServer(() => [...extra, ...initial], {
    host: '127.0.0.1',
    tls: options.tls,
    maxBodyBytes: Number.POSITIVE_INFINITY,
    keepBodyBytes: options.keepBodyBytes ?? 1024 * 1024,
    onRequest: (r) => requests.push({ method: r.method, url: r.url, headers: r.headers, body: r.body?.toString('utf8') ?? '', bodyBytes: r.bodyBytes }),
  });
  await server.listen(0);
  const port = Number(new URL(server.origin).port);
  return {
    url: server.origin,
    port,
    requests,
    use: (...handlers) => {
      extra = [...handlers, ...extra];
    },
    reset: () => {
      extra = [];
      requests.length = 0;
    },
    openSockets: () => server.openSockets,
    close: () => server.close(),
  };
}

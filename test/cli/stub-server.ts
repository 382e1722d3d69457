import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP stub for routes the simulator does not serve: `handle` answers each request; `requests` records them. */
export interface Stub {
  url: string;
  requests: string[];
  /** Resolves on the `count`-th request from now on whose path and query match (an event, no polling). */
  next(match: RegExp, count?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startStub(handle: (req: IncomingMessage, res: ServerResponse, url: URL) => void): Promise<Stub> {
  const requests: string[] = [];
  const waiters: Array<(path: string) => void> = [];
  const server = createServer((req, res) => {
    // The SDK sends Flink's versioned paths (`/v1/...`); routes here are written without the prefix.
    const url = new URL((req.url ?? '/').replace(/^\/v1(?=\/)/, ''), 'http://stub');
    const path = `${req.method} ${url.pathname}${url.search}`;
    requests.push(path);
    handle(req, res, url);
    for (const w of [...waiters]) w(path);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    next: (match, count = 1) =>
      new Promise<void>((resolve) => {
        let seen = 0;
        const w = (path: string): void => {
          if (!match.test(path) || ++seen < count) return;
          waiters.splice(waiters.indexOf(w), 1);
          resolve();
        };
        waiters.push(w);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

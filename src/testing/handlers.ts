import { http, HttpResponse, type RequestHandler } from 'msw';
import type { FastAnswer, FastPath, FastRequest } from './server.js';
import { RouteTable } from './route-table.js';
import type { Fault, FaultRegistry } from './faults.js';
import { internalServerError, LEADER_ELECTION_BODY } from './java.js';
import type { ClusterModel } from './model.js';
import { type RouteContext, type RouteResult, type RouteSettings, unknownRoute } from './route-kit.js';
import { ROUTES } from './routes.js';
import type { SimulatorRequest } from './state.js';

/** What the handlers need from the simulator. @internal */
export interface HandlerHost {
  readonly model: ClusterModel;
  readonly faults: FaultRegistry;
  readonly settings: RouteSettings;
  /** The simulator was closed, or the cluster shut down. */
  isGone(): boolean;
  /** The JobManager is down (a simulated restart). */
  isDown(): boolean;
  /** A leader election is going on (503). */
  inLeaderElection(): boolean;
  /** Waits real milliseconds; false if the simulator closed meanwhile. */
  realDelay(ms: number): Promise<boolean>;
  log(entry: SimulatorRequest): void;
  /** Counts requests being handled. */
  inFlight(delta: 1 | -1): void;
}

const JSON_TYPE = 'application/json; charset=UTF-8';

/** The headers of JSON answers with CORS by body length (most answers): made once, shared, frozen. */
const jsonHeaders = new Map<number, Readonly<Record<string, string>>>();

function answerHeaders(contentLength: number, cors: boolean, type = JSON_TYPE): Record<string, string> {
  if (cors && type === JSON_TYPE && contentLength < 65_536) {
    let headers = jsonHeaders.get(contentLength);
    if (!headers) jsonHeaders.set(contentLength, (headers = Object.freeze({ 'access-control-allow-origin': '*', 'content-length': String(contentLength), 'content-type': JSON_TYPE })));
    return headers as Record<string, string>;
  }
  return cors
    ? { 'access-control-allow-origin': '*', 'content-length': String(contentLength), 'content-type': type }
    : { 'content-length': String(contentLength), 'content-type': type };
}

/** The bytes of an answer: a text route's text as is, or JSON (kept by the route, or made now). */
function bodyText(result: RouteResult): string | Buffer {
  if (result.contentType !== undefined) return String(result.body);
  return result.text ?? JSON.stringify(result.body);
}

function jsonAnswer(result: RouteResult): FastAnswer {
  const text = bodyText(result);
  const headers = answerHeaders(typeof text === 'string' ? Buffer.byteLength(text) : text.length, !result.staticHandler, result.contentType);
  return result.sent ? { status: result.status, headers, body: text, sent: result.sent } : { status: result.status, headers, body: text };
}

/** An answer that sends half its body and then cuts the connection. */
function truncatedAnswer(result: RouteResult): FastAnswer {
  const bytes = Buffer.from(bodyText(result));
  return { status: result.status, headers: answerHeaders(bytes.length, true, result.contentType), body: bytes, cutAfter: Math.max(1, Math.floor(bytes.length / 2)) };
}

function malformedAnswer(result: RouteResult): FastAnswer {
  const kept = bodyText(result);
  const text = typeof kept === 'string' ? kept : kept.toString('utf8');
  const broken = `${text.slice(0, Math.max(1, Math.floor(text.length / 2)))}\u0000<!-- simulated garbage -->`;
  return { status: 200, headers: answerHeaders(Buffer.byteLength(broken), true), body: broken };
}

/** The same answer as an msw `Response` (for handlers mounted in msw). */
function toResponse(answer: FastAnswer): Response {
  if (answer === 'destroy') return HttpResponse.error();
  if (answer.cutAfter === undefined) return new HttpResponse(answer.body, { status: answer.status, headers: answer.headers });
  const bytes = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  const half = bytes.subarray(0, answer.cutAfter);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(half));
    },
    pull(controller) {
      controller.error(new Error('connection cut by a simulated truncate fault'));
    },
  });
  return new HttpResponse(body, { status: answer.status, headers: answer.headers });
}

/** A request as the dispatcher reads it, from msw's `Request` or straight from node:http. */
interface Incoming {
  readonly method: string;
  /** The URL's pathname and search (`''` or with its `?`). */
  readonly pathname: string;
  readonly search: string;
  /** The URL's query parameters (made when read: most requests have none). */
  searchParams(): URLSearchParams;
  readonly contentType: string;
  text(): string | Promise<string>;
  request(): Request;
}

/**
 * A request of the fast path as the dispatcher reads it. A class rather than an object of
 * closures: a load test sends thousands of requests a second, and each closure is one more object
 * per request.
 */
class FastIncoming implements Incoming {
  readonly method: string;
  readonly pathname: string;
  readonly search: string;
  readonly contentType: string;
  readonly #req: FastRequest;
  #query: URLSearchParams | undefined;

  constructor(req: FastRequest) {
    this.#req = req;
    this.method = req.method;
    this.pathname = req.pathname;
    this.search = req.search;
    this.contentType = req.headers['content-type'] ?? '';
  }

  // One per request: a route may change its own copy.
  searchParams(): URLSearchParams {
    return (this.#query ??= new URLSearchParams(this.#req.search));
  }

  text(): string {
    return this.#req.body ? UTF8.decode(this.#req.body) : '';
  }

  request(): Request {
    return this.#req.toRequest();
  }
}

/** A route's exception as the answer Flink's dispatcher gives (500). */
function threw(err: unknown): RouteResult {
  return {
    status: 500,
    body: internalServerError({ className: 'java.lang.RuntimeException', message: `flink-client/testing simulator error: ${err instanceof Error ? err.message : String(err)}` }),
  };
}

/** What the dispatcher knows of a request once it is routed: enough for its log entry. */
interface Routed {
  readonly incoming: Incoming;
  readonly route: AnyRoute | undefined;
  readonly params: Record<string, string>;
  /** The path as received (with `/v1` if it was sent). */
  readonly rawPath: string;
  /** The path without the base path and `/v1` (what fault rules match). */
  readonly path: string;
}

function firstParam(value: string | readonly string[] | undefined): string {
  return typeof value === 'string' ? value : (value?.[0] ?? '');
}

function parseLoggedBody(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The simulator's routes, as msw handlers and as the compiled fast path of its own server. @internal */
export interface SimulatorHandlers {
  /** msw handlers: every route at `/v1/<path>` and `/<path>`, then the catch-all. */
  readonly handlers: RequestHandler[];
  /**
   * The same answers without msw, for the simulator's own {@link HandlerServer}: routes are found
   * in a compiled table with msw's matching and precedence (see route-table.ts).
   */
  readonly fastPath: FastPath;
}

type AnyRoute = (typeof ROUTES)[number];

/**
 * Builds the msw request handlers of a simulator for one base URL: every route at `/v1/<path>`
 * and at `/<path>`, then a catch-all that answers unknown paths as Flink does. @internal
 */
export function buildHandlers(host: HandlerHost, baseUrl: string): RequestHandler[] {
  return buildSimulatorHandlers(host, baseUrl).handlers;
}

const UTF8 = new TextDecoder();

/** {@link buildHandlers} and the fast path that answers the same. @internal */
export function buildSimulatorHandlers(host: HandlerHost, baseUrl: string): SimulatorHandlers {
  const base = baseUrl.replace(/\/+$/, '');
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  const profile = host.model.profile;
  const realDelay = async (ms: number): Promise<void> => {
    await host.realDelay(ms);
  };

  // The dispatcher answers synchronously unless something waits (a latency fault, a body read
  // through msw, an async route): no promise and no microtask per request for most calls.
  const serve = (incoming: Incoming, route: AnyRoute | undefined, params: Record<string, string>): FastAnswer | Promise<FastAnswer> => {
    host.inFlight(1);
    let answer: FastAnswer | Promise<FastAnswer>;
    try {
      answer = handle(incoming, route, params);
    } catch (err) {
      // As a rejection, the way the server and msw have always been told (a 500 from the server).
      host.inFlight(-1);
      return Promise.reject(err);
    }
    if (!(answer instanceof Promise)) {
      host.inFlight(-1);
      return answer;
    }
    return answer.finally(() => host.inFlight(-1));
  };

  const handle = (incoming: Incoming, route: AnyRoute | undefined, params: Record<string, string>): FastAnswer | Promise<FastAnswer> => {
    if (host.isGone() || host.isDown()) return 'destroy';
    const rawPath = incoming.pathname;
    const relative = rawPath.slice(basePath.length) || '/';
    const path = (relative.startsWith('/v1') && (relative.length === 3 || relative[3] === '/') ? relative.slice(3) : relative) || '/';
    const routed: Routed = { incoming, route, params, rawPath, path };
    const { latencyMs, fault } = host.faults.take(incoming.method, path);
    if (latencyMs > 0) return host.realDelay(latencyMs).then((alive) => (alive ? afterDelay(routed, fault) : 'destroy'));
    return afterDelay(routed, fault);
  };

  const afterDelay = (routed: Routed, fault: Fault | undefined): FastAnswer | Promise<FastAnswer> => {
    if (host.isGone() || host.isDown()) return 'destroy';
    const { incoming } = routed;
    const method = incoming.method;
    const multipart = incoming.contentType.toLowerCase().startsWith('multipart/');
    if (multipart || method === 'GET' || method === 'HEAD') return respond(routed, fault, undefined, multipart ? '<multipart/form-data>' : undefined);
    const text = incoming.text();
    if (typeof text === 'string') return respond(routed, fault, text, parseLoggedBody(text));
    return text.then((t) => respond(routed, fault, t, parseLoggedBody(t)));
  };

  const respond = (routed: Routed, fault: Fault | undefined, bodyText: string | undefined, requestBody: unknown): FastAnswer | Promise<FastAnswer> => {
    const { incoming, route } = routed;
    const method = incoming.method;
    if (host.inLeaderElection() || fault?.type === 'leader-election') {
      const result = { status: 503, body: LEADER_ELECTION_BODY };
      host.log(logEntry(routed, 503, result.body, fault?.type ?? 'leader-election', requestBody));
      return jsonAnswer(result);
    }
    if (fault?.type === 'error') {
      const status = fault.status ?? 500;
      const body = fault.errors
        ? { errors: fault.errors }
        : status === 503
          ? LEADER_ELECTION_BODY
          : internalServerError({ className: 'java.lang.RuntimeException', message: 'Simulated failure injected by flink-client/testing' });
      host.log(logEntry(routed, status, body, 'error', requestBody));
      return jsonAnswer({ status, body });
    }
    if (fault?.type === 'reset' && !fault.afterProcessing) {
      host.log(logEntry(routed, 0, undefined, 'reset', requestBody));
      return 'destroy';
    }
    if (!route) return finish(routed, fault, requestBody, unknownRoute(method, routed.rawPath, routed.rawPath + incoming.search));
    const ctx: RouteContext = {
      model: host.model,
      params: routed.params,
      query: incoming.searchParams(),
      method,
      rawPath: routed.rawPath,
      bodyText,
      // Made only for the routes that read it (multipart uploads).
      request: () => incoming.request(),
      settings: host.settings,
      realDelay,
    };
    let result: RouteResult | Promise<RouteResult>;
    try {
      result = route.handle(ctx);
    } catch (err) {
      result = threw(err);
    }
    if (result instanceof Promise) {
      return result.then(
        (r) => finish(routed, fault, requestBody, r),
        (err: unknown) => finish(routed, fault, requestBody, threw(err)),
      );
    }
    return finish(routed, fault, requestBody, result);
  };

  const finish = (routed: Routed, fault: Fault | undefined, requestBody: unknown, result: RouteResult): FastAnswer => {
    if (host.isGone() || host.isDown()) return 'destroy';
    if (fault?.type === 'reset') {
      host.log(logEntry(routed, 0, undefined, 'reset', requestBody));
      return 'destroy';
    }
    if (fault?.type === 'truncate') {
      host.log(logEntry(routed, result.status, undefined, 'truncate', requestBody));
      return truncatedAnswer(result);
    }
    if (fault?.type === 'malformed-json') {
      host.log(logEntry(routed, 200, undefined, 'malformed-json', requestBody));
      return malformedAnswer(result);
    }
    // Text answers (log files) are not logged: they can be large and are no JSON.
    if (result.contentType !== undefined) host.log(logEntry(routed, result.status, undefined, undefined, requestBody));
    else host.log(result.text === undefined ? logEntry(routed, result.status, result.body, undefined, requestBody) : logEntry(routed, result.status, undefined, undefined, requestBody, result));
    return jsonAnswer(result);
  };

  const logEntry = (routed: Routed, status: number, responseBody: unknown, fault: string | undefined, requestBody: unknown, answer?: RouteResult): SimulatorRequest => {
    const { incoming } = routed;
    const query = incoming.search === '' ? {} : Object.fromEntries(incoming.searchParams());
    const logged: SimulatorRequest = { method: incoming.method, path: routed.rawPath, query, route: routed.route?.path, requestBody, status, responseBody, fault, at: host.model.clock.now() };
    // A body sent as kept text is parsed only if someone reads the log entry (not a spread: that reads the getter).
    // Bytes the route reuses are not kept: the entry holds only what reads the body.
    const read = answer?.logBody;
    if (read) Object.defineProperty(logged, 'responseBody', { get: read, enumerable: true });
    else if (answer) Object.defineProperty(logged, 'responseBody', { get: () => answer.body, enumerable: true });
    return logged;
  };

  const fromMsw = (request: Request): Incoming => {
    const url = new URL(request.url);
    return {
      method: request.method.toUpperCase(),
      pathname: url.pathname,
      search: url.search,
      searchParams: () => url.searchParams,
      contentType: request.headers.get('content-type') ?? '',
      text: () => request.text(),
      request: () => request,
    };
  };

  const handlers: RequestHandler[] = [];
  const table = new RouteTable<AnyRoute>();
  for (const route of ROUTES) {
    if (route.applications && !profile.applications) continue;
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    for (const prefix of ['/v1', '']) {
      table.add(route.method, `${basePath}${prefix}${route.path}`, route);
      handlers.push(
        http[method](`${base}${prefix}${route.path}`, async ({ request, params }) => {
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(params)) flat[k] = firstParam(v as string | readonly string[] | undefined);
          return toResponse(await serve(fromMsw(request), route, flat));
        }),
      );
    }
  }
  handlers.push(http.all(`${base}/*`, async ({ request }) => toResponse(await serve(fromMsw(request), undefined, {}))));

  const fastPath: FastPath = (req) => {
    // The catch-all is `<base>/*`: with a path prefix in the base URL, msw decides what is under it.
    if (basePath !== '') return undefined;
    const found = table.match(req.method, req.pathname);
    if (found === undefined) return undefined;
    const incoming = new FastIncoming(req);
    return found ? serve(incoming, found.value, found.params) : serve(incoming, undefined, {});
  };
  return { handlers, fastPath };
}

import { http, HttpResponse, type RequestHandler } from 'msw';
import type { FaultRegistry } from './faults.js';
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

/** The bytes of an answer and their content type: JSON, or a text route's text as is. */
function encode(result: RouteResult): { text: string; type: string } {
  return result.contentType === undefined ? { text: JSON.stringify(result.body), type: JSON_TYPE } : { text: String(result.body), type: result.contentType };
}

/** What the request log keeps of an answer: JSON bodies; no text (log files can be large, and are no JSON). */
function loggedBody(result: RouteResult): unknown {
  return result.contentType === undefined ? result.body : undefined;
}

function jsonResponse(result: RouteResult): Response {
  const { text, type } = encode(result);
  const headers: Record<string, string> = { 'content-type': type, 'content-length': String(Buffer.byteLength(text)) };
  if (!result.staticHandler) headers['access-control-allow-origin'] = '*';
  return new HttpResponse(text, { status: result.status, headers });
}

/** A response that sends half its body and then fails, so the connection is cut mid-body. */
function truncatedResponse(result: RouteResult): Response {
  const { text, type } = encode(result);
  const bytes = Buffer.from(text);
  const half = bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(half));
    },
    pull(controller) {
      controller.error(new Error('connection cut by a simulated truncate fault'));
    },
  });
  return new HttpResponse(body, {
    status: result.status,
    headers: { 'content-type': type, 'content-length': String(bytes.length), 'access-control-allow-origin': '*' },
  });
}

function malformedResponse(result: RouteResult): Response {
  const { text } = encode(result);
  const broken = `${text.slice(0, Math.max(1, Math.floor(text.length / 2)))}\u0000<!-- simulated garbage -->`;
  return new HttpResponse(broken, {
    status: 200,
    headers: { 'content-type': JSON_TYPE, 'content-length': String(Buffer.byteLength(broken)), 'access-control-allow-origin': '*' },
  });
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

/**
 * Builds the msw request handlers of a simulator for one base URL: every route at `/v1/<path>`
 * and at `/<path>`, then a catch-all that answers unknown paths as Flink does. @internal
 */
export function buildHandlers(host: HandlerHost, baseUrl: string): RequestHandler[] {
  const base = baseUrl.replace(/\/+$/, '');
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  const profile = host.model.profile;

  const serve = async (request: Request, route: (typeof ROUTES)[number] | undefined, params: Record<string, string>): Promise<Response> => {
    host.inFlight(1);
    try {
      return await handle(request, route, params);
    } finally {
      host.inFlight(-1);
    }
  };

  const handle = async (request: Request, route: (typeof ROUTES)[number] | undefined, params: Record<string, string>): Promise<Response> => {
    if (host.isGone() || host.isDown()) return HttpResponse.error();
    const url = new URL(request.url);
    const rawPath = url.pathname;
    const relative = rawPath.slice(basePath.length) || '/';
    const path = relative.replace(/^\/v1(?=\/|$)/, '') || '/';
    const method = request.method.toUpperCase();
    const query = Object.fromEntries(url.searchParams);
    const model = host.model;
    const entry = (status: number, responseBody: unknown, fault: string | undefined, requestBody: unknown): SimulatorRequest => ({
      method,
      path: rawPath,
      query,
      route: route?.path,
      requestBody,
      status,
      responseBody,
      fault,
      at: model.clock.now(),
    });

    const { latencyMs, fault } = host.faults.take(method, path);
    if (latencyMs > 0 && !(await host.realDelay(latencyMs))) return HttpResponse.error();
    if (host.isGone() || host.isDown()) return HttpResponse.error();

    const multipart = (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/');
    const bodyText = multipart || method === 'GET' || method === 'HEAD' ? undefined : await request.text();
    const requestBody = multipart ? '<multipart/form-data>' : parseLoggedBody(bodyText);

    if (host.inLeaderElection() || fault?.type === 'leader-election') {
      const result = { status: 503, body: LEADER_ELECTION_BODY };
      host.log(entry(503, result.body, fault?.type ?? 'leader-election', requestBody));
      return jsonResponse(result);
    }
    if (fault?.type === 'error') {
      const status = fault.status ?? 500;
      const body = fault.errors
        ? { errors: fault.errors }
        : status === 503
          ? LEADER_ELECTION_BODY
          : internalServerError({ className: 'java.lang.RuntimeException', message: 'Simulated failure injected by flink-client/testing' });
      host.log(entry(status, body, 'error', requestBody));
      return jsonResponse({ status, body });
    }
    if (fault?.type === 'reset' && !fault.afterProcessing) {
      host.log(entry(0, undefined, 'reset', requestBody));
      return HttpResponse.error();
    }

    let result: RouteResult;
    if (!route) {
      result = unknownRoute(method, rawPath, rawPath + url.search);
    } else {
      const ctx: RouteContext = {
        model,
        params,
        query: url.searchParams,
        method,
        rawPath,
        bodyText,
        request,
        settings: host.settings,
        realDelay: async (ms) => {
          await host.realDelay(ms);
        },
      };
      try {
        result = await route.handle(ctx);
      } catch (err) {
        result = {
          status: 500,
          body: internalServerError({ className: 'java.lang.RuntimeException', message: `flink-client/testing simulator error: ${err instanceof Error ? err.message : String(err)}` }),
        };
      }
    }
    if (host.isGone() || host.isDown()) return HttpResponse.error();
    if (fault?.type === 'reset') {
      host.log(entry(0, undefined, 'reset', requestBody));
      return HttpResponse.error();
    }
    if (fault?.type === 'truncate') {
      host.log(entry(result.status, undefined, 'truncate', requestBody));
      return truncatedResponse(result);
    }
    if (fault?.type === 'malformed-json') {
      host.log(entry(200, undefined, 'malformed-json', requestBody));
      return malformedResponse(result);
    }
    host.log(entry(result.status, loggedBody(result), undefined, requestBody));
    return jsonResponse(result);
  };

  const handlers: RequestHandler[] = [];
  for (const route of ROUTES) {
    if (route.applications && !profile.applications) continue;
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    for (const prefix of ['/v1', '']) {
      handlers.push(
        http[method](`${base}${prefix}${route.path}`, ({ request, params }) => {
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(params)) flat[k] = firstParam(v as string | readonly string[] | undefined);
          return serve(request, route, flat);
        }),
      );
    }
  }
  handlers.push(http.all(`${base}/*`, ({ request }) => serve(request, undefined, {})));
  return handlers;
}

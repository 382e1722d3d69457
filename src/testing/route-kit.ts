import { isFlinkId } from './ids.js';
import { badIdCause, badPathParameter, badRequestBody, enumCause, type FlinkErrorBody, type JavaThrowable, jsonParseCause, typeMismatchCause } from './java.js';
import type { ClusterModel, SimFailure } from './model.js';

/**
 * The route kit: one declarative way to write a simulator route. A route names its method, its
 * path (msw syntax, without `/v1`), how each path parameter is validated and how its JSON body is
 * read; the kit validates in that order with Flink's own 400 bodies and calls the handler only
 * with typed, valid input. See "Adding a simulator route" in docs/architecture.md.
 */

/** What a route answers. @internal */
export interface RouteResult {
  status: number;
  body: unknown;
  /** The answer comes from Flink's static file handler (no CORS header). */
  staticHandler?: boolean;
  /**
   * Sent as is with this content type instead of as JSON: `body` is then the text (log and
   * stdout files, and the sentences Flink's file handlers answer with).
   */
  contentType?: string;
  /** `body` already serialised as JSON text or its UTF-8 bytes (see {@link okText}): sent as is. */
  text?: string | Buffer;
  /**
   * With `text` as bytes the route will write a later answer into: called once these reached the
   * socket (only the simulator's own server calls it; bytes never confirmed are never reused).
   */
  sent?: () => void;
  /**
   * What the request log shows as the body, read only when a log entry is: set with `sent`, so the
   * log keeps this, not the bytes.
   */
  logBody?: () => unknown;
}

/** Simulator settings the routes read. @internal */
export interface RouteSettings {
  refreshIntervalMs: number;
  jobDetailsCache: boolean;
  realClock: boolean;
  /** Cached execution graphs (refresh-interval model), by job id. */
  readonly jobDetailsCacheStore: Map<string, { at: number; snapshot: unknown }>;
  /** Cached `/jobs/:id/checkpoints` bodies (`rest.cache.checkpoint-statistics.timeout`), by job id. */
  readonly checkpointStatsCacheStore: Map<string, { at: number; body: unknown }>;
  /** `DELETE /cluster` was called. */
  onShutdown(): void;
}

/** Per-request input of a route, as the handlers' dispatcher builds it. @internal */
export interface RouteContext {
  readonly model: ClusterModel;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly method: string;
  /** The path as received (with `/v1` if it was sent). */
  readonly rawPath: string;
  /** The body as text (undefined for GET and multipart uploads; read those through `request()`). */
  readonly bodyText: string | undefined;
  /** The request as a fetch `Request` (made on the first call: only multipart uploads read it). */
  request(): Request;
  readonly settings: RouteSettings;
  /** Delays in real milliseconds (only with a real clock). */
  realDelay(ms: number): Promise<void>;
}

/**
 * What the route kit itself reads of a request: enough for any REST surface (the cluster's routes
 * and the SQL Gateway simulator's) to share one kit. @internal
 */
export interface BaseRouteContext {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly method: string;
  readonly bodyText: string | undefined;
}

/** One REST route as the dispatcher serves it. Make one with {@link defineRoute}. @internal */
export interface Route<C extends BaseRouteContext = RouteContext> {
  readonly method: HttpMethod;
  /** The path template without the `/v1` prefix, in msw syntax. */
  readonly path: string;
  /** Only on versions with applications (2.3). */
  readonly applications?: boolean;
  handle(ctx: C): RouteResult | Promise<RouteResult>;
}

/** @internal */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A 2xx answer. @internal */
export const ok = (body: unknown, status = 200): RouteResult => ({ status, body });

/**
 * A text answer (a log file): `text` sent as is with `contentType`, as Flink's file handlers do
 * (`text/plain`, whole file, no `Accept-Ranges`, no CORS header). @internal
 */
export const textAnswer = (text: string, contentType = 'text/plain', status = 200): RouteResult => ({ status, body: text, contentType, staticHandler: true });

/**
 * A 200 answer whose body is already JSON text (a route that keeps its serialisation, such as the
 * 10,000-job overview): sent as is; `body` parses it only when read (the request log). @internal
 */
export function okText(text: string | Buffer, status = 200): RouteResult {
  let parsed: { value: unknown } | undefined;
  return {
    status,
    text,
    get body() {
      parsed ??= { value: JSON.parse(typeof text === 'string' ? text : text.toString('utf8')) as unknown };
      return parsed.value;
    },
  };
}

/**
 * A 200 answer of JSON bytes the route reuses once sent (see {@link RouteResult.sent}); `body`
 * reads `parse`, never the bytes. @internal
 */
export function okReused(bytes: Buffer, parse: () => unknown, sent: () => void): RouteResult {
  let parsed: { value: unknown } | undefined;
  const logBody = (): unknown => (parsed ??= { value: parse() }).value;
  return {
    status: 200,
    text: bytes,
    sent,
    logBody,
    get body() {
      return logBody();
    },
  };
}

/** An error answer (a model failure or any status with a Flink error body). @internal */
export const fail = (f: SimFailure | { status: number; body: FlinkErrorBody }): RouteResult => ({ status: f.status, body: f.body });

/** Whether a lookup or parse returned an answer instead of a value. @internal */
export function isResult(x: unknown): x is RouteResult {
  return typeof x === 'object' && x !== null && 'status' in x && 'body' in x && !('id' in x);
}

// ---------------------------------------------------------------------------------------------
// Path parameters

/** Validates one path parameter: the value to hand on, or the answer (Flink's 400). @internal */
export type ParamParser = (value: string, name: string) => string | RouteResult;

/** Path parameter kinds. @internal */
export const param = {
  /** A 32-hex Flink id (JobID, TriggerId, ApplicationID), lower-cased; else Flink's 400. */
  flinkId: ((value, name) => (isFlinkId(value) ? value.toLowerCase() : fail({ status: 400, body: badPathParameter(name, value) }))) as ParamParser,
  /** Any text, as sent (jar ids are file names). */
  raw: ((value) => value) as ParamParser,
} as const;

/** The `:name` parameters of a path template, as a union of names. @internal */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | PathParams<`/${Rest}`> : P extends `${string}:${infer Name}` ? Name : never;

// ---------------------------------------------------------------------------------------------
// Request bodies: parsed leniently like Flink's Jackson mapper (unknown fields ignored, an empty
// body is {}), with Flink's 400 for text that is not JSON or a field of the wrong type.

/** Typed access to a JSON request body; the first bad field sets `error` (Flink's 400). @internal */
export class BodyReader {
  error: RouteResult | undefined;
  constructor(
    readonly bodyClass: string,
    readonly bodyClassName: string,
    readonly value: Record<string, unknown>,
  ) {}

  #fail(cause: JavaThrowable): undefined {
    this.error ??= fail({ status: 400, body: badRequestBody(this.bodyClass, cause) });
    return undefined;
  }

  #present(key: string): unknown {
    const v = this.value[key];
    return v === null ? undefined : v;
  }

  string(key: string): string | undefined {
    const v = this.#present(key);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.#fail(typeMismatchCause('java.lang.String', this.bodyClassName, key));
  }

  boolean(key: string): boolean | undefined {
    const v = this.#present(key);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return this.#fail(typeMismatchCause('java.lang.Boolean', this.bodyClassName, key));
  }

  int(key: string): number | undefined {
    const v = this.#present(key);
    if (v === undefined) return undefined;
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n === 'number' && Number.isInteger(n)) return n;
    return this.#fail(typeMismatchCause('java.lang.Integer', this.bodyClassName, key));
  }

  stringList(key: string): string[] | undefined {
    const v = this.#present(key);
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    return this.#fail(typeMismatchCause('java.util.List<java.lang.String>', this.bodyClassName, key));
  }

  stringMap(key: string): Record<string, string> | undefined {
    const v = this.#present(key);
    if (v === undefined) return undefined;
    if (typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, String(x)]));
    return this.#fail(typeMismatchCause('java.util.Map<java.lang.String,java.lang.String>', this.bodyClassName, key));
  }

  enumValue<T extends string>(key: string, enumClass: string, values: readonly T[]): T | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if ((values as readonly string[]).includes(v)) return v as T;
    return this.#fail(enumCause(enumClass, v, values, this.bodyClassName, key));
  }

  id(key: string, idClass: string): string | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if (isFlinkId(v)) return v.toLowerCase();
    return this.#fail(badIdCause(idClass, v, this.bodyClassName, key));
  }
}

/**
 * How a route reads its JSON body: Flink's request-body class (simple name and package, both shown
 * in its 400s) and a reader from fields to the typed body. A reader may return an answer itself
 * (a check across fields). @internal
 */
export interface BodySpec<B> {
  /** Simple class name, e.g. `StopWithSavepointRequestBody`. */
  readonly className: string;
  /** Its package, e.g. `org.apache.flink.runtime.rest.messages.job.savepoints.stop`. */
  readonly package: string;
  read(body: BodyReader, request: { readonly query: URLSearchParams; readonly method: string }): B | RouteResult;
}

/** Parses a JSON body into a {@link BodyReader}, or Flink's 400 for text that is no JSON object. @internal */
export function readBody(bodyText: string | undefined, bodyClass: string, bodyClassName: string): BodyReader | RouteResult {
  const text = bodyText?.trim() ?? '';
  if (text === '') return new BodyReader(bodyClass, bodyClassName, {});
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail({ status: 400, body: badRequestBody(bodyClass, jsonParseCause(text)) });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return fail({ status: 400, body: badRequestBody(bodyClass, typeMismatchCause(bodyClassName, bodyClassName, '')) });
  }
  return new BodyReader(bodyClass, bodyClassName, parsed as Record<string, unknown>);
}

// ---------------------------------------------------------------------------------------------
// Routes

/** What a handler receives: the request with its path parameters and body validated and typed. @internal */
export type RouteRequest<Name extends string, B, C extends BaseRouteContext = RouteContext> = Omit<C, 'params'> & {
  readonly params: Readonly<Record<Name, string>>;
  readonly body: B;
};

/** A route declaration; see {@link defineRoute}. @internal */
export interface RouteSpec<Path extends string, B, C extends BaseRouteContext = RouteContext> {
  readonly method: HttpMethod;
  /** Path template without `/v1`, msw syntax (`/jobs/:jobid/stop`). */
  readonly path: Path;
  /** A validator for every `:name` in the path, checked in this order before the body. */
  readonly params: { readonly [K in PathParams<Path>]: ParamParser };
  /** The JSON body, read after the path parameters. Omit for routes without one. */
  readonly body?: BodySpec<B>;
  /** Only on versions with applications (2.3). */
  readonly applications?: boolean;
  handle(request: RouteRequest<PathParams<Path>, B, C>): RouteResult | Promise<RouteResult>;
}

/**
 * Declares a route: method, path, path-parameter validators, body reader and handler. Invalid
 * path parameters and bodies are answered with Flink's 400 before the handler runs; an exception
 * in the handler becomes Flink's 500 in the dispatcher.
 *
 * @example
 * ```ts
 * defineRoute({
 *   method: 'GET',
 *   path: '/jobs/:jobid/status',
 *   params: { jobid: param.flinkId },
 *   handle: ({ model, params }) => ok({ status: model.jobs.get(params.jobid)?.status }),
 * });
 * ```
 * @internal
 */
export function defineRoute<const Path extends string, B = undefined, C extends BaseRouteContext = RouteContext>(spec: RouteSpec<Path, B, C>): Route<C> {
  const names = Object.keys(spec.params) as Array<PathParams<Path>>;
  const inPath = [...spec.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
  if (inPath.length !== names.length || inPath.some((n) => !(names as string[]).includes(n as string))) {
    throw new Error(`route ${spec.method} ${spec.path}: params must name exactly ${inPath.join(', ') || 'nothing'}`);
  }
  const bodySpec = spec.body;
  return {
    method: spec.method,
    path: spec.path,
    ...(spec.applications ? { applications: true } : {}),
    handle(ctx) {
      const params = {} as Record<PathParams<Path>, string>;
      for (const name of names) {
        const parsed = (spec.params[name] as ParamParser)(ctx.params[name as string] ?? '', name as string);
        if (typeof parsed !== 'string') return parsed;
        params[name] = parsed;
      }
      let body = undefined as B;
      if (bodySpec) {
        const reader = readBody(ctx.bodyText, bodySpec.className, `${bodySpec.package}.${bodySpec.className}`);
        if (isResult(reader)) return reader;
        const read = bodySpec.read(reader, ctx);
        if (reader.error) return reader.error;
        if (isResult(read)) return read;
        body = read;
      }
      // A copy with the two fields replaced: V8 makes `Object.assign` onto a fresh literal a
      // plain object in a few dozen ns, where `Object.create(ctx)` (ctx turned into a prototype)
      // and a spread followed by new fields each cost microseconds per request.
      const request = Object.assign({}, ctx, { params, body });
      return spec.handle(request as unknown as RouteRequest<PathParams<Path>, B, C>);
    },
  };
}

/**
 * {@link defineRoute} bound to another request context, for a REST surface other than the
 * cluster's (the SQL Gateway simulator): `const route = routeDefiner<GatewayContext>()`. @internal
 */
export function routeDefiner<C extends BaseRouteContext>(): <const Path extends string, B = undefined>(spec: RouteSpec<Path, B, C>) => Route<C> {
  return (spec) => defineRoute(spec);
}

/** The answer to a path no route serves: GET falls through to the static file handler. @internal */
export function unknownRoute(method: string, path: string, pathAndQuery: string): RouteResult {
  if (method === 'GET' || method === 'HEAD') return { status: 404, body: { errors: [`Unable to load requested file ${path}.`] }, staticHandler: true };
  return { status: 404, body: { errors: [`Not found: ${pathAndQuery}`] } };
}

import { http, HttpResponse, type RequestHandler } from 'msw';
import { RealClock, type SchedulingClock, type SimulatorClock, VirtualClock } from '../clock.js';
import { createIdSource } from '../ids.js';
import { internalServerError } from '../java.js';
import { HandlerServer } from '../server.js';
import { GatewayModel } from './gateway-model.js';
import { GATEWAY_ROUTES, type GatewayRoute, type GatewayRouteContext, RawJson } from './gateway-routes.js';
import { SimulatedStatements } from './statements.js';

/** Options of {@link createSqlGatewaySimulator}. */
export interface SqlGatewaySimulatorOptions {
  /**
   * `'real'`: simulated time is wall time. `'virtual'`: time stands still until the test calls
   * `gateway.clock.advance(ms)` or `runFor(ms)`; statements' `notReadyMs` and `rowIntervalMs` and
   * sessions' idle expiry follow it.
   * @default 'real'
   */
  clock?: 'real' | 'virtual';
  /** Where the virtual clock starts (epoch ms). @default Date.now() */
  startTime?: number;
  /** Seed for session and operation handles and job ids: the same seed gives the same ids. Random when omitted. */
  seed?: number;
  /** The Flink version `/info` reports. @default '2.3.0' */
  flinkVersion?: string;
  /**
   * `sql-gateway.session.idle-timeout`: a session not used (no call, no heartbeat) for longer is
   * gone; calls on it answer the gateway's `Session '...' does not exist.`
   * @default 600000 (10 minutes, Flink's default)
   */
  sessionIdleTimeoutMs?: number;
  /** Configuration every session starts with (`GET /sessions/:handle`), below its own properties. */
  configuration?: Record<string, string>;
  /** Start a loopback HTTP server. With `false`, mount `gateway.handlers` in msw's `setupServer`. @default true */
  server?: boolean;
  /** The interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** The port; 0 picks a free one. @default 0 */
  port?: number;
  /** The base URL the handlers answer when `server` is false. @default 'http://sql-gateway-simulator.test:8083' */
  baseUrl?: string;
}

/** A request the simulated gateway answered. */
export interface SqlGatewayRequest {
  /** HTTP method. */
  method: string;
  /** The path as received, such as `/v4/sessions/…/statements`. */
  path: string;
  /** The answer's HTTP status. */
  status: number;
  /** Simulated time of the answer (epoch ms). */
  at: number;
}

/** What a test sees of a session. */
export interface SimulatedSqlSession {
  /** The session handle. */
  readonly handle: string;
  /** The name it was opened with. */
  readonly name: string | undefined;
  /** Its configuration (defaults, open-time properties, `SET`s). */
  readonly properties: Readonly<Record<string, string>>;
  /** Tables created in it. */
  readonly tables: readonly string[];
  /** Simulated time of its last call or heartbeat. */
  readonly lastAccess: number;
  /** Operations it holds (not closed): handle, statement, status. */
  readonly operations: ReadonlyArray<{
    /** The operation handle. */
    handle: string;
    /** The statement it runs. */
    statement: string;
    /** Its status now (RUNNING, FINISHED, CANCELED, ...). */
    status: string;
  }>;
}

const JSON_TYPE = 'application/json; charset=UTF-8';
const DEFAULTS: Record<string, string> = { 'execution.target': 'remote', 'parallelism.default': '1', 'sql-gateway.endpoint.rest.bind-address': '127.0.0.1' };

/**
 * A simulated Flink SQL Gateway: the REST API of `bin/sql-gateway.sh` (v1 to v4) with sessions,
 * operations and paged results, served on a loopback port, shapes as recorded on a real 2.3.0
 * gateway (`isQueryResult`, `results.columns`, `NOT_READY` → `PAYLOAD` → `EOS`, a failed
 * statement as a 500 on the fetch whose last `Caused by:` is the SQL error).
 *
 * Statements do what the test registers (`gateway.statements.register(matcher, { columns, rows })`).
 * A statement nothing matches: DDL (`CREATE`, `DROP`, `SET`, `USE`...) succeeds with `OK` and is
 * remembered (tables, `SET` properties), `SHOW TABLES` lists the session's tables, and anything
 * else fails as the real gateway fails a statement on an unknown table (`Object 'x' not found`,
 * with its position), or, when the tables it reads exist, with a ValidationException saying that
 * no result is registered for it. Make one with {@link createSqlGatewaySimulator}; always `close()` it.
 */
export class SqlGatewaySimulator {
  /** The simulated clock. */
  readonly clock: SimulatorClock;
  /** The statements the gateway knows. */
  readonly statements = new SimulatedStatements();
  readonly #clock: SchedulingClock;
  readonly #model: GatewayModel;
  readonly #server: HandlerServer | undefined;
  readonly #baseUrl: string;
  readonly #flinkVersion: string;
  readonly #requests: SqlGatewayRequest[] = [];
  /**
   * Bodies of GET requests by path and query, in arrival order: the server helper hands msw no
   * body for a GET, but `complete-statement` is a GET with a JSON body on the real gateway.
   */
  readonly #getBodies = new Map<string, string[]>();
  #handlers: RequestHandler[] | undefined;
  #closed = false;

  /** @internal Use {@link createSqlGatewaySimulator}. */
  constructor(options: SqlGatewaySimulatorOptions = {}) {
    const onError = (err: unknown): void => process.emitWarning(`flink-client/testing: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const kind = options.clock ?? 'real';
    if (kind !== 'real' && kind !== 'virtual') throw new RangeError(`clock must be 'real' or 'virtual', got ${JSON.stringify(kind)}`);
    this.#clock = kind === 'virtual' ? new VirtualClock(options.startTime ?? Date.now(), onError) : new RealClock(onError);
    this.clock = this.#clock;
    const idle = options.sessionIdleTimeoutMs ?? 600_000;
    if (typeof idle !== 'number' || !(idle > 0)) throw new RangeError('sessionIdleTimeoutMs must be a positive number of milliseconds');
    this.#flinkVersion = options.flinkVersion ?? '2.3.0';
    this.#baseUrl = (options.baseUrl ?? 'http://sql-gateway-simulator.test:8083').replace(/\/+$/, '');
    this.#model = new GatewayModel({ clock: this.#clock, ids: createIdSource(options.seed), statements: this.statements, idleTimeoutMs: idle, defaults: { ...DEFAULTS, ...(options.configuration ?? {}) } });
    this.#server = (options.server ?? true) ? new HandlerServer(() => this.handlers, {
          host: options.host ?? '127.0.0.1',
          onRequest: (r) => {
            if (r.method !== 'GET' || !r.body || r.body.length === 0) return;
            const queue = this.#getBodies.get(r.url) ?? [];
            queue.push(r.body.toString('utf8'));
            this.#getBodies.set(r.url, queue);
          },
        }) : undefined;
  }

  /** @internal */
  async listen(port: number): Promise<void> {
    await this.#server?.listen(port);
  }

  /** The gateway's REST root for a SqlGatewayClient: `http://127.0.0.1:<port>` (or `baseUrl` without a server). */
  get url(): string {
    return this.#server ? this.#server.origin : this.#baseUrl;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Open client connections to the simulator's server (0 without a server). */
  get openConnections(): number {
    return this.#server?.openSockets ?? 0;
  }

  /** The requests answered so far (the last 1000), oldest first. */
  get requests(): readonly SqlGatewayRequest[] {
    return [...this.#requests];
  }

  /** The open sessions (idle ones past the timeout are gone). */
  get sessions(): readonly SimulatedSqlSession[] {
    this.#model.expire();
    return [...this.#model.sessions.values()].map((s) => ({
      handle: s.handle,
      name: s.name,
      properties: { ...s.properties },
      tables: [...s.tables],
      lastAccess: s.lastAccess,
      operations: [...s.operations.values()].map((op) => ({ handle: op.handle, statement: op.statement, status: this.#model.status(op) })),
    }));
  }

  /**
   * The routes as msw request handlers bound to {@link SqlGatewaySimulator.url} (each route at
   * `/v1` to `/v4` where the real gateway has it, and unversioned as v1), then a catch-all 404.
   */
  get handlers(): RequestHandler[] {
    this.#handlers ??= this.#buildHandlers(this.url);
    return this.#handlers;
  }

  /** Stops the server and every connection; idempotent. Handlers mounted elsewhere answer network errors afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clock.dispose();
    this.#model.sessions.clear();
    await this.#server?.close();
  }

  /** `await using gateway = await createSqlGatewaySimulator()` support. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #takeGetBody(key: string): string | undefined {
    const queue = this.#getBodies.get(key);
    const body = queue?.shift();
    if (queue && queue.length === 0) this.#getBodies.delete(key);
    return body;
  }

  #log(method: string, path: string, status: number): void {
    this.#requests.push({ method, path, status, at: this.#clock.now() });
    if (this.#requests.length > 1000) this.#requests.splice(0, this.#requests.length - 1000);
  }

  #buildHandlers(baseUrl: string): RequestHandler[] {
    const base = baseUrl.replace(/\/+$/, '');
    const serve = async (request: Request, route: GatewayRoute, version: number, params: Record<string, string>): Promise<Response> => {
      if (this.#closed) return HttpResponse.error();
      const url = new URL(request.url);
      const method = request.method.toUpperCase();
      const bodyText = method === 'GET' ? this.#takeGetBody(url.pathname + url.search) : method === 'HEAD' ? undefined : await request.text();
      const ctx: GatewayRouteContext = { model: this.#model, params, query: url.searchParams, method, bodyText, version, flinkVersion: this.#flinkVersion };
      let status: number;
      let text: string;
      try {
        const result = await route.handle(ctx);
        status = result.status;
        text = result.body instanceof RawJson ? result.body.text : JSON.stringify(result.body);
      } catch (err) {
        status = 500;
        text = JSON.stringify(internalServerError({ className: 'java.lang.RuntimeException', message: `flink-client/testing simulator error: ${err instanceof Error ? err.message : String(err)}` }));
      }
      if (this.#closed) return HttpResponse.error();
      this.#log(method, url.pathname, status);
      return new HttpResponse(text, { status, headers: { 'content-type': JSON_TYPE, 'content-length': String(Buffer.byteLength(text)), 'access-control-allow-origin': '*' } });
    };
    const handlers: RequestHandler[] = [];
    for (const route of GATEWAY_ROUTES) {
      const method = route.method.toLowerCase() as 'get' | 'post' | 'delete';
      const prefixes: Array<[string, number]> = route.versions.map((v) => [`/v${v}`, v]);
      // Unversioned paths are the v1 routes (as on the real gateway: `/info`, `/api_versions`).
      if (route.versions.includes(1)) prefixes.push(['', 1]);
      for (const [prefix, version] of prefixes) {
        handlers.push(
          http[method](`${base}${prefix}${route.path}`, ({ request, params }) => {
            const flat: Record<string, string> = {};
            for (const [k, v] of Object.entries(params)) flat[k] = typeof v === 'string' ? v : (v?.[0] ?? '');
            return serve(request, route, version, flat);
          }),
        );
      }
    }
    handlers.push(
      http.all(`${base}/*`, ({ request }) => {
        if (this.#closed) return HttpResponse.error();
        const url = new URL(request.url);
        const text = JSON.stringify({ errors: [`Not found: ${url.pathname}${url.search}`] });
        this.#log(request.method, url.pathname, 404);
        return new HttpResponse(text, { status: 404, headers: { 'content-type': JSON_TYPE, 'access-control-allow-origin': '*' } });
      }),
    );
    return handlers;
  }
}

/**
 * Starts a simulated SQL Gateway (see {@link SqlGatewaySimulator}) on a loopback port.
 *
 * @throws RangeError for invalid options; rejects when the port cannot be bound.
 * @example
 * ```ts
 * import { SqlGatewayClient } from 'flink-client';
 * import { createSqlGatewaySimulator } from 'flink-client/testing';
 *
 * const sim = await createSqlGatewaySimulator({ clock: 'virtual' });
 * sim.statements.register(/^SELECT .* FROM orders/, {
 *   columns: { id: 'BIGINT NOT NULL', total: 'DECIMAL(10, 2)' },
 *   rows: [[1n, '12.10'], [2n, '3.00']],
 * });
 * const gateway = new SqlGatewayClient({ url: sim.url });
 * const session = await gateway.openSession();
 * const rows = await (await session.execute('SELECT id, total FROM orders')).collect();
 * // [{ kind: 'INSERT', values: { id: 1n, total: '12.10' } }, ...]
 * await gateway.close();
 * await sim.close();
 * ```
 */
export async function createSqlGatewaySimulator(options: SqlGatewaySimulatorOptions = {}): Promise<SqlGatewaySimulator> {
  const sim = new SqlGatewaySimulator(options);
  try {
    await sim.listen(options.port ?? 0);
  } catch (err) {
    await sim.close();
    throw err;
  }
  return sim;
}

import { EventEmitter } from 'eventemitter3';
import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import { FlinkError } from '../errors/flink-error.js';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.js';
import type { ClusterClientEvents } from '../events.js';
import { RequestPipeline, type RequestSpec, resolvePipelineOptions } from '../http/request-pipeline.js';
import type { ClusterClientOptions } from '../options/client-options.js';
import type { RequestOptions } from '../options/request-options.js';
import { OpenSessionResponseSchema, SqlGatewayApiVersionsSchema, type SqlGatewayInfo, SqlGatewayInfoSchema } from '../schemas/sql-gateway.js';
import { VERSION } from '../version.js';
import type { SqlGatewayContext } from './sql-gateway-context.js';
import { checkProperties, type SqlSession, SqlSessionHandle } from './sql-session.js';

/** A SQL Gateway REST API version. */
export type SqlGatewayApiVersion = 1 | 2 | 3 | 4;

/** The versions this client speaks. */
const SPOKEN: readonly SqlGatewayApiVersion[] = [1, 2, 3, 4];

/** Options of a {@link SqlGatewayClient}: those of a ClusterClient, with the gateway's URL. */
export interface SqlGatewayClientOptions extends Omit<ClusterClientOptions, 'url'> {
  /** The gateway's REST URL, such as `http://localhost:8083` (its own, not the JobManager's). */
  url: string | URL;
  /**
   * Use this REST API version instead of the newest both sides speak.
   * @default negotiated from `GET /api_versions`
   */
  apiVersion?: SqlGatewayApiVersion;
}

/** Options of {@link SqlGatewayClient.openSession}. */
export interface OpenSessionOptions extends RequestOptions {
  /** A name for the session, shown in the gateway's logs. */
  name?: string;
  /** Session configuration overriding the gateway's, such as `{ 'execution.runtime-mode': 'batch' }`. */
  properties?: Record<string, string>;
  /**
   * How often the session sends a heartbeat while open, in ms; `Infinity` for none. The gateway
   * closes a session idle for `sql-gateway.session.idle-timeout` (10 minutes by default).
   * @default 60 000
   */
  heartbeatIntervalMs?: number;
}

/**
 * A client for Flink's SQL Gateway REST API, on the SDK's one request pipeline: the same options,
 * auth, TLS, retries, events (`request`, `response`, `retry`, `failure`) and logger as a
 * ClusterClient, with the gateway's own base URL.
 *
 * It negotiates the newest REST API version both sides speak (v1 to v4) on first use. Sessions
 * hold catalogs and configuration; statements run in them and stream their rows.
 *
 * @example
 * ```ts
 * const gateway = new SqlGatewayClient({ url: 'http://localhost:8083' });
 * const session = await gateway.openSession({ properties: { 'execution.runtime-mode': 'batch' } });
 * const op = await session.execute('SELECT 1 AS one');
 * for await (const row of op) console.log(row.kind, row.values.one);
 * await gateway.close();
 * ```
 */
export class SqlGatewayClient extends EventEmitter<ClusterClientEvents> {
  readonly #pipeline: RequestPipeline;
  readonly #pinned: SqlGatewayApiVersion | undefined;
  readonly #context: SqlGatewayContext;
  readonly #sessions = new Set<SqlSessionHandle>();
  #version: Promise<SqlGatewayApiVersion> | undefined;
  #info: Promise<SqlGatewayInfo> | undefined;

  /**
   * Creates a client. Sends nothing.
   *
   * @throws FlinkArgumentError for an invalid URL or option.
   */
  constructor(options: SqlGatewayClientOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new FlinkArgumentError('options', 'expected an options object with a url');
    const { apiVersion, ...rest } = options;
    if (apiVersion !== undefined && !SPOKEN.includes(apiVersion)) throw new FlinkArgumentError('options.apiVersion', 'expected 1, 2, 3 or 4');
    this.#pinned = apiVersion;
    this.#pipeline = new RequestPipeline(resolvePipelineOptions(rest as ClusterClientOptions, this, `flink-client/${VERSION} node/${process.versions.node}`));
    const pipeline = this.#pipeline;
    this.#context = {
      request: async <T>(spec: RequestSpec<T>, opts?: RequestOptions): Promise<T> => {
        const version = await this.apiVersion(opts);
        return pipeline.request({ ...spec, apiRoot: `/v${version}` }, opts);
      },
      apiVersion: (opts) => this.apiVersion(opts),
      flinkVersion: async (opts) => (await this.info(opts)).version,
      closeSignal: pipeline.closeSignal,
      waitTimeoutMs: options.waitTimeoutMs ?? 600_000,
      logger: pipeline.options.logger,
    };
  }

  /** The gateway's REST root. */
  get url(): string {
    const { endpoint } = this.#pipeline.endpoints.current();
    return endpoint.origin + endpoint.root.replace(/\/v1$/, '');
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#pipeline.closed;
  }

  /**
   * The REST API version the client uses: the pinned one, or the newest both the gateway
   * (`GET /v1/api_versions`) and the client speak. Asked once; a failed ask is not cached.
   *
   * @throws UnsupportedFeatureError when a pinned version is one the gateway does not speak.
   */
  apiVersion(options?: RequestOptions): Promise<SqlGatewayApiVersion> {
    if (!this.#version) {
      const pending = this.#negotiate(options);
      this.#version = pending;
      pending.catch(() => {
        if (this.#version === pending) this.#version = undefined;
      });
    }
    return this.#version;
  }

  async #negotiate(options?: RequestOptions): Promise<SqlGatewayApiVersion> {
    const body = await this.#pipeline.request({ method: 'GET', path: '/api_versions', apiRoot: '/v1', schema: SqlGatewayApiVersionsSchema, alwaysValidate: true }, options);
    const offered = new Set(body.versions.map((v) => Number(/^V(\d+)$/i.exec(v)?.[1])));
    if (this.#pinned !== undefined) {
      if (!offered.has(this.#pinned)) throw new UnsupportedFeatureError({ feature: `SQL Gateway REST API v${this.#pinned}`, clusterVersion: `a gateway speaking ${body.versions.join(', ')}`, minimumVersion: `one that speaks V${this.#pinned}` });
      return this.#pinned;
    }
    const common = SPOKEN.filter((v) => offered.has(v));
    const newest = common[common.length - 1];
    if (newest === undefined) throw new FlinkError(`the gateway speaks no REST API version this client knows (it offers ${body.versions.join(', ') || 'none'})`, 'FLINK_UNSUPPORTED_FEATURE');
    return newest;
  }

  /** The gateway's product name and Flink version (`GET /info`), fetched once. */
  info(options?: RequestOptions): Promise<SqlGatewayInfo> {
    if (!this.#info) {
      const pending = this.#context.request({ method: 'GET', path: '/info', schema: SqlGatewayInfoSchema, alwaysValidate: true }, options);
      this.#info = pending;
      pending.catch(() => {
        if (this.#info === pending) this.#info = undefined;
      });
    }
    return this.#info;
  }

  /**
   * Opens a session (`POST /sessions`) and starts its heartbeat.
   *
   * @throws FlinkArgumentError for invalid properties or interval.
   * @example
   * ```ts
   * const session = await gateway.openSession({ name: 'reports', properties: { 'table.local-time-zone': 'UTC' } });
   * ```
   */
  async openSession(options: OpenSessionOptions = {}): Promise<SqlSession> {
    const { name, properties, heartbeatIntervalMs, ...request } = options;
    if (name !== undefined && typeof name !== 'string') throw new FlinkArgumentError('options.name', 'expected a string');
    if (properties !== undefined) checkProperties('options.properties', properties);
    const interval = checkInterval(heartbeatIntervalMs);
    const body = await this.#context.request({ method: 'POST', path: '/sessions', json: { sessionName: name, properties }, schema: OpenSessionResponseSchema, alwaysValidate: true }, request);
    return this.#track(body.sessionHandle, interval);
  }

  /**
   * A handle on a session opened earlier (by this or another process), with its own heartbeat.
   * Sends nothing.
   *
   * @throws FlinkArgumentError when the handle is not a UUID.
   */
  session(handle: string, options: { heartbeatIntervalMs?: number } = {}): SqlSession {
    if (typeof handle !== 'string' || !/^[0-9a-fA-F-]{36}$/.test(handle)) throw new FlinkArgumentError('sessionHandle', `expected a UUID, got ${JSON.stringify(String(handle).slice(0, 60))}`);
    return this.#track(handle.toLowerCase(), checkInterval(options.heartbeatIntervalMs));
  }

  #track(handle: string, interval: number): SqlSession {
    if (this.closed) throw new FlinkError('the client is closed', 'FLINK_CLIENT_CLOSED');
    const session = new SqlSessionHandle(this.#context, handle, interval, (s) => this.#sessions.delete(s));
    this.#sessions.add(session);
    return session;
  }

  /**
   * Closes the sessions this client opened and still holds (best effort, a few seconds at most),
   * stops every heartbeat, closes the connection pool and removes every listener. Calls after
   * `close()` reject with `FLINK_CLIENT_CLOSED`.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    const open = [...this.#sessions];
    for (const s of open) s.stopHeartbeat();
    await Promise.allSettled(open.map((s) => s.close({ timeoutMs: 5_000, maxRetries: 0 })));
    await this.#pipeline.close();
    this.removeAllListeners();
  }
}

function checkInterval(ms: unknown): number {
  if (ms === undefined) return 60_000;
  if (ms === Infinity) return Infinity;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 100 || ms > 2_147_483_647) throw new FlinkArgumentError('options.heartbeatIntervalMs', 'expected an integer from 100 to 2147483647 (ms), or Infinity');
  return ms;
}

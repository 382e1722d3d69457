import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import { FlinkError } from '../errors/flink-error.js';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.js';
import type { RequestOptions } from '../options/request-options.js';
import {
  CompleteStatementResponseSchema,
  type DeployScriptResponse,
  DeployScriptResponseSchema,
  ExecuteStatementResponseSchema,
  SessionConfigSchema,
} from '../schemas/sql-gateway.js';
import type { SqlGatewayContext } from './sql-gateway-context.js';
import { type SqlOperation, SqlOperationHandle, type SqlResultOptions } from './sql-operation.js';

/** Options of {@link SqlSession.execute}. */
export interface ExecuteOptions extends SqlResultOptions, RequestOptions {
  /** Session configuration for this statement only (`executionConfig`), such as `{ 'execution.runtime-mode': 'batch' }`. */
  properties?: Record<string, string>;
  /** How long the gateway lets the statement run before it times the operation out, in ms. @default the gateway's (none) */
  executionTimeoutMs?: number;
}

/** Parameters of {@link SqlSession.refreshMaterializedTable} (REST API v3 only). */
export interface RefreshMaterializedTableParams {
  /** Whether this is a periodic refresh (scheduled) rather than a manual one. @default false */
  periodic?: boolean;
  /** The schedule time of a periodic refresh, such as `2024-01-01 00:00:00`. */
  scheduleTime?: string;
  /** Partitions to refresh, by partition key. */
  staticPartitions?: Record<string, string>;
  /** Table options for this refresh. */
  dynamicOptions?: Record<string, string>;
  /** Execution configuration of the refresh job. */
  executionConfig?: Record<string, string>;
}

/** What {@link SqlSession.deployScript} returns. */
export interface DeployedScript {
  /** The id of the application cluster the script runs on. */
  clusterId: string;
}

/** Parameters of {@link SqlSession.deployScript} (REST API v4). */
export interface DeployScriptParams {
  /** The SQL script text. One of `script` or `scriptUri` is required. */
  script?: string;
  /** Where the cluster reads the script from. */
  scriptUri?: string;
  /** Configuration of the application cluster, e.g. `{ 'execution.target': 'kubernetes-application' }`. */
  executionConfig?: Record<string, string>;
}

/**
 * A session on the SQL Gateway: its configuration, catalogs and tables live there. Opened by
 * `gateway.openSession()`; while open, a heartbeat keeps it alive; `close()` stops the heartbeat
 * and closes it on the gateway.
 */
export interface SqlSession {
  /** The session handle (a UUID). */
  readonly handle: string;
  /** Whether `close()` was called. */
  readonly closed: boolean;
  /** The session's effective configuration (`GET /sessions/:session`). */
  config(options?: RequestOptions): Promise<Record<string, string>>;
  /** Runs a configuring statement (`CREATE TABLE`, `USE`, `SET`-like DDL) on the session (REST API v2+). */
  configure(statement: string, options?: RequestOptions & { executionTimeoutMs?: number }): Promise<void>;
  /** Completion hints for `statement` at `position` (REST API v2+). */
  complete(statement: string, position: number, options?: RequestOptions): Promise<string[]>;
  /** Submits a statement and returns its operation handle. */
  execute(statement: string, options?: ExecuteOptions): Promise<SqlOperation>;
  /** A handle on an operation submitted earlier. Sends nothing. */
  operation(handle: string, statement?: string, options?: SqlResultOptions): SqlOperation;
  /** Refreshes a materialized table (REST API v3 only: v4 dropped the route). */
  refreshMaterializedTable(identifier: string, params?: RefreshMaterializedTableParams, options?: RequestOptions): Promise<SqlOperation>;
  /** Deploys a SQL script as an application (REST API v4; needs an application `execution.target`). */
  deployScript(params: DeployScriptParams, options?: RequestOptions): Promise<DeployedScript>;
  /** Tells the gateway the session is in use (the automatic heartbeat calls this). */
  heartbeat(options?: RequestOptions): Promise<void>;
  /** Stops the heartbeat and closes the session on the gateway; safe to repeat. */
  close(options?: RequestOptions): Promise<void>;
}

/** The implementation of {@link SqlSession}. */
export class SqlSessionHandle implements SqlSession {
  readonly handle: string;
  readonly #context: SqlGatewayContext;
  readonly #onClose: (session: SqlSessionHandle) => void;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(context: SqlGatewayContext, handle: string, heartbeatIntervalMs: number, onClose: (session: SqlSessionHandle) => void) {
    this.#context = context;
    this.handle = handle;
    this.#onClose = onClose;
    if (heartbeatIntervalMs !== Infinity) this.#schedule(heartbeatIntervalMs);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** One heartbeat per interval, the next scheduled once the last settled; unref'd, so it never keeps a process alive. */
  #schedule(intervalMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.heartbeat({ timeoutMs: Math.min(30_000, intervalMs) })
        .catch((err: unknown) => this.#context.logger?.warn('flink-client SQL session heartbeat failed', { session: this.handle, error: (err as Error).message }))
        .finally(() => {
          if (!this.#closed && !this.#context.closeSignal.aborted) this.#schedule(intervalMs);
        });
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops the heartbeat without telling the gateway (the client is closing). */
  stopHeartbeat(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #needs(version: number, feature: string, minimumFlink: string, options?: RequestOptions): Promise<void> {
    const have = await this.#context.apiVersion(options);
    if (have < version) throw new UnsupportedFeatureError({ feature: `${feature} (SQL Gateway REST API v${version})`, clusterVersion: `${await this.#context.flinkVersion(options)} (REST API v${have})`, minimumVersion: minimumFlink });
  }

  #checkOpen(): void {
    if (this.#closed) throw new FlinkError(`SQL session ${this.handle} is closed`, 'FLINK_CLIENT_CLOSED');
  }

  async config(options?: RequestOptions): Promise<Record<string, string>> {
    this.#checkOpen();
    return (await this.#context.request({ method: 'GET', path: `/sessions/${this.handle}`, schema: SessionConfigSchema }, options)).properties;
  }

  async configure(statement: string, options: RequestOptions & { executionTimeoutMs?: number } = {}): Promise<void> {
    this.#checkOpen();
    checkStatement(statement);
    const { executionTimeoutMs, ...request } = options;
    checkTimeout(executionTimeoutMs);
    await this.#needs(2, 'configure()', '1.17', request);
    await this.#context.request({ method: 'POST', path: `/sessions/${this.handle}/configure-session`, json: { statement, executionTimeout: executionTimeoutMs } }, request);
  }

  async complete(statement: string, position: number, options?: RequestOptions): Promise<string[]> {
    this.#checkOpen();
    if (typeof statement !== 'string') throw new FlinkArgumentError('statement', 'expected a string');
    if (!Number.isInteger(position) || position < 0 || position > statement.length) throw new FlinkArgumentError('position', `expected an integer from 0 to the statement's length (${statement.length})`);
    await this.#needs(2, 'complete()', '1.17', options);
    // The gateway routes this as a GET with a JSON body (as its spec says); undici sends it as such.
    const body = await this.#context.request({ method: 'GET', path: `/sessions/${this.handle}/complete-statement`, json: { statement, position }, schema: CompleteStatementResponseSchema }, options);
    return body.candidates;
  }

  async execute(statement: string, options: ExecuteOptions = {}): Promise<SqlOperation> {
    this.#checkOpen();
    checkStatement(statement);
    const { properties, executionTimeoutMs, rowFormat, bigints, ...request } = options;
    checkTimeout(executionTimeoutMs);
    checkResultOptions({ rowFormat, bigints });
    if (properties !== undefined) checkProperties('options.properties', properties);
    const body = await this.#context.request(
      {
        method: 'POST',
        path: `/sessions/${this.handle}/statements`,
        json: { statement, executionConfig: properties, executionTimeout: executionTimeoutMs },
        schema: ExecuteStatementResponseSchema,
        alwaysValidate: true,
      },
      request,
    );
    return this.operation(body.operationHandle, statement, { rowFormat, bigints });
  }

  operation(handle: string, statement = '', options: SqlResultOptions = {}): SqlOperation {
    return new SqlOperationHandle(this.#context, this.handle, checkHandleArg('operationHandle', handle), statement, options);
  }

  async refreshMaterializedTable(identifier: string, params: RefreshMaterializedTableParams = {}, options?: RequestOptions): Promise<SqlOperation> {
    this.#checkOpen();
    if (typeof identifier !== 'string' || identifier.length === 0 || /[/\\\x00-\x1f]/.test(identifier)) throw new FlinkArgumentError('identifier', 'expected a table identifier such as "catalog.db.table" (no slashes or control characters)');
    const version = await this.#context.apiVersion(options);
    if (version !== 3) {
      throw new UnsupportedFeatureError({ feature: 'refreshMaterializedTable() (SQL Gateway REST API v3 only)', clusterVersion: `${await this.#context.flinkVersion(options)} (REST API v${version})`, minimumVersion: '1.20' });
    }
    const body = await this.#context.request(
      {
        method: 'POST',
        path: `/sessions/${this.handle}/materialized-tables/${encodeURIComponent(identifier)}/refresh`,
        json: { isPeriodic: params.periodic ?? false, scheduleTime: params.scheduleTime, staticPartitions: params.staticPartitions, dynamicOptions: params.dynamicOptions, executionConfig: params.executionConfig },
        schema: ExecuteStatementResponseSchema,
        alwaysValidate: true,
      },
      options,
    );
    return this.operation(body.operationHandle, `REFRESH MATERIALIZED TABLE ${identifier}`);
  }

  async deployScript(params: DeployScriptParams, options?: RequestOptions): Promise<DeployedScript> {
    this.#checkOpen();
    if ((params.script === undefined) === (params.scriptUri === undefined)) throw new FlinkArgumentError('params', 'expected exactly one of script and scriptUri');
    if (params.executionConfig !== undefined) checkProperties('params.executionConfig', params.executionConfig);
    await this.#needs(4, 'deployScript()', '2.0', options);
    const body: DeployScriptResponse = await this.#context.request(
      { method: 'POST', path: `/sessions/${this.handle}/scripts`, json: { script: params.script, scriptUri: params.scriptUri, executionConfig: params.executionConfig }, schema: DeployScriptResponseSchema, alwaysValidate: true },
      options,
    );
    return { clusterId: body.clusterID };
  }

  async heartbeat(options?: RequestOptions): Promise<void> {
    this.#checkOpen();
    await this.#context.request({ method: 'POST', path: `/sessions/${this.handle}/heartbeat`, idempotent: true }, options);
  }

  async close(options?: RequestOptions): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.stopHeartbeat();
    this.#onClose(this);
    await this.#context.request({ method: 'DELETE', path: `/sessions/${this.handle}` }, options);
  }
}

function checkHandleArg(kind: string, handle: unknown): string {
  if (typeof handle !== 'string' || !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(handle)) {
    throw new FlinkArgumentError(kind, `expected a UUID, got ${JSON.stringify(String(handle).slice(0, 60))}`);
  }
  return handle.toLowerCase();
}

function checkStatement(statement: unknown): void {
  if (typeof statement !== 'string' || statement.trim().length === 0) throw new FlinkArgumentError('statement', 'expected a non-empty SQL statement');
}

function checkTimeout(ms: unknown): void {
  if (ms !== undefined && (typeof ms !== 'number' || !Number.isInteger(ms) || ms <= 0)) throw new FlinkArgumentError('options.executionTimeoutMs', 'expected a positive integer (milliseconds)');
}

function checkResultOptions(o: SqlResultOptions): void {
  if (o.rowFormat !== undefined && o.rowFormat !== 'JSON' && o.rowFormat !== 'PLAIN_TEXT') throw new FlinkArgumentError('options.rowFormat', "expected 'JSON' or 'PLAIN_TEXT'");
  if (o.bigints !== undefined && o.bigints !== 'bigint' && o.bigints !== 'number') throw new FlinkArgumentError('options.bigints', "expected 'bigint' or 'number'");
}

/** Checks a string-to-string map. */
export function checkProperties(name: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new FlinkArgumentError(name, 'expected an object of string values');
  }
}

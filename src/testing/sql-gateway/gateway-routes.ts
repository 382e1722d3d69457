import { badPathParameter, restHandlerError } from '../java.js';
import { fail, ok, type ParamParser, type RouteResult, routeDefiner, type Route } from '../route-kit.js';
import type { EncodedRow, WireColumn } from './column-types.js';
import type { GatewayModel, GatewayOperation, GatewaySession } from './gateway-model.js';

/**
 * The SQL Gateway's REST routes on the route kit: `/sessions`, `/sessions/:session_handle/...`,
 * operations and result pages, `/api_versions`, `/info`. Bodies as the real gateway sends them
 * (see the recordings in test/fixtures/recorded/2.3.0/sql-*.json).
 */

/** A body already written as JSON text (result pages are spliced from pre-encoded rows). @internal */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Per-request input of a gateway route. @internal */
export interface GatewayRouteContext {
  readonly model: GatewayModel;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly method: string;
  readonly bodyText: string | undefined;
  /** The REST API version of the path (`/v3/...` is 3; an unversioned path is 1). */
  readonly version: number;
  /** The Flink version the gateway reports. */
  readonly flinkVersion: string;
}

/** A gateway route with the API versions it exists in. @internal */
export interface GatewayRoute extends Route<GatewayRouteContext> {
  readonly versions: readonly number[];
}

const route = routeDefiner<GatewayRouteContext>();
const ALL = [1, 2, 3, 4] as const;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const handleParam: ParamParser = (value, name) => (UUID.test(value) ? value.toLowerCase() : fail({ status: 400, body: badPathParameter(name, value) }));
const tokenParam: ParamParser = (value, name) => (/^\d+$/.test(value) ? value : fail({ status: 400, body: badPathParameter(name, value) }));
const anyParam: ParamParser = (value) => value;

const SESSION_PKG = 'org.apache.flink.table.gateway.rest.message.session';
const STATEMENT_PKG = 'org.apache.flink.table.gateway.rest.message.statement';

function at(versions: readonly number[], r: Route<GatewayRouteContext>): GatewayRoute {
  return { ...r, versions };
}

function withSession(ctx: GatewayRouteContext & { params: { session_handle: string } }, call: string, then: (s: GatewaySession) => RouteResult): RouteResult {
  const s = ctx.model.session(ctx.params.session_handle, call);
  return 'status' in s ? fail(s) : then(s);
}

function withOperation(ctx: GatewayRouteContext & { params: { session_handle: string; operation_handle: string } }, call: string, then: (op: GatewayOperation, s: GatewaySession) => RouteResult): RouteResult {
  return withSession(ctx, call, (s) => {
    const op = ctx.model.operation(s, ctx.params.operation_handle, call);
    return 'status' in op ? fail(op) : then(op, s);
  });
}

/** A result page as JSON text, in the real gateway's field order. */
function page(kind: 'PAYLOAD' | 'EOS', op: GatewayOperation, rows: EncodedRow[], format: 'JSON' | 'PLAIN_TEXT', next: string | undefined): RawJson {
  const spec = op.spec;
  const head = `{"resultType":"${kind}","isQueryResult":${spec.query}${op.jobId ? `,"jobID":"${op.jobId}"` : ''},"resultKind":"${spec.resultKind}"`;
  const data = rows.map((r) => (format === 'JSON' ? r.json : r.plain)).join(',');
  const results = `"results":{"columns":${columnsText(spec.columns)},"rowFormat":"${format}","data":[${data}]}`;
  return new RawJson(`${head},${results}${next === undefined ? '' : `,"nextResultUri":${JSON.stringify(next)}`}}`);
}

const columnsCache = new WeakMap<WireColumn[], string>();
function columnsText(columns: WireColumn[]): string {
  let text = columnsCache.get(columns);
  if (text === undefined) {
    text = JSON.stringify(columns);
    columnsCache.set(columns, text);
  }
  return text;
}

/** Every route of the simulated gateway. @internal */
export const GATEWAY_ROUTES: readonly GatewayRoute[] = [
  at(ALL, route({ method: 'GET', path: '/api_versions', params: {}, handle: () => ok({ versions: ['V1', 'V2', 'V3', 'V4'] }) })),
  at(ALL, route({ method: 'GET', path: '/info', params: {}, handle: (ctx) => ok({ productName: 'Apache Flink', version: ctx.flinkVersion }) })),
  at(
    ALL,
    route({
      method: 'POST',
      path: '/sessions',
      params: {},
      body: { className: 'OpenSessionRequestBody', package: SESSION_PKG, read: (b) => ({ name: b.string('sessionName'), properties: b.stringMap('properties') ?? {} }) },
      handle: (ctx) => ok({ sessionHandle: ctx.model.open(ctx.body.name, ctx.body.properties).handle }),
    }),
  ),
  at(ALL, route({ method: 'GET', path: '/sessions/:session_handle', params: { session_handle: handleParam }, handle: (ctx) => withSession(ctx, 'getSessionConfig', (s) => ok({ properties: s.properties })) })),
  at(
    ALL,
    route({
      method: 'DELETE',
      path: '/sessions/:session_handle',
      params: { session_handle: handleParam },
      handle: (ctx) => {
        const failure = ctx.model.close(ctx.params.session_handle);
        return failure ? fail(failure) : ok({ status: 'CLOSED' });
      },
    }),
  ),
  // The real gateway's heartbeat handler reports a missing session as `Failed to getSessionConfig.`
  at(ALL, route({ method: 'POST', path: '/sessions/:session_handle/heartbeat', params: { session_handle: handleParam }, handle: (ctx) => withSession(ctx, 'getSessionConfig', () => ok({})) })),
  at(
    [2, 3, 4],
    route({
      method: 'POST',
      path: '/sessions/:session_handle/configure-session',
      params: { session_handle: handleParam },
      body: { className: 'ConfigureSessionRequestBody', package: SESSION_PKG, read: (b) => ({ statement: b.string('statement') ?? '' }) },
      handle: (ctx) =>
        withSession(ctx, 'configureSession', (s) => {
          const failure = ctx.model.configure(s, ctx.body.statement);
          return failure ? fail(failure) : ok({});
        }),
    }),
  ),
  at(
    [2, 3, 4],
    route({
      method: 'GET',
      path: '/sessions/:session_handle/complete-statement',
      params: { session_handle: handleParam },
      body: { className: 'CompleteStatementRequestBody', package: STATEMENT_PKG, read: (b) => ({ statement: b.string('statement') ?? '', position: b.int('position') ?? 0 }) },
      handle: (ctx) => withSession(ctx, 'completeStatement', (s) => ok({ candidates: ctx.model.complete(s, ctx.body.statement, ctx.body.position) })),
    }),
  ),
  at(
    ALL,
    route({
      method: 'POST',
      path: '/sessions/:session_handle/statements',
      params: { session_handle: handleParam },
      body: {
        className: 'ExecuteStatementRequestBody',
        package: STATEMENT_PKG,
        read: (b) => ({ statement: b.string('statement') ?? '', timeoutMs: b.int('executionTimeout'), config: b.stringMap('executionConfig') }),
      },
      handle: (ctx) => withSession(ctx, 'executeStatement', (s) => ok({ operationHandle: ctx.model.execute(s, ctx.body.statement, ctx.body.timeoutMs).handle })),
    }),
  ),
  at(
    ALL,
    route({
      method: 'GET',
      path: '/sessions/:session_handle/operations/:operation_handle/status',
      params: { session_handle: handleParam, operation_handle: handleParam },
      handle: (ctx) => withOperation(ctx, 'getOperationInfo', (op) => ok({ status: ctx.model.status(op) })),
    }),
  ),
  at(
    ALL,
    route({
      method: 'POST',
      path: '/sessions/:session_handle/operations/:operation_handle/cancel',
      params: { session_handle: handleParam, operation_handle: handleParam },
      handle: (ctx) =>
        withOperation(ctx, 'cancelOperation', (op) => {
          const failure = ctx.model.cancel(op);
          return failure ? fail(failure) : ok({ status: 'CANCELED' });
        }),
    }),
  ),
  at(
    ALL,
    route({
      method: 'DELETE',
      path: '/sessions/:session_handle/operations/:operation_handle/close',
      params: { session_handle: handleParam, operation_handle: handleParam },
      // Closing an operation the gateway no longer has answers CLOSED too (as recorded).
      handle: (ctx) =>
        withSession(ctx, 'closeOperation', (s) => {
          s.operations.delete(ctx.params.operation_handle);
          return ok({ status: 'CLOSED' });
        }),
    }),
  ),
  at(
    ALL,
    route({
      method: 'GET',
      path: '/sessions/:session_handle/operations/:operation_handle/result/:token',
      params: { session_handle: handleParam, operation_handle: handleParam, token: tokenParam },
      handle: (ctx) => {
        const format = ctx.query.get('rowFormat') ?? 'JSON';
        if (format !== 'JSON' && format !== 'PLAIN_TEXT') {
          const detail = `Cannot resolve query parameter (rowFormat) from value "${format}".`;
          return fail({ status: 400, body: restHandlerError(`Bad request, could not parse parameters: ${detail}`, { className: 'org.apache.flink.runtime.rest.handler.HandlerRequestException', message: detail }) });
        }
        return withSession(ctx, 'fetchResults', (s) => {
          const token = Number(ctx.params.token);
          const answer = ctx.model.fetch(s, ctx.params.operation_handle, token);
          const uri = (t: number): string => `/v${ctx.version}/sessions/${s.handle}/operations/${ctx.params.operation_handle}/result/${t}?rowFormat=${format}`;
          switch (answer.kind) {
            case 'error':
              return fail(answer.failure);
            case 'NOT_READY':
              return ok({ resultType: 'NOT_READY', nextResultUri: uri(token) });
            default:
              return ok(page(answer.kind, answer.op, answer.rows, format, answer.next === undefined ? undefined : uri(answer.next)));
          }
        });
      },
    }),
  ),
  at(
    [3],
    route({
      method: 'POST',
      path: '/sessions/:session_handle/materialized-tables/:identifier/refresh',
      params: { session_handle: handleParam, identifier: anyParam },
      handle: (ctx) => withSession(ctx, 'refreshMaterializedTable', (s) => ok({ operationHandle: ctx.model.execute(s, `REFRESH MATERIALIZED TABLE ${decodeURIComponent(ctx.params.identifier)}`, undefined).handle })),
    }),
  ),
  at(
    [4],
    route({
      method: 'POST',
      path: '/sessions/:session_handle/scripts',
      params: { session_handle: handleParam },
      handle: (ctx) =>
        withSession(ctx, 'deployScript', () =>
          fail({
            status: 500,
            body: { errors: ['Internal server error.', '<Exception on server side:\norg.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed to deploy script to cluster: the simulated gateway runs statements on a session cluster (execution.target: remote), not on an application target.\n\nEnd of exception on server side>'] },
          }),
        ),
    }),
  ),
];

import { type FlinkErrorBody, internalServerError, type JavaThrowable, restHandlerError } from '../java.js';

/**
 * The SQL Gateway's error bodies, as recorded on a real 2.3.0 gateway
 * (test/fixtures/recorded/2.3.0/sql-*.json): a service call that fails answers a
 * `RestHandlerException` chain (`Failed to <call>.` twice, then the reason) as one string; a
 * failed result fetch answers Flink's "Internal server error." pair whose chain ends in the
 * statement's own exception.
 */

const GATEWAY = 'org.apache.flink.table.gateway.api.utils.SqlGatewayException';
const EXECUTION = 'org.apache.flink.table.gateway.service.utils.SqlExecutionException';

/** An error answer. @internal */
export interface GatewayFailure {
  status: number;
  body: FlinkErrorBody;
}

/** `Failed to <call>.` from a service call (status, cancel, config, close session...). @internal */
export function serviceError(call: string, reason: string): GatewayFailure {
  return { status: 500, body: restHandlerError(`Failed to ${call}.`, { className: GATEWAY, message: `Failed to ${call}.` }, { className: GATEWAY, message: reason }) };
}

/** A failed result fetch: the internal-server-error pair around `reasons` (outermost first). @internal */
export function fetchError(...reasons: JavaThrowable[]): GatewayFailure {
  return {
    status: 500,
    body: internalServerError(chainOf([{ className: GATEWAY, message: `${GATEWAY}: Failed to fetchResults.` }, { className: GATEWAY, message: 'Failed to fetchResults.' }, ...reasons])),
  };
}

/** `Failed to configure session.` with the statement's chain. @internal */
export function configureError(operation: string, causes: readonly JavaThrowable[]): GatewayFailure {
  return {
    status: 500,
    body: internalServerError(chainOf([{ className: GATEWAY, message: 'Failed to configure session.' }, { className: EXECUTION, message: `Failed to execute the operation ${operation}.` }, ...causes])),
  };
}

/** The chain below a failed statement's fetch: `Failed to execute the operation <op>.` then the statement's own. @internal */
export function executionChain(operation: string, causes: readonly JavaThrowable[]): JavaThrowable[] {
  return [{ className: EXECUTION, message: `Failed to execute the operation ${operation}.` }, ...causes];
}

/** `Session '<h>' does not exist.` @internal */
export const noSession = (handle: string): string => `Session '${handle}' does not exist.`;

/** `Can not find the submitted operation in the OperationManager with the <op>.` @internal */
export const noOperation = (handle: string): string => `Can not find the submitted operation in the OperationManager with the ${handle}.`;

/** A gateway exception link. @internal */
export const gatewayException = (message: string): JavaThrowable => ({ className: GATEWAY, message });

/** A SqlExecutionException link. @internal */
export const executionException = (message: string): JavaThrowable => ({ className: EXECUTION, message });

/**
 * The chain Flink gives for an unknown table: `ValidationException: SQL validation failed. From
 * line 1, column 15 to line 1, column 26: Object 'x' not found`, its Calcite context and the
 * validator's root cause. @internal
 */
export function unknownTableChain(statement: string, table: string, at: number): JavaThrowable[] {
  const before = statement.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  const where = `From line ${line}, column ${column} to line ${line}, column ${column + table.length - 1}`;
  const object = `Object '${table}' not found`;
  return [
    { className: 'org.apache.flink.table.api.ValidationException', message: `SQL validation failed. ${where}: ${object}` },
    { className: 'org.apache.calcite.runtime.CalciteContextException', message: `${where}: ${object}` },
    { className: 'org.apache.calcite.sql.validate.SqlValidatorException', message: object },
  ];
}

/** Builds a cause chain from links, outermost first. @internal */
export function chainOf(links: readonly JavaThrowable[]): JavaThrowable {
  const [first, ...rest] = links;
  if (!first) throw new Error('empty exception chain');
  return rest.length === 0 ? { ...first } : { ...first, cause: chainOf(rest) };
}

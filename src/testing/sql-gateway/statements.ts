import type { SqlLogicalType } from '../../schemas/sql-gateway.js';
import type { SimulatedException } from '../java.js';
import { type EncodedRow, encodeRows, type SimulatedColumn, type SimulatedRow, type WireColumn, wireColumns } from './column-types.js';

/** Which statements a registration answers: the exact text (trimmed, case and spacing as sent), a RegExp, or a predicate. */
export type SqlStatementMatcher = string | RegExp | ((statement: string) => boolean);

/**
 * How a statement fails, as the gateway reports it: a 500 on the result fetch whose root cause
 * is this exception (its class and message; a string is a `ValidationException` message). An
 * array is a cause chain, outermost first, below the gateway's `SqlExecutionException`.
 */
export type SimulatedSqlError = string | SimulatedException | readonly SimulatedException[];

/**
 * What a registered statement does on the simulated gateway.
 *
 * Results are served as the real gateway serves them: the first fetch of token 0 answers
 * NOT_READY (then more NOT_READY until `notReadyMs` of simulated time passed), then PAYLOAD pages
 * of at most `pageSize` rows by `nextResultUri`, then EOS. Rows become available over simulated
 * time when `rowIntervalMs` is set; a `continuous` statement never reaches EOS (a streaming query)
 * and ends only when it is cancelled or closed.
 */
export interface SimulatedStatement {
  /** The result columns: `[{ name, type }]` or `{ name: type }` in column order. Optional with `error` or for an `OK` statement. */
  columns?: readonly SimulatedColumn[] | Record<string, string | SqlLogicalType>;
  /** The rows (a bounded result) or the changelog (rows with their `kind`). @default [] */
  rows?: readonly SimulatedRow[];
  /** Fail the statement (see {@link SimulatedSqlError}); the fetch answers 500 once the statement "ran" (after `notReadyMs`). */
  error?: SimulatedSqlError;
  /**
   * Simulated time from submission until the first rows can be fetched (fetches answer NOT_READY
   * meanwhile, and the status is RUNNING). Follows the simulator's clock, so a virtual clock must
   * be advanced past it.
   * @default 0 (one NOT_READY answer, as the real gateway always gives at least one)
   */
  notReadyMs?: number;
  /** Simulated time between rows after the first: a streaming source. @default 0 (all rows at once) */
  rowIntervalMs?: number;
  /** Rows per PAYLOAD page at most (the real gateway's buffer holds 5000). @default 5000 */
  pageSize?: number;
  /** A streaming query: after its rows, empty PAYLOAD pages until cancelled or closed, never EOS. @default false */
  continuous?: boolean;
  /**
   * Whether the statement is a query (`isQueryResult`), and with it whether it starts a job
   * (`jobID`). @default true when `columns` are given, false for an `OK` statement (DDL)
   */
  query?: boolean;
  /** The job id the result reports (`jobID`), e.g. one of a FlinkSimulator's jobs. @default a random id for queries */
  jobId?: string;
  /**
   * `SUCCESS_WITH_CONTENT` (rows) or `SUCCESS` (DDL, `OK`). @default SUCCESS_WITH_CONTENT with columns, SUCCESS without
   */
  resultKind?: 'SUCCESS' | 'SUCCESS_WITH_CONTENT';
}

/** A statement as the model serves it. @internal */
export interface CompiledStatement {
  columns: WireColumn[];
  rows: EncodedRow[];
  error: SimulatedException[] | undefined;
  notReadyMs: number;
  rowIntervalMs: number;
  pageSize: number;
  continuous: boolean;
  query: boolean;
  jobId: string | undefined;
  resultKind: 'SUCCESS' | 'SUCCESS_WITH_CONTENT';
}

/** The columns of a DDL statement's `OK` result. @internal */
export const OK_COLUMNS: WireColumn[] = [{ name: 'result', logicalType: { type: 'VARCHAR', nullable: true, length: 2_147_483_647 }, comment: null }];

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`flink-client/testing: ${name} must be a finite number >= 0`);
  return v;
}

/** Normalises an error to a cause chain. @internal */
export function errorChain(error: SimulatedSqlError): SimulatedException[] {
  if (typeof error === 'string') return [{ className: 'org.apache.flink.table.api.ValidationException', message: error }];
  const list = Array.isArray(error) ? error : [error as SimulatedException];
  if (list.length === 0 || list.some((e) => typeof e?.className !== 'string' || typeof e?.message !== 'string')) {
    throw new TypeError('flink-client/testing: error must be a message or { className, message } (or a chain of them)');
  }
  return list.map((e) => ({ className: e.className, message: e.message }));
}

/** Checks and encodes a registration once, so serving pages only splices text. @internal */
export function compileStatement(spec: SimulatedStatement): CompiledStatement {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('flink-client/testing: a statement registration needs an object');
  const columns = spec.columns === undefined ? OK_COLUMNS : wireColumns(spec.columns);
  const ok = spec.columns === undefined && spec.rows === undefined;
  const rows = encodeRows(ok && !spec.error ? [['OK']] : (spec.rows ?? []), columns);
  const pageSize = spec.pageSize ?? 5000;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('flink-client/testing: pageSize must be a positive integer');
  if (spec.jobId !== undefined && !/^[0-9a-f]{32}$/.test(spec.jobId)) throw new TypeError('flink-client/testing: jobId must be 32 lowercase hex characters');
  const query = spec.query ?? !ok;
  return {
    columns,
    rows,
    error: spec.error === undefined ? undefined : errorChain(spec.error),
    notReadyMs: nonNegative('notReadyMs', spec.notReadyMs, 0),
    rowIntervalMs: nonNegative('rowIntervalMs', spec.rowIntervalMs, 0),
    pageSize,
    continuous: spec.continuous ?? false,
    query,
    jobId: spec.jobId,
    resultKind: spec.resultKind ?? (ok ? 'SUCCESS' : 'SUCCESS_WITH_CONTENT'),
  };
}

interface Registration {
  matcher: SqlStatementMatcher;
  statement: CompiledStatement | ((statement: string) => SimulatedStatement);
  times: number;
}

/** A registration handle: unregister it, or see how often it was used. */
export interface SimulatedStatementHandle {
  /** Statements this registration answered so far. */
  readonly calls: number;
  /** Removes the registration. */
  unregister(): void;
}

/**
 * The statements a simulated SQL Gateway knows (`gateway.statements`). The newest registration
 * that matches wins. A statement nothing matches is answered like the real gateway answers a
 * statement on an unknown table (see {@link SqlGatewaySimulator}).
 *
 * @example
 * ```ts
 * gateway.statements.register('SELECT id, name FROM users', {
 *   columns: { id: 'BIGINT NOT NULL', name: 'STRING' },
 *   rows: [[1n, 'ada'], [2n, 'grace']],
 * });
 * gateway.statements.register(/FROM orders/, { error: "Object 'orders' not found" });
 * ```
 */
export class SimulatedStatements {
  readonly #list: Registration[] = [];

  /**
   * Registers what statements matching `matcher` do. `statement` may be a function of the
   * statement text, called at each execution (e.g. to vary rows).
   *
   * @throws TypeError or RangeError for an invalid registration (checked at once, not at execution).
   */
  register(matcher: SqlStatementMatcher, statement: SimulatedStatement | ((statement: string) => SimulatedStatement)): SimulatedStatementHandle {
    if (typeof matcher !== 'string' && !(matcher instanceof RegExp) && typeof matcher !== 'function') throw new TypeError('flink-client/testing: a statement matcher must be a string, a RegExp or a function');
    const reg: Registration = { matcher: typeof matcher === 'string' ? matcher.trim() : matcher, statement: typeof statement === 'function' ? statement : compileStatement(statement), times: 0 };
    this.#list.push(reg);
    return {
      get calls() {
        return reg.times;
      },
      unregister: () => {
        const i = this.#list.indexOf(reg);
        if (i >= 0) this.#list.splice(i, 1);
      },
    };
  }

  /** Removes every registration. */
  clear(): void {
    this.#list.length = 0;
  }

  /** The registration for a statement, compiled; undefined when none matches. @internal */
  resolve(statement: string): CompiledStatement | undefined {
    const text = statement.trim();
    for (let i = this.#list.length - 1; i >= 0; i--) {
      const reg = this.#list[i] as Registration;
      const m = reg.matcher;
      const hit = typeof m === 'string' ? m === text : m instanceof RegExp ? (m.lastIndex = 0, m.test(text)) : m(text);
      if (!hit) continue;
      reg.times++;
      return typeof reg.statement === 'function' ? compileStatement(reg.statement(text)) : reg.statement;
    }
    return undefined;
  }
}

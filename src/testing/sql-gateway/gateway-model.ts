import type { SchedulingClock } from '../clock.js';
import type { IdSource } from '../ids.js';
import type { EncodedRow } from './column-types.js';
import { internalServerError } from '../java.js';
import { chainOf, configureError, executionChain, executionException, fetchError, gatewayException, type GatewayFailure, noOperation, noSession, serviceError, unknownTableChain } from './gateway-errors.js';
import { type CompiledStatement, compileStatement, type SimulatedStatements } from './statements.js';

/**
 * The simulated gateway's state: sessions with their configuration and tables, operations with
 * their result cursors. Everything that depends on time (readiness, rows of a streaming query,
 * session idle expiry) is computed from the clock when asked, so a virtual clock needs no timers
 * and nothing is left scheduled after close.
 */

/** Operation statuses. @internal */
export type OperationStatus = 'RUNNING' | 'FINISHED' | 'CANCELED' | 'ERROR' | 'TIMEOUT';

/** An operation on the simulated gateway. @internal */
export interface GatewayOperation {
  readonly handle: string;
  readonly statement: string;
  readonly spec: CompiledStatement;
  readonly submittedAt: number;
  readonly jobId: string | undefined;
  readonly timeoutMs: number | undefined;
  canceled: boolean;
  /** Rows handed out so far. */
  served: number;
  /** The token a fetch may ask for next (or this minus one, to repeat the last page). */
  token: number;
  /** The last page, for a repeated fetch of token - 1. */
  previous: EncodedRow[];
  /** NOT_READY answers still owed before the first page. */
  notReadyLeft: number;
}

/** A session on the simulated gateway. @internal */
export interface GatewaySession {
  readonly handle: string;
  readonly name: string | undefined;
  readonly openedAt: number;
  lastAccess: number;
  readonly properties: Record<string, string>;
  /** Tables created in the session (for SHOW TABLES, completion and unknown-table errors). */
  readonly tables: Set<string>;
  readonly operations: Map<string, GatewayOperation>;
}

/** Configuration of the model. @internal */
export interface GatewayModelConfig {
  clock: SchedulingClock;
  ids: IdSource;
  statements: SimulatedStatements;
  idleTimeoutMs: number;
  defaults: Record<string, string>;
}

/** A page to send, or an error. @internal */
export type FetchAnswer =
  | { kind: 'NOT_READY' }
  | { kind: 'PAYLOAD' | 'EOS'; op: GatewayOperation; rows: EncodedRow[]; next: number | undefined }
  | { kind: 'error'; failure: GatewayFailure };

const DDL = /^(CREATE|DROP|ALTER|USE|SET|RESET|LOAD|UNLOAD|ADD|REMOVE)\b/i;
const KEYWORDS = ['SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'ORDER', 'INSERT', 'INTO', 'VALUES', 'TABLE', 'CREATE', 'SHOW', 'TABLES', 'WITH', 'LIMIT'];

/** Reserved words where a table name should be: the parser's `Incorrect syntax near the keyword`. */
const RESERVED = new Set(['WHERE', 'GROUP', 'ORDER', 'LIMIT', 'SELECT', 'FROM', 'HAVING', 'UNION', 'JOIN', 'ON', 'AND', 'OR', 'BY', 'VALUES']);

/** The parser's chain for a keyword where a table should be, as recorded (`SELECT * FROM WHERE`). */
function parseErrorChain(statement: string, keyword: string, at: number): Array<{ className: string; message: string }> {
  const before = statement.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  const expecting = ['"LATERAL" ...', '"TABLE" ...', '<IDENTIFIER> ...', '<QUOTED_IDENTIFIER> ...', '<BACK_QUOTED_IDENTIFIER> ...', '"(" ...', '"UNNEST" ...'];
  const message = `Incorrect syntax near the keyword '${keyword.toUpperCase()}' at line ${line}, column ${column}.\nWas expecting one of:\n${expecting.map((e) => `    ${e}`).join('\n')}\n`;
  return [
    { className: 'org.apache.flink.table.api.SqlParserException', message: `SQL parse failed. ${message}` },
    { className: 'org.apache.calcite.sql.parser.SqlParseException', message },
    { className: 'org.apache.flink.sql.parser.impl.ParseException', message },
  ];
}

/** The gateway model. @internal */
export class GatewayModel {
  readonly sessions = new Map<string, GatewaySession>();
  readonly #config: GatewayModelConfig;

  constructor(config: GatewayModelConfig) {
    this.#config = config;
  }

  get clock(): SchedulingClock {
    return this.#config.clock;
  }

  /** Drops sessions idle for longer than the idle timeout (`sql-gateway.session.idle-timeout`). */
  expire(): void {
    const now = this.clock.now();
    for (const [handle, s] of this.sessions) if (now - s.lastAccess > this.#config.idleTimeoutMs) this.sessions.delete(handle);
  }

  open(name: string | undefined, properties: Record<string, string>): GatewaySession {
    this.expire();
    const handle = this.#config.ids.uuid();
    const now = this.clock.now();
    const session: GatewaySession = { handle, name, openedAt: now, lastAccess: now, properties: { ...this.#config.defaults, ...properties }, tables: new Set(), operations: new Map() };
    this.sessions.set(handle, session);
    return session;
  }

  /** The session, touched (any call keeps it alive), or the gateway's `Session ... does not exist` for `call`. */
  session(handle: string, call: string): GatewaySession | GatewayFailure {
    this.expire();
    const s = this.sessions.get(handle);
    if (!s) {
      // As recorded: submitting to a missing session fails as an internal error, other calls as a RestHandlerException.
      if (call === 'executeStatement') return { status: 500, body: internalServerError(chainOf([gatewayException('Failed to execute statement.'), gatewayException(noSession(handle))])) };
      return serviceError(call, noSession(handle));
    }
    s.lastAccess = this.clock.now();
    return s;
  }

  close(handle: string): GatewayFailure | undefined {
    const s = this.session(handle, 'closeSession');
    if ('status' in s) return s;
    this.sessions.delete(handle);
    return undefined;
  }

  /** Applies the side effects of a DDL statement on the session (tables, SET). */
  #applyDdl(session: GatewaySession, statement: string): void {
    const create = /^CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([`\w.]+)/i.exec(statement);
    if (create) session.tables.add(lastPart(create[1] as string));
    const drop = /^DROP\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+EXISTS\s+)?([`\w.]+)/i.exec(statement);
    if (drop) session.tables.delete(lastPart(drop[1] as string));
    const set = /^SET\s+'([^']+)'\s*=\s*'([^']*)'/i.exec(statement);
    if (set) session.properties[set[1] as string] = set[2] as string;
    const reset = /^RESET\s+'([^']+)'/i.exec(statement);
    if (reset) {
      const key = reset[1] as string;
      if (key in this.#config.defaults) session.properties[key] = this.#config.defaults[key] as string;
      else delete session.properties[key];
    }
  }

  /**
   * What an unregistered statement does: DDL succeeds (`OK`, tables and `SET` remembered),
   * `SHOW TABLES` lists the session's tables; any other statement fails like a statement on an
   * unknown table does on the real gateway (its first `FROM`/`INTO` table, with its position),
   * or, when its tables exist or it names none, with a ValidationException saying no result is
   * registered for it.
   */
  #builtin(session: GatewaySession, statement: string): CompiledStatement {
    const text = statement.trim();
    if (DDL.test(text)) {
      this.#applyDdl(session, text);
      return compileStatement({});
    }
    if (/^SHOW\s+TABLES\s*;?$/i.test(text)) {
      return compileStatement({ columns: [{ name: 'table name', type: 'STRING' }], rows: [...session.tables].sort().map((t) => [t]), query: false });
    }
    const ref = /\b(?:FROM|INTO|JOIN)\s+([`\w.]+)/gi;
    for (let m = ref.exec(statement); m; m = ref.exec(statement)) {
      const name = (m[1] as string).replace(/`/g, '');
      const at = m.index + m[0].length - (m[1] as string).length;
      if (RESERVED.has(name.toUpperCase())) return compileStatement({ error: parseErrorChain(statement, name, at) });
      if (!session.tables.has(lastPart(name))) {
        const chain = unknownTableChain(statement, name, at);
        return { ...compileStatement({ error: chain.map((c) => ({ className: c.className, message: c.message ?? '' })) }) };
      }
    }
    return compileStatement({
      error: `flink-client/testing: no result is registered for this statement; register one with gateway.statements.register(): ${text.slice(0, 200)}`,
    });
  }

  execute(session: GatewaySession, statement: string, timeoutMs: number | undefined): GatewayOperation {
    const spec = this.#config.statements.resolve(statement) ?? this.#builtin(session, statement);
    const handle = this.#config.ids.uuid();
    const op: GatewayOperation = {
      handle,
      statement,
      spec,
      submittedAt: this.clock.now(),
      jobId: spec.query && !spec.error ? (spec.jobId ?? this.#config.ids.flinkId()) : undefined,
      timeoutMs,
      canceled: false,
      served: 0,
      token: 0,
      previous: [],
      notReadyLeft: 1,
    };
    session.operations.set(handle, op);
    return op;
  }

  /** `configure-session`: runs a DDL-like statement at once; an error answers 500. */
  configure(session: GatewaySession, statement: string): GatewayFailure | undefined {
    const spec = this.#config.statements.resolve(statement) ?? this.#builtin(session, statement);
    if (spec.error) return configureError(this.#config.ids.uuid(), spec.error);
    return undefined;
  }

  complete(session: GatewaySession, statement: string, position: number): string[] {
    const before = statement.slice(0, Math.max(0, Math.min(position, statement.length)));
    const word = /[\w.]*$/.exec(before)?.[0] ?? '';
    if (word === '') return [];
    const upper = word.toUpperCase();
    const keywords = KEYWORDS.filter((k) => k.startsWith(upper) && k !== upper);
    const tables = [...session.tables].filter((t) => t.toLowerCase().startsWith(word.toLowerCase())).map((t) => `default_catalog.default_database.${t}`);
    return [...keywords, ...tables];
  }

  #readyAt(op: GatewayOperation): number {
    return op.submittedAt + op.spec.notReadyMs;
  }

  #timedOut(op: GatewayOperation, now: number): boolean {
    if (op.timeoutMs === undefined) return false;
    const end = op.spec.continuous || op.spec.error ? Infinity : this.#readyAt(op);
    return now >= op.submittedAt + op.timeoutMs && end > op.submittedAt + op.timeoutMs;
  }

  status(op: GatewayOperation): OperationStatus {
    const now = this.clock.now();
    if (op.canceled) return 'CANCELED';
    if (this.#timedOut(op, now)) return 'TIMEOUT';
    if (now < this.#readyAt(op)) return 'RUNNING';
    return op.spec.error ? 'ERROR' : 'FINISHED';
  }

  operation(session: GatewaySession, handle: string, call: string): GatewayOperation | GatewayFailure {
    const op = session.operations.get(handle);
    return op ?? serviceError(call, noOperation(handle));
  }

  cancel(op: GatewayOperation): GatewayFailure | undefined {
    const from = this.status(op);
    if (from !== 'RUNNING') return serviceError('cancelOperation', `Failed to convert the Operation Status from ${from} to CANCELED for ${op.handle}.`);
    op.canceled = true;
    return undefined;
  }

  /** Rows of `op` available now (a streaming source releases one per `rowIntervalMs`). */
  #available(op: GatewayOperation, now: number): number {
    const ready = this.#readyAt(op);
    const total = op.spec.rows.length;
    if (now < ready) return 0;
    if (op.spec.rowIntervalMs === 0) return total;
    return Math.min(total, 1 + Math.floor((now - ready) / op.spec.rowIntervalMs));
  }

  /**
   * One fetch, as the gateway's ResultFetcher answers it: token N (the next page; N advances by
   * one per PAYLOAD page, empty or not) or N - 1 (the last page again); any other token is an
   * error; EOS keeps N and carries no next URI.
   */
  fetch(session: GatewaySession, handle: string, token: number): FetchAnswer {
    const op = session.operations.get(handle);
    if (!op) return { kind: 'error', failure: fetchError(gatewayException(noOperation(handle))) };
    const status = this.status(op);
    if (status === 'CANCELED' || status === 'TIMEOUT') return { kind: 'error', failure: fetchError(gatewayException(`Can not fetch results from the ${op.handle} in ${status} status.`)) };
    const now = this.clock.now();
    if (token === op.token && op.token === 0 && (op.notReadyLeft > 0 || now < this.#readyAt(op))) {
      if (op.notReadyLeft > 0) op.notReadyLeft--;
      return { kind: 'NOT_READY' };
    }
    if (op.spec.error) return { kind: 'error', failure: fetchError(...executionChain(op.handle, op.spec.error)) };
    if (token === op.token - 1 && token >= 0) return { kind: 'PAYLOAD', op, rows: op.previous, next: op.token };
    if (token !== op.token) {
      return { kind: 'error', failure: fetchError(executionException(`Expecting token to be ${op.token} or ${op.token - 1}, but found ${token}.`)) };
    }
    const available = this.#available(op, now);
    if (op.served >= op.spec.rows.length && !op.spec.continuous) return { kind: 'EOS', op, rows: [], next: undefined };
    const take = Math.min(available - op.served, op.spec.pageSize);
    const rows = take > 0 ? op.spec.rows.slice(op.served, op.served + take) : [];
    op.served += rows.length;
    op.previous = rows;
    op.token++;
    return { kind: 'PAYLOAD', op, rows, next: op.token };
  }
}

function lastPart(name: string): string {
  const parts = name.replace(/`/g, '').split('.');
  return parts[parts.length - 1] as string;
}

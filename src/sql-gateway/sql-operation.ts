import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import { FlinkError } from '../errors/flink-error.js';
import { FlinkServerError } from '../errors/flink-server-error.js';
import { SqlStatementError } from '../errors/sql-statement-error.js';
import type { JobClient } from '../context/handles.js';
import { pollUntil } from '../operations/poll.js';
import type { RequestOptions } from '../options/request-options.js';
import { type FetchResultsResponse, FetchResultsResponseSchema, OperationStatusResponseSchema, type SqlColumn } from '../schemas/sql-gateway.js';
import type { SqlGatewayContext } from './sql-gateway-context.js';
import { decodePage, type RowConverter, rowConverter, type SqlRow } from './sql-types.js';

/** How result rows are fetched and typed. */
export interface SqlResultOptions {
  /**
   * `JSON` (typed values, the default) or `PLAIN_TEXT` (every value as the string Flink prints).
   * @default 'JSON'
   */
  rowFormat?: 'JSON' | 'PLAIN_TEXT';
  /**
   * How BIGINT values come out: `bigint` (exact) or `number` (exact up to 2^53 only).
   * @default 'bigint'
   */
  bigints?: 'bigint' | 'number';
}

/** Options of a wait on results (`rows()`, `collect()`, `columns()`, `jobId()`). */
export interface SqlWaitOptions {
  /** Aborts the wait and the request in flight; the wait rejects with FlinkAbortError. */
  signal?: AbortSignal;
  /**
   * Deadline of the whole wait in ms. Iterating rows waits without one by default (a continuous
   * query may be quiet for a long time); `collect()`, `columns()` and `jobId()` use the client's
   * `waitTimeoutMs` (600 000).
   */
  timeoutMs?: number;
}

/** Options of {@link SqlOperation.collect}. */
export interface SqlCollectOptions extends SqlWaitOptions {
  /** Stop after this many rows (the operation is then closed). @default no limit */
  limit?: number;
}

/** Status names of a gateway operation. */
export type SqlOperationStatus = 'INITIALIZED' | 'PENDING' | 'RUNNING' | 'FINISHED' | 'CANCELED' | 'CLOSED' | 'ERROR' | 'TIMEOUT' | (string & {});

/**
 * A statement running on the gateway: a cheap handle (made by `session.execute()`), with its status,
 * cancel and close, and its result rows.
 *
 * Rows stream: `for await (const row of op)` fetches one page at a time by `nextResultUri`,
 * waits out `NOT_READY` and empty pages with the poll engine's backoff, and ends at `EOS`; memory
 * stays flat whatever the row count. Leaving the loop early (break, an abort, an error) closes the
 * operation on the gateway, which cancels a continuous query's job. A statement that failed throws
 * {@link SqlStatementError} with Flink's root cause.
 */
export interface SqlOperation extends AsyncIterable<SqlRow> {
  /** The operation handle (a UUID). */
  readonly handle: string;
  /** The statement text. */
  readonly statement: string;
  /** `GET .../status`. */
  status(options?: RequestOptions): Promise<SqlOperationStatus>;
  /** Cancels the statement (`POST .../cancel`); its job is cancelled too. */
  cancel(options?: RequestOptions): Promise<SqlOperationStatus>;
  /** Closes the operation (`DELETE .../close`), freeing its results on the gateway; safe to repeat. */
  close(options?: RequestOptions): Promise<void>;
  /** The rows, as an async iterator with its own signal and deadline. */
  rows(options?: SqlWaitOptions): AsyncIterable<SqlRow>;
  /** Every row (or the first `limit`) of a bounded result. */
  collect(options?: SqlCollectOptions): Promise<SqlRow[]>;
  /** The result columns, once the first page arrived. */
  columns(options?: SqlWaitOptions): Promise<SqlColumn[]>;
  /** The id of the job the statement started (a query, an INSERT INTO), or undefined. */
  jobId(options?: SqlWaitOptions): Promise<string | undefined>;
  /** The job the statement started as a JobClient on `cluster`, e.g. to stop an INSERT INTO with a savepoint. */
  job(cluster: { job(jobId: string): JobClient }, options?: SqlWaitOptions): Promise<JobClient | undefined>;
}



const NEXT_URI = /^\/v\d+\/sessions\/([^/]+)\/operations\/([^/]+)\/result\/(\d+)(?:\?.*)?$/;

/**
 * A page that was fetched: its body, its wire rows and their converter. Rows are converted one at
 * a time as they are read, so each typed row dies young instead of a whole page of them outliving
 * a scavenge (the profile showed GC as the largest cost after JSON.parse).
 */
interface Page {
  body: FetchResultsResponse;
  rows: readonly unknown[];
  convert: RowConverter;
}

const NO_ROWS: readonly unknown[] = [];
const NO_CONVERSION: RowConverter = () => ({ kind: 'INSERT', values: {} });

/** The implementation of {@link SqlOperation}. */
export class SqlOperationHandle implements SqlOperation {
  readonly handle: string;
  readonly statement: string;
  readonly #context: SqlGatewayContext;
  readonly #session: string;
  readonly #format: 'JSON' | 'PLAIN_TEXT';
  readonly #bigints: 'bigint' | 'number';
  /** The next token to fetch; undefined once EOS was seen. */
  #token: number | undefined = 0;
  #columns: SqlColumn[] | undefined;
  #convert: RowConverter | undefined;
  #jobId: string | undefined;
  #sawPayload = false;
  /** A page read ahead by columns()/jobId(), handed to the next read of rows. */
  #pending: Page | undefined;
  #reading = false;
  #closed = false;

  constructor(context: SqlGatewayContext, session: string, handle: string, statement: string, options: SqlResultOptions = {}) {
    this.#context = context;
    this.#session = session;
    this.handle = handle;
    this.statement = statement;
    this.#format = options.rowFormat ?? 'JSON';
    this.#bigints = options.bigints ?? 'bigint';
  }

  #path(suffix: string): string {
    return `/sessions/${this.#session}/operations/${this.handle}${suffix}`;
  }

  async status(options?: RequestOptions): Promise<SqlOperationStatus> {
    const body = await this.#context.request({ method: 'GET', path: this.#path('/status'), schema: OperationStatusResponseSchema, alwaysValidate: true }, options);
    return body.status;
  }

  async cancel(options?: RequestOptions): Promise<SqlOperationStatus> {
    try {
      const body = await this.#context.request({ method: 'POST', path: this.#path('/cancel'), schema: OperationStatusResponseSchema, alwaysValidate: true, idempotent: true }, options);
      return body.status;
    } catch (err) {
      // A query's operation is FINISHED as soon as its job runs and its rows can be fetched; the
      // gateway then refuses to cancel it ("from FINISHED to CANCELED"), but closing it cancels the job.
      if (err instanceof FlinkServerError && err.errors.some((e) => /from FINISHED to CANCELED/.test(e))) {
        await this.close(options);
        return 'CLOSED';
      }
      throw err;
    }
  }

  async close(options?: RequestOptions): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#context.request({ method: 'DELETE', path: this.#path('/close'), schema: OperationStatusResponseSchema }, options);
    } catch (err) {
      // Closing what the gateway already dropped (a closed session, an expired operation) is done.
      if (!(err instanceof FlinkServerError && err.errors.some((e) => /Can not find the submitted operation|does not exist|Session .* does not exist/i.test(e)))) throw err;
    }
    this.#closed = true;
  }

  [Symbol.asyncIterator](): AsyncIterator<SqlRow> {
    return this.rows()[Symbol.asyncIterator]();
  }

  rows(options: SqlWaitOptions = {}): AsyncIterable<SqlRow> {
    return { [Symbol.asyncIterator]: () => this.#iterate(options) };
  }


  /**
   * The row iterator: a plain object over the current page rather than an async generator, so a
   * row costs one resolved promise and no generator bookkeeping.
   */
  #iterate(options: SqlWaitOptions): AsyncIterator<SqlRow> {
    if (this.#reading) throw new FlinkError(`the rows of operation ${this.handle} are already being read: a result can be read once, in order`, 'FLINK_ERROR');
    this.#reading = true;
    let rows: readonly unknown[] = NO_ROWS;
    let convert: RowConverter = NO_CONVERSION;
    let index = 0;
    let done = false;
    const finish = async (early: boolean): Promise<IteratorResult<SqlRow>> => {
      if (!done) {
        done = true;
        this.#reading = false;
        // Left early (break, abort, error): the cursor is closed, as a database driver's is; a
        // continuous query's job is cancelled with it.
        if (early) await this.close().catch(() => undefined);
      }
      return { done: true, value: undefined };
    };
    const timeoutMs = options.timeoutMs ?? Infinity;
    const refill = async (): Promise<IteratorResult<SqlRow>> => {
      while (index >= rows.length) {
        let page: Page | null;
        try {
          page = await this.#nextPage(options, timeoutMs);
        } catch (err) {
          await finish(true);
          throw err;
        }
        if (!page) return finish(false);
        rows = page.rows;
        convert = page.convert;
        index = 0;
      }
      try {
        return { done: false, value: convert(rows[index++]) };
      } catch (err) {
        await finish(true);
        throw err;
      }
    };
    return {
      // A row of the current page is an already-resolved promise: no async function frame per row
      // (the profile showed that frame as the largest cost after JSON.parse).
      next: (): Promise<IteratorResult<SqlRow>> => {
        if (done) return Promise.resolve({ done: true, value: undefined });
        if (index < rows.length) {
          try {
            return Promise.resolve({ done: false, value: convert(rows[index++]) });
          } catch (err) {
            // A value that does not convert (a BIGINT that is no integer): close, as on any error.
            return finish(true).then(() => Promise.reject(err));
          }
        }
        return refill();
      },
      return: () => finish(true),
    };
  }

  async collect(options: SqlCollectOptions = {}): Promise<SqlRow[]> {
    const limit = options.limit ?? Infinity;
    if (limit !== Infinity && (!Number.isInteger(limit) || limit < 0)) throw new FlinkArgumentError('options.limit', 'expected a non-negative integer');
    const rows: SqlRow[] = [];
    if (limit === 0) return rows;
    for await (const row of this.rows({ signal: options.signal, timeoutMs: options.timeoutMs ?? this.#context.waitTimeoutMs })) {
      rows.push(row);
      if (rows.length >= limit) break;
    }
    return rows;
  }

  async columns(options: SqlWaitOptions = {}): Promise<SqlColumn[]> {
    await this.#peek(options);
    return this.#columns ?? [];
  }

  async jobId(options: SqlWaitOptions = {}): Promise<string | undefined> {
    await this.#peek(options);
    return this.#jobId;
  }

  async job(cluster: { job(jobId: string): JobClient }, options: SqlWaitOptions = {}): Promise<JobClient | undefined> {
    const id = await this.jobId(options);
    return id === undefined ? undefined : cluster.job(id);
  }

  /** Reads ahead until the first PAYLOAD (columns, job id) is known, keeping that page for the rows. */
  async #peek(options: SqlWaitOptions): Promise<void> {
    if (this.#sawPayload || this.#token === undefined) return;
    if (this.#reading) throw new FlinkError('columns()/jobId() wait for the first page, which the running iteration reads: ask before iterating', 'FLINK_ERROR');
    this.#pending = (await this.#nextPage(options, options.timeoutMs ?? this.#context.waitTimeoutMs, true)) ?? undefined;
  }

  /**
   * The next page with rows, or null at EOS. NOT_READY and empty PAYLOAD pages are waited out on
   * the poll engine: brisk at first, backing off to a second between fetches.
   */
  async #nextPage(options: SqlWaitOptions, timeoutMs: number, firstPayload = false): Promise<Page | null> {
    if (this.#pending) {
      const page = this.#pending;
      this.#pending = undefined;
      return page;
    }
    if (this.#token === undefined) return null;
    const page = await pollUntil(
      (signal) => this.#fetch(signal),
      (p) => p.body.resultType === 'EOS' || p.rows.length > 0 || (firstPayload && this.#sawPayload),
      {
        intervalMs: 20,
        maxIntervalMs: 1_000,
        timeoutMs,
        signal: options.signal,
        closeSignal: this.#context.closeSignal,
        target: `results of SQL operation ${this.handle}`,
      },
    );
    if (page.body.resultType === 'EOS' && page.rows.length === 0) return null;
    return page;
  }

  async #fetch(signal: AbortSignal): Promise<Page> {
    const token = this.#token;
    if (token === undefined) return { body: { resultType: 'EOS' }, rows: NO_ROWS, convert: NO_CONVERSION };
    let body: FetchResultsResponse;
    try {
      body = await this.#context.request(
        {
          method: 'GET',
          path: this.#path(`/result/${token}`),
          query: { rowFormat: this.#format },
          schema: FetchResultsResponseSchema,
          alwaysValidate: true,
          decode: decodePage,
        },
        { signal, maxRetries: 0 },
      );
    } catch (err) {
      if (err instanceof FlinkServerError && err.status === 500) {
        throw new SqlStatementError({ statement: this.statement, sessionHandle: this.#session, operationHandle: this.handle, errors: err.errors, cause: err });
      }
      throw err;
    }
    if (body.resultType === 'NOT_READY') return { body, rows: NO_ROWS, convert: NO_CONVERSION };
    const results = body.results;
    const columns = results?.columns ?? results?.columnInfos;
    if (columns && !this.#columns) {
      this.#columns = columns;
      this.#convert = rowConverter(columns, this.#format === 'PLAIN_TEXT', { bigints: this.#bigints });
    }
    if (body.jobID) this.#jobId = body.jobID;
    this.#sawPayload = true;
    this.#token = this.#advance(body, token);
    const convert = (this.#convert ??= rowConverter([], this.#format === 'PLAIN_TEXT', { bigints: this.#bigints }));
    return { body, rows: results?.data ?? NO_ROWS, convert };
  }

  /** The token of `nextResultUri`, checked to name this operation; undefined at EOS. */
  #advance(body: FetchResultsResponse, token: number): number | undefined {
    if (body.resultType === 'EOS' || !body.nextResultUri) return undefined;
    const m = NEXT_URI.exec(body.nextResultUri);
    if (!m || m[1]?.toLowerCase() !== this.#session || m[2]?.toLowerCase() !== this.handle) {
      throw new FlinkError(`the gateway sent a nextResultUri that does not name this operation: ${JSON.stringify(body.nextResultUri.slice(0, 200))}`, 'FLINK_VALIDATION_ERROR');
    }
    const next = Number(m[3]);
    return Number.isSafeInteger(next) && next >= token ? next : token + 1;
  }
}

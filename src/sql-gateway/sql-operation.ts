import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import { FlinkError } from '../errors/flink-error.js';
import { FlinkServerError } from '../errors/flink-server-error.js';
import { SqlStatementError } from '../errors/sql-statement-error.js';
import type { JobClient } from '../context/handles.js';
import { linkedController } from '../internal/abort.js';
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
  /**
   * The rows page by page as the gateway sends them: one await per page instead of one per row,
   * for consumers that handle rows in batches (an insert per page). Pages are never empty; the
   * same reading, read-ahead, waits and early close as {@link SqlOperation.rows}.
   * @throws SqlStatementError when the statement failed; FlinkAbortError, FlinkTimeoutError
   * @example
   * for await (const page of op.pages()) await db.insertMany(page.map((r) => r.values));
   */
  pages(options?: SqlWaitOptions): AsyncIterable<SqlRow[]>;
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

/** One iteration's reading of the pages (see `#cursor`). */
interface Cursor {
  /** Whether the iteration ended (EOS, an error, or left early). */
  readonly done: boolean;
  /** The next page with rows, or null once the iteration ended. */
  next(): Promise<Page | null>;
  /** Ends the iteration; `early` closes the operation on the gateway. Safe to repeat. */
  finish(early: boolean): Promise<void>;
}

const END: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
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
  /**
   * The next page, asked for while the rows of the current one are read: one request ahead, so the
   * gateway's round trip overlaps the caller's work on the rows (memory stays two pages at most).
   * Settles to the page or to what the fetch threw; never rejects, so nothing goes unhandled when
   * the iteration ends first.
   */
  #ahead: { settled: Promise<{ page: Page } | { error: unknown }>; controller: AbortController; dispose: () => void } | undefined;

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


  pages(options: SqlWaitOptions = {}): AsyncIterable<SqlRow[]> {
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<SqlRow[]> => {
        const cursor = this.#cursor(options);
        return {
          next: async (): Promise<IteratorResult<SqlRow[]>> => {
            const page = await cursor.next();
            if (!page) return END;
            const out = new Array<SqlRow>(page.rows.length);
            try {
              for (let i = 0; i < out.length; i++) out[i] = page.convert(page.rows[i]);
            } catch (err) {
              await cursor.finish(true);
              throw err;
            }
            return { done: false, value: out };
          },
          return: () => cursor.finish(true).then(() => END),
        };
      },
    };
  }

  /**
   * Reads the result page by page for one iteration: hands out pages with rows until EOS, reading
   * the next page ahead, and closes the operation when the iteration is left early (break, an
   * abort, an error), as a database driver closes its cursor; a continuous query's job is
   * cancelled with it.
   */
  #cursor(options: SqlWaitOptions): Cursor {
    if (this.#reading) throw new FlinkError(`the rows of operation ${this.handle} are already being read: a result can be read once, in order`, 'FLINK_ERROR');
    this.#reading = true;
    const timeoutMs = options.timeoutMs ?? Infinity;
    let done = false;
    const finish = async (early: boolean): Promise<void> => {
      if (done) return;
      done = true;
      this.#reading = false;
      this.#dropReadAhead();
      if (early) await this.close().catch(() => undefined);
    };
    return {
      get done() {
        return done;
      },
      next: async (): Promise<Page | null> => {
        if (done) return null;
        let page: Page | null;
        try {
          page = await this.#nextPage(options, timeoutMs);
        } catch (err) {
          await finish(true);
          throw err;
        }
        if (!page) {
          await finish(false);
          return null;
        }
        this.#readAhead(options.signal);
        return page;
      },
      finish,
    };
  }

  /**
   * The row iterator: a plain object over the current page rather than an async generator, so a
   * row costs one resolved promise and no generator bookkeeping.
   */
  #iterate(options: SqlWaitOptions): AsyncIterator<SqlRow> {
    const cursor = this.#cursor(options);
    let rows: readonly unknown[] = NO_ROWS;
    let convert: RowConverter = NO_CONVERSION;
    let index = 0;
    const refill = async (): Promise<IteratorResult<SqlRow>> => {
      while (index >= rows.length) {
        // The finished page is let go before the next one is awaited: two pages alive at once
        // would be copied by every scavenge that runs meanwhile.
        rows = NO_ROWS;
        const page = await cursor.next();
        if (!page) return END;
        rows = page.rows;
        convert = page.convert;
        index = 0;
      }
      try {
        return { done: false, value: convert(rows[index++]) };
      } catch (err) {
        await cursor.finish(true);
        throw err;
      }
    };
    return {
      // A row of the current page is an already-resolved promise: no async function frame per row
      // (the profile showed that frame as the largest cost after JSON.parse).
      next: (): Promise<IteratorResult<SqlRow>> => {
        if (cursor.done) return Promise.resolve(END);
        if (index < rows.length) {
          try {
            return Promise.resolve({ done: false, value: convert(rows[index++]) });
          } catch (err) {
            // A value that does not convert (a BIGINT that is no integer): close, as on any error.
            return cursor.finish(true).then(() => Promise.reject(err));
          }
        }
        return refill();
      },
      return: () => cursor.finish(true).then(() => END),
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
    const ahead = this.#ahead;
    if (ahead) {
      this.#ahead = undefined;
      const got = await ahead.settled;
      ahead.dispose();
      if ('error' in got) throw got.error;
      const { page } = got;
      if (page.rows.length > 0) return page;
      if (page.body.resultType === 'EOS') return null;
      // NOT_READY or an empty page: wait for rows as usual.
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

  /** Starts fetching the page after the current one, unless the result has ended or a read-ahead is running. */
  #readAhead(signal: AbortSignal | undefined): void {
    if (this.#ahead || this.#token === undefined) return;
    const { controller, dispose } = linkedController([signal, this.#context.closeSignal]);
    const settled = this.#fetch(controller.signal).then(
      (page) => ({ page }),
      (error: unknown) => ({ error }),
    );
    this.#ahead = { settled, controller, dispose };
  }

  /** Cancels a read-ahead nobody will read (the iteration ended). */
  #dropReadAhead(): void {
    const ahead = this.#ahead;
    if (!ahead) return;
    this.#ahead = undefined;
    ahead.controller.abort();
    ahead.dispose();
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

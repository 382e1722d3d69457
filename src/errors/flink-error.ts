import { type FlinkErrorCategory, FLINK_ERROR_CODE_CATEGORIES } from './error-category.js';
import type { FlinkErrorCode } from './flink-error-code.js';

/**
 * The registry symbol under which every flink-client error lists the kinds it is. It is global
 * (`Symbol.for`) so that `instanceof` works across two loaded copies of the package, such as the
 * ESM and the CJS build in one process, or two versions in one dependency tree.
 */
const KINDS = Symbol.for('flink-client.error.kinds');

/** Node's `util.inspect.custom`, by its registered name (no import of node:util needed). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Longest string a logged or serialised error shows of one field. */
const FIELD_LIMIT = 2_000;

/** Options shared by every flink-client error constructor. */
export interface FlinkErrorOptions {
  /** The underlying error, kept on `error.cause`. */
  cause?: unknown;
}

/**
 * The base class of every error flink-client throws.
 *
 * Each error carries a stable string `code` (a {@link FlinkErrorCode}: switch on it rather than on
 * messages), the `requestId` of the call that failed when a request was involved, and, where one
 * exists, the underlying `cause`. `instanceof` checks are branded, so they hold across the ESM and
 * CJS builds and across duplicated copies of the package.
 *
 * Errors are safe to log whatever the server sent: `JSON.stringify(error)` and `console.log(error)`
 * never throw, show a short summary (long fields such as Java stack traces are cut, still whole on
 * the error), and never contain credentials (URLs, headers and bodies on errors are redacted).
 *
 * @example
 * ```ts
 * try {
 *   await cluster.job(jobId).cancel();
 * } catch (err) {
 *   if (isFlinkError(err, 'FLINK_JOB_NOT_FOUND')) console.log('already gone');
 *   else throw err;
 * }
 * ```
 */
export class FlinkError extends Error {
  /** The brand used by the cross-copy `instanceof` check; each subclass sets its own. */
  static readonly kind: string = 'FlinkError';

  /** A stable, machine-readable code such as `FLINK_JOB_NOT_FOUND`. */
  readonly code: FlinkErrorCode;

  /**
   * The id of the logical call that failed (the same across its retries and failovers, and on its
   * `request`, `response`, `retry` and `failure` events); undefined for errors no request was
   * involved in (a bad argument, say).
   */
  declare readonly requestId: string | undefined;

  constructor(message: string, code: FlinkErrorCode = 'FLINK_ERROR', options: FlinkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, 'kind')) kinds.push((c as unknown as { kind: string }).kind);
    }
    Object.defineProperty(this, KINDS, { value: kinds, enumerable: false });
    // The class name may be minified by a user's bundler; the kind string survives.
    Object.defineProperty(this, 'name', { value: kinds[0] ?? 'FlinkError', enumerable: false, writable: true, configurable: true });
  }

  /**
   * What kind of failure this is: the category of its `code` (see `FLINK_ERROR_CATEGORIES` and
   * `errorCategory()`), such as `not-found`, `timeout` or `connection`.
   */
  get category(): FlinkErrorCategory {
    return FLINK_ERROR_CODE_CATEGORIES[this.code] ?? 'other';
  }

  /**
   * `instanceof` by error kind rather than by prototype, so that it holds across copies of the
   * package (such as its ESM and CommonJS builds loaded in one process).
   */
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    if (typeof value !== 'object' || value === null) return false;
    const kinds = (value as { [KINDS]?: unknown })[KINDS];
    return Array.isArray(kinds) && kinds.includes((this as unknown as { kind: string }).kind);
  }

  /**
   * A plain object with the name, code, message and every own field, for structured logs. Never
   * throws: a field that cannot be serialised is replaced by a note, strings are cut at 2 000
   * characters.
   */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'code') out[key] = loggable(value);
    }
    if (this.cause !== undefined) out.cause = this.cause instanceof Error ? { name: this.cause.name, message: cut(this.cause.message) } : loggable(this.cause);
    return out;
  }

  /**
   * What `console.log(error)` and `util.inspect(error)` show: the stack (with the message), then
   * the error's fields in short form. Long texts (Java stack traces, bodies) are summarised by
   * their first line and size; they stay whole on the error.
   */
  [INSPECT](): string {
    const fields: string[] = [`code: '${this.code}'`];
    for (const [key, value] of Object.entries(this)) {
      if (key === 'code' || value === undefined) continue;
      fields.push(`${key}: ${brief(value)}`);
    }
    return `${this.stack ?? `${this.name}: ${this.message}`}\n  { ${fields.join(', ')} }`;
  }
}

/**
 * Sets the request id on an error the pipeline is about to throw (once; a later call keeps the
 * first id, so an error passed through a second call keeps the call it came from).
 */
export function attachRequestId(error: FlinkError, requestId: string): void {
  if (error.requestId === undefined) Object.defineProperty(error, 'requestId', { value: requestId, enumerable: true, configurable: true });
}

function cut(text: string): string {
  return text.length > FIELD_LIMIT ? `${text.slice(0, FIELD_LIMIT)}…[${text.length - FIELD_LIMIT} more characters]` : text;
}

/** A value as a log may hold it: strings cut, anything unserialisable (cycles, deep nesting) replaced. */
function loggable(value: unknown): unknown {
  if (typeof value === 'string') return cut(value);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  try {
    const text = JSON.stringify(value);
    return text.length > FIELD_LIMIT ? cut(text) : JSON.parse(text);
  } catch {
    return '[unserializable]';
  }
}

function brief(value: unknown): string {
  if (typeof value === 'string') {
    const lines = value.split('\n');
    const first = lines[0] ?? '';
    const shown = first.length > 200 ? `${first.slice(0, 200)}…` : first;
    return lines.length > 1 || first.length > 200 ? `'${shown}' (${lines.length} lines, ${value.length} chars)` : `'${shown}'`;
  }
  if (value === null || typeof value !== 'object') return String(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return '[unserializable]';
  }
}

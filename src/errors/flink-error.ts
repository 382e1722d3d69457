/**
 * The registry symbol under which every flink-client error lists the kinds it is. It is global
 * (`Symbol.for`) so that `instanceof` works across two loaded copies of the package, such as the
 * ESM and the CJS build in one process, or two versions in one dependency tree.
 */
const KINDS = Symbol.for('flink-client.error.kinds');

/** Options shared by every flink-client error constructor. */
export interface FlinkErrorOptions {
  /** The underlying error, kept on `error.cause`. */
  cause?: unknown;
}

/**
 * The base class of every error flink-client throws.
 *
 * Each error carries a stable string `code` (switch on it rather than on messages) and, where one
 * exists, the underlying `cause`. `instanceof` checks are branded, so they hold across the ESM and
 * CJS builds and across duplicated copies of the package. Errors serialize to JSON with their
 * fields (never with credentials: URLs and headers on errors are redacted).
 *
 * @example
 * ```ts
 * try {
 *   await cluster.job(jobId).cancel();
 * } catch (err) {
 *   if (err instanceof FlinkError) console.error(err.code, err.message);
 * }
 * ```
 */
export class FlinkError extends Error {
  /** The brand used by the cross-copy `instanceof` check; each subclass sets its own. */
  static readonly kind: string = 'FlinkError';

  /** A stable, machine-readable code such as `FLINK_JOB_NOT_FOUND`. */
  readonly code: string;

  constructor(message: string, code = 'FLINK_ERROR', options: FlinkErrorOptions = {}) {
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
   * `instanceof` by error kind rather than by prototype, so that it holds across copies of the
   * package (such as its ESM and CommonJS builds loaded in one process).
   */
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    if (typeof value !== 'object' || value === null) return false;
    const kinds = (value as { [KINDS]?: unknown })[KINDS];
    return Array.isArray(kinds) && kinds.includes((this as unknown as { kind: string }).kind);
  }

  /** A plain object with the name, code, message and every own field, for structured logs. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'code') out[key] = value;
    }
    if (this.cause !== undefined) out.cause = this.cause instanceof Error ? { name: this.cause.name, message: this.cause.message } : this.cause;
    return out;
  }
}

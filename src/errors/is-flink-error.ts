import { FlinkError } from './flink-error.js';
import type { FlinkErrorCode } from './flink-error-code.js';

/**
 * Whether a value is a flink-client error, optionally with a given code. Works across two loaded
 * copies of the package (ESM and CJS) like `instanceof FlinkError` does, and narrows the type.
 *
 * @example
 * ```ts
 * try {
 *   await job.cancel();
 * } catch (err) {
 *   if (isFlinkError(err, 'FLINK_CONFLICT')) return; // already terminal
 *   throw err;
 * }
 * ```
 */
export function isFlinkError(value: unknown, code?: FlinkErrorCode): value is FlinkError {
  return value instanceof FlinkError && (code === undefined || value.code === code);
}

import { FlinkError } from './flink-error.js';

/** The caller's `AbortSignal` fired. `cause` is the signal's `reason`. */
export class FlinkAbortError extends FlinkError {
  static override readonly kind: string = 'FlinkAbortError';
  constructor(reason: unknown, what = 'operation') {
    super(`${what} aborted${reason instanceof Error && reason.message ? `: ${reason.message}` : ''}`, 'FLINK_ABORTED', { cause: reason });
  }
}

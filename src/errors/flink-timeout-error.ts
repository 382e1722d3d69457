import { FlinkError } from './flink-error.js';

/**
 * A deadline passed.
 *
 * `phase: 'attempt'` means one HTTP attempt took longer than `timeoutMs` (after retries, if any
 * were allowed). `phase: 'wait'` means a polling wait (`result()`, `waitFor()`, an operation's
 * `result()`) reached its deadline; `lastValue` then holds the last state it saw, so the caller
 * can tell a slow job from a stuck one.
 */
export class FlinkTimeoutError extends FlinkError {
  static override readonly kind: string = 'FlinkTimeoutError';
  /** Which deadline passed. */
  readonly phase: 'attempt' | 'wait';
  /** The deadline in milliseconds. */
  readonly timeoutMs: number;
  /** For waits, the last value observed before the deadline. */
  readonly lastValue: unknown;
  /** The request path (for attempts) or what was waited on (for waits). */
  readonly target: string;
  constructor(init: { phase: 'attempt' | 'wait'; timeoutMs: number; target: string; lastValue?: unknown; message?: string; cause?: unknown }) {
    super(
      init.message ??
        (init.phase === 'attempt'
          ? `${init.target} → no response within ${init.timeoutMs} ms`
          : `${init.target}: not done within ${init.timeoutMs} ms${init.lastValue === undefined ? '' : ` (last seen: ${brief(init.lastValue)})`}`),
      'FLINK_TIMEOUT',
      { cause: init.cause },
    );
    this.phase = init.phase;
    this.timeoutMs = init.timeoutMs;
    this.target = init.target;
    this.lastValue = init.lastValue;
  }
}

function brief(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    const text = JSON.stringify(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(value);
  }
}

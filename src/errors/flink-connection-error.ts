import { FlinkError } from './flink-error.js';

/** What the pipeline knows about a call that got no response. */
export interface FlinkConnectionErrorInit {
  /** HTTP method of the request. */
  method: string;
  /** Request URL of the last attempt, redacted. */
  url: string;
  /** Request path below the REST root. */
  path: string;
  /** The transport error of the last attempt (scrubbed of secrets). */
  cause: unknown;
  /** What the failure most likely means (a TLS mismatch, nothing listening), when that can be told. */
  diagnosis?: string;
  /** Attempts made. @default 1 */
  attempts?: number;
  /** Time the call spent, in milliseconds. */
  elapsedMs?: number;
  /** Every JobManager URL tried. @default the one of `url` */
  urls?: readonly string[];
  /** Overrides the derived message. */
  message?: string;
}

/**
 * No HTTP response arrived: the connection was refused or reset, DNS failed, or TLS verification
 * failed. Retried for every request when the failure happened before the request was sent, and
 * for idempotent requests otherwise. The message says what failed, where to, after how many
 * attempts over how long, and what it most likely means (`diagnosis`); `cause` holds the transport
 * error of the last attempt.
 */
export class FlinkConnectionError extends FlinkError {
  static override readonly kind: string = 'FlinkConnectionError';
  /** HTTP method of the request. */
  readonly method: string;
  /** Request URL of the last attempt, redacted. */
  readonly url: string;
  /** Request path below the REST root. */
  readonly path: string;
  /** What the failure most likely means, when that can be told (`the server requires a client certificate ...`). */
  readonly diagnosis: string | undefined;
  /** Attempts made. */
  readonly attempts: number;
  /** Time the call spent before giving up, in milliseconds. */
  readonly elapsedMs: number | undefined;
  /** Every JobManager URL tried (origins with their path prefix). */
  readonly urls: readonly string[];
  constructor(init: FlinkConnectionErrorInit) {
    const attempts = init.attempts ?? 1;
    const urls = init.urls ?? [originOf(init.url)];
    super(init.message ?? describe(init, attempts, urls), 'FLINK_CONNECTION_ERROR', { cause: init.cause });
    this.method = init.method;
    this.url = init.url;
    this.path = init.path;
    this.diagnosis = init.diagnosis;
    this.attempts = attempts;
    this.elapsedMs = init.elapsedMs;
    this.urls = urls;
  }
}

function describe(init: FlinkConnectionErrorInit, attempts: number, urls: readonly string[]): string {
  const where = urls.length > 1 ? `any of ${urls.join(', ')}` : (urls[0] ?? init.url);
  let text = `${init.method} ${init.path} → could not reach ${where}: ${describeCause(init.cause)}`;
  if (attempts > 1) text += ` (${attempts} attempts${init.elapsedMs === undefined ? '' : ` over ${formatDuration(init.elapsedMs)}`})`;
  if (init.diagnosis) text += `; ${init.diagnosis}`;
  return text;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
  }
  return String(cause);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** `850 ms`, `12.3 s`, `4 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

import type { RetryOptions } from '../options.js';

/** Retry timing with every default applied. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** The retry timing defaults. */
export const DEFAULT_RETRY: ResolvedRetryOptions = {
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  factor: 2,
  jitter: 0.2,
  maxRetryAfterMs: 60_000,
};

/**
 * Statuses worth another attempt: 408 (request timeout), 429 (rate limited), 502/504 (a proxy lost
 * the JobManager) and 503 (leader election). Not 500: Flink uses it for failures that repeat.
 */
const RETRYABLE_STATUSES = new Set([408, 429, 502, 503, 504]);

/** Whether a response status may be retried (for a request that is safe to repeat). */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * Error codes of failures that happen before any byte of the request reaches the server, so any
 * request, even a non-idempotent one, can be sent again.
 */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT']);

/** Error codes of connection failures worth retrying for a request that is safe to repeat. */
const TRANSIENT_CODES = new Set([...NOT_SENT_CODES, 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** The `code` of a transport error, looking through `cause` chains. */
export function transportCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Whether a transport error certainly happened before the request was sent. */
export function isNotSent(err: unknown): boolean {
  const code = transportCode(err);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** Whether a transport error is a transient connection failure. */
export function isTransient(err: unknown): boolean {
  const code = transportCode(err);
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/**
 * Parses `Retry-After` (seconds or an HTTP date) into milliseconds from `now`; undefined when
 * absent or unparseable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The sleep before retry number `retry` (1 for the first retry): exponential growth from
 * `initialDelayMs` capped at `maxDelayMs`, spread by ±`jitter`.
 */
export function backoffDelay(retry: number, options: ResolvedRetryOptions, random: () => number = Math.random): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** Math.max(0, retry - 1));
  const spread = base * options.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base + spread));
}

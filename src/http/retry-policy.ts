import type { RetryOptions } from '../options/client-options.js';

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

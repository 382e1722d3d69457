import { FlinkConnectionError } from '../errors/flink-connection-error.js';
import { FlinkTimeoutError } from '../errors/flink-timeout-error.js';
import { isTransientError } from '../http/transient.js';
import type { WaitSpan } from '../internal/telemetry.js';
import { checkWaitOptions } from '../options/check-options.js';
import type { WaitOptions } from '../options/request-options.js';
import type { PollOptions } from './poll.js';

/** What a client's waits default to, and the client's close signal they all stop on. */
export interface WaitDefaults {
  /** Deadline of a wait, in ms (`Infinity` for none). */
  readonly timeoutMs: number;
  /** How long every poll may fail to reach the cluster before a wait gives up, in ms. */
  readonly unreachableTimeoutMs: number;
  /** Fires when the client closes. */
  readonly closeSignal: AbortSignal;
}

/** The settings of one wait: what `pollUntil` takes (whatever it reads), plus the per-request options of each poll. */
export type WaitPoll = Omit<PollOptions<unknown>, 'onValue'> & { request: WaitOptions['request'] };

/** A read that got no answer at all: the connection failed, or the attempt timed out. */
function noAnswer(error: unknown): boolean {
  return error instanceof FlinkConnectionError || (error instanceof FlinkTimeoutError && error.phase === 'attempt');
}

/**
 * The poll settings of one wait: the caller's options, checked, over the client's defaults and
 * the pace of what is waited on. Every wait of the SDK (job and application results, `waitFor`,
 * readiness, operation results) is made of these and `pollUntil`, so they all ride out the same
 * transient failures, give up the same way when the cluster is unreachable, and stop when the
 * client closes.
 *
 * `span` names the wait's OpenTelemetry span (see `pollUntil`).
 *
 * @throws FlinkArgumentError for an invalid option.
 */
export function waitSettings(options: WaitOptions | undefined, defaults: WaitDefaults, pace: { intervalMs: number; maxIntervalMs: number }, target: string, span?: WaitSpan): WaitPoll {
  const o = checkWaitOptions(options);
  const intervalMs = o.pollIntervalMs ?? pace.intervalMs;
  return {
    intervalMs,
    maxIntervalMs: Math.max(intervalMs, o.maxPollIntervalMs ?? pace.maxIntervalMs),
    timeoutMs: o.timeoutMs ?? defaults.timeoutMs,
    signal: o.signal,
    closeSignal: defaults.closeSignal,
    target,
    tolerate: isTransientError,
    unreachableMs: o.unreachableTimeoutMs ?? defaults.unreachableTimeoutMs,
    isUnreachable: noAnswer,
    request: o.request,
    span,
  };
}

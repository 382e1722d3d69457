import { FlinkConnectionError } from '../errors/flink-connection-error.js';
import { FlinkTimeoutError } from '../errors/flink-timeout-error.js';
import { isTransientError } from '../http/transient.js';
import type { WaitSpan } from '../internal/telemetry.js';
import { checkWaitOptions } from '../options/check-options.js';
import type { WaitOptions, WaitProgress } from '../options/request-options.js';
import { type PollOptions, pollState } from './poll.js';

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
export type WaitPoll = PollOptions<unknown> & { request: WaitOptions['request'] };

/**
 * The `onValue` and `onError` hooks of a poll that report to the caller's `onProgress`, counting
 * polls and the time since `started`. `extra` adds what only the waiter knows (an operation's
 * current trigger id). Without `onProgress` there are no hooks.
 */
export function progressHooks(
  onProgress: WaitOptions['onProgress'],
  target: string,
  started: number,
  extra?: () => Partial<Pick<WaitProgress, 'triggerId' | 'retriggers'>>,
): Pick<PollOptions<unknown>, 'onValue' | 'onError'> {
  if (!onProgress) return {};
  let polls = 0;
  const report = (value: unknown, error: unknown, failed: boolean): void => {
    polls += 1;
    onProgress({ target, state: failed ? undefined : pollState(value), value: failed ? undefined : value, elapsedMs: Math.max(0, Date.now() - started), polls, ...(failed ? { error } : {}), ...extra?.() });
  };
  return { onValue: (value) => report(value, undefined, false), onError: (error) => report(undefined, error, true) };
}

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
 * `span` names the wait's OpenTelemetry span (see `pollUntil`). The caller's `onProgress` is
 * called after every poll (see {@link progressHooks}).
 *
 * @throws FlinkArgumentError for an invalid option.
 */
export function waitSettings(options: WaitOptions | undefined, defaults: WaitDefaults, pace: { intervalMs: number; maxIntervalMs: number }, target: string, span?: WaitSpan): WaitPoll {
  const o = checkWaitOptions(options);
  const intervalMs = o.pollIntervalMs ?? pace.intervalMs;
  return {
    ...progressHooks(o.onProgress, target, Date.now()),
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

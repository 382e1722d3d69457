import { UnreachableStateError } from '../errors/unreachable-state-error.js';
import type { WaitOptions } from '../options/request-options.js';
import { isTransientError } from '../http/transient.js';
import { pollUntil } from './poll.js';

/** One state, any of several, or a predicate. */
export type StateTarget<S extends string> = S | readonly S[] | ((state: S) => boolean);

/**
 * Polls a state until it matches `target`, failing fast with UnreachableStateError once a terminal
 * state that does not match is reached. The shared body of `JobClient.waitFor` and
 * `ApplicationClient.waitFor`.
 */
export async function waitForState<S extends string>(init: {
  read: (signal: AbortSignal) => Promise<S>;
  target: StateTarget<S>;
  isTerminal: (state: S) => boolean;
  resource: 'job' | 'application';
  id: string;
  options: WaitOptions;
  defaultTimeoutMs: number;
}): Promise<S> {
  const { target, options } = init;
  const matches: (state: S) => boolean =
    typeof target === 'function' ? (target as (state: S) => boolean) : ((wanted) => (s: S) => wanted.has(s))(new Set<string>([target as S | readonly S[]].flat()));
  const awaited = typeof target === 'function' ? 'a matching state' : [target].flat().join(' or ');
  const state = await pollUntil(init.read, (s) => matches(s) || init.isTerminal(s), {
    intervalMs: options.pollIntervalMs ?? 250,
    maxIntervalMs: options.maxPollIntervalMs ?? 3_000,
    timeoutMs: options.timeoutMs ?? init.defaultTimeoutMs,
    signal: options.signal,
    target: `${init.resource} ${init.id} waiting for ${awaited}`,
    tolerate: isTransientError,
  });
  if (!matches(state)) throw new UnreachableStateError({ resource: init.resource, id: init.id, state, awaited });
  return state;
}

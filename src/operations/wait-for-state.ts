import { UnreachableStateError } from '../errors/unreachable-state-error.js';
import { checkOptions } from '../options/check-options.js';
import { statusTarget } from '../options/param-schemas.js';
import type { RequestOptions, WaitOptions } from '../options/request-options.js';
import { pollUntil } from './poll.js';
import { type WaitDefaults, waitSettings } from './wait-settings.js';

/** One state, any of several, or a predicate. */
export type StateTarget<S extends string> = S | readonly S[] | ((state: S) => boolean);

/** Jobs and applications are polled from 250 ms, growing to 3 s: Flink's `web.refresh-interval`, below which polling only returns cached state. */
export const STATUS_PACE = { intervalMs: 250, maxIntervalMs: 3_000 };

/**
 * Polls a state until it matches `target`, failing fast with UnreachableStateError once a terminal
 * state that does not match is reached. The shared body of `JobClient.waitFor` and
 * `ApplicationClient.waitFor`.
 *
 * @throws FlinkArgumentError for an invalid target or option, before the first poll.
 */
export async function waitForState<S extends string>(init: {
  read: (options: RequestOptions) => Promise<S>;
  target: StateTarget<S>;
  isTerminal: (state: S) => boolean;
  resource: 'job' | 'application';
  id: string;
  options: WaitOptions | undefined;
  defaults: WaitDefaults;
}): Promise<S> {
  const target = checkOptions<StateTarget<S>>(statusTarget, init.target, 'target');
  const matches: (state: S) => boolean =
    typeof target === 'function' ? (target as (state: S) => boolean) : ((wanted) => (s: S) => wanted.has(s))(new Set<string>([target as S | readonly S[]].flat()));
  const awaited = typeof target === 'function' ? 'a matching state' : [target].flat().join(' or ');
  const span = { name: `flink.${init.resource}.waitFor`, attributes: { [`flink.${init.resource}.id`]: init.id, 'flink.awaited': awaited } };
  const settings = waitSettings(init.options, init.defaults, STATUS_PACE, `${init.resource} ${init.id} waiting for ${awaited}`, span);
  const state = await pollUntil((signal) => init.read({ ...settings.request, signal }), (s) => matches(s) || init.isTerminal(s), settings);
  if (!matches(state)) throw new UnreachableStateError({ resource: init.resource, id: init.id, state, awaited });
  return state;
}

import { FlinkAbortError } from '../../src/index.js';

/** A clock for the poll engine whose sleeps advance time at once and are recorded. */
export function virtualClock(): { now: () => number; sleeps: number[]; sleep: (ms: number, signal?: AbortSignal) => Promise<void> } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleeps,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new FlinkAbortError(signal.reason);
      sleeps.push(ms);
      t += ms;
    },
  };
}

import type { EventEmitter } from 'node:events';

/** How long `sim.jobs.waitFor()` and friends wait by default (real ms). @internal */
export const DEFAULT_WAIT_MS = 10_000;

/**
 * Resolves with what `find` returns first, re-checked on every `eventName` event; rejects after
 * `timeoutMs` real milliseconds (a guard against hangs, not a timing). @internal
 */
export function waitForMatch<T>(events: EventEmitter, find: () => T | undefined, eventName: 'jobStatus' | 'applicationStatus', timeoutMs: number, what: string): Promise<T> {
  const found = find();
  if (found !== undefined) return Promise.resolve(found);
  return new Promise<T>((resolve, reject) => {
    const onEvent = (): void => {
      const hit = find();
      if (hit === undefined) return;
      cleanup();
      resolve(hit);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`flink-client/testing: no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      events.off(eventName, onEvent);
    };
    events.on(eventName, onEvent);
  });
}

/** {@link waitForMatch} bound to a simulator's events, as the test-facing views use it. @internal */
export type WaitFor = <T>(find: () => T | undefined, eventName: 'jobStatus' | 'applicationStatus', timeoutMs: number, what: string) => Promise<T>;

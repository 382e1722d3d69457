import { FlinkAbortError } from '../errors/flink-abort-error.js';

/**
 * Waits `ms` milliseconds, or rejects with FlinkAbortError as soon as `signal` fires. The timer is
 * cleared on abort, so nothing is left pending.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new FlinkAbortError(signal.reason, 'wait'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new FlinkAbortError(signal?.reason, 'wait'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * An AbortController that also fires when any of `parents` fires, and a `dispose()` that detaches
 * it from them. Unlike `AbortSignal.any`, the listeners are removed eagerly, so a long-lived parent
 * signal (a watcher's, a client's) does not accumulate one listener per request.
 */
export function linkedController(parents: readonly (AbortSignal | undefined)[]): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  const attached: AbortSignal[] = [];
  const onAbort = function (this: AbortSignal): void {
    controller.abort(this.reason);
  };
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    parent.addEventListener('abort', onAbort, { once: true });
    attached.push(parent);
  }
  return {
    controller,
    dispose: () => {
      for (const parent of attached) parent.removeEventListener('abort', onAbort);
      attached.length = 0;
    },
  };
}

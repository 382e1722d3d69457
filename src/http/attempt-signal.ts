type Listener = () => void;

/** What an attempt's signal tells first when it aborts: the attempt's answer collector. */
export interface AbortWatcher {
  signalAborted(reason: unknown): void;
}

/**
 * The abort signal of one HTTP attempt, in the EventEmitter shape undici accepts (`on`, `once`,
 * `removeListener`, `aborted`, `reason`).
 *
 * An AbortController per request costs undici about a third of its throughput at a thousand
 * concurrent calls (EventTarget listeners are slow); this object costs next to nothing, yet still
 * lets the attempt deadline and the caller's signal cancel a request at any phase: queued for a
 * connection, waiting for headers, or streaming the body.
 */
export class AttemptSignal {
  aborted = false;
  reason: unknown = undefined;
  // Made on the first listener: most attempts (those read by the answer collector) have none.
  #listeners: Listener[] | undefined;
  // One watcher in a field of its own: the collector of every call would otherwise need a closure
  // as a listener, and a thousand calls in flight keep a thousand of them alive.
  #watcher: AbortWatcher | undefined;

  #timer: ReturnType<typeof setTimeout> | undefined;
  #linked: AbortSignal | undefined;
  #onLinkedAbort: (() => void) | undefined;

  /**
   * Arms the attempt: it aborts with `timeoutReason` after `ms` (none when undefined), and when
   * `linked` (the caller's signal) aborts, with its reason. Undo with {@link dispose}.
   */
  start(ms: number | undefined, timeoutReason: unknown, linked: AbortSignal | undefined): void {
    if (linked?.aborted) {
      this.abort(linked.reason);
      return;
    }
    if (ms !== undefined) this.#timer = setTimeout(abortOnTimeout, ms, this, timeoutReason);
    if (linked) {
      this.#linked = linked;
      this.#onLinkedAbort = () => this.abort(linked.reason);
      linked.addEventListener('abort', this.#onLinkedAbort, { once: true });
    }
  }

  /** Clears the deadline and lets go of the caller's signal; the attempt is over. */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#onLinkedAbort) this.#linked?.removeEventListener('abort', this.#onLinkedAbort);
    this.#linked = this.#onLinkedAbort = undefined;
  }

  /** Sets the one object told first when the signal aborts (called at once if it already has). */
  watch(watcher: AbortWatcher): void {
    if (this.aborted) watcher.signalAborted(this.reason);
    else this.#watcher = watcher;
  }

  /** Forgets the watcher, if it is `watcher`. */
  unwatch(watcher: AbortWatcher): void {
    if (this.#watcher === watcher) this.#watcher = undefined;
  }

  on(type: string, listener: Listener): this {
    if (type === 'abort') {
      if (this.aborted) queueMicrotask(listener);
      else (this.#listeners ??= []).push(listener);
    }
    return this;
  }

  once(type: string, listener: Listener): this {
    return this.on(type, listener);
  }

  addListener(type: string, listener: Listener): this {
    return this.on(type, listener);
  }

  removeListener(type: string, listener: Listener): this {
    if (type === 'abort' && this.#listeners) {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    }
    return this;
  }

  off(type: string, listener: Listener): this {
    return this.removeListener(type, listener);
  }

  /** Fires once: sets `aborted` and `reason`, tells the watcher, then calls every listener. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const watcher = this.#watcher;
    this.#watcher = undefined;
    watcher?.signalAborted(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }
}

function abortOnTimeout(signal: AttemptSignal, reason: unknown): void {
  signal.abort(reason);
}

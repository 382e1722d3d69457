type Listener = () => void;

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
  #listeners: Listener[] = [];

  on(type: string, listener: Listener): this {
    if (type === 'abort') {
      if (this.aborted) queueMicrotask(listener);
      else this.#listeners.push(listener);
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
    if (type === 'abort') {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    }
    return this;
  }

  off(type: string, listener: Listener): this {
    return this.removeListener(type, listener);
  }

  /** Fires once: sets `aborted` and `reason` and calls every listener. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
}

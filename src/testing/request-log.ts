/**
 * The simulator's request log: the last `size` entries, oldest first. A ring: a full log takes
 * an entry in constant time (an array trimmed with `splice` moved every kept entry per request,
 * microseconds each at the default 1,000).
 */

/** A bounded log keeping the newest entries. @internal */
export class RequestLog<T> {
  /** How many entries are kept (`Infinity` for all). */
  readonly #capacity: number;
  #entries: T[] = [];
  /** Where the oldest entry is once the log is full. */
  #start = 0;

  /** Keeps the last `size` entries: none for 0 or less, all for `Infinity` or NaN. */
  constructor(size: number) {
    this.#capacity = Number.isNaN(size) ? Number.POSITIVE_INFINITY : size <= 0 ? 0 : Math.ceil(size);
  }

  /** Adds an entry, dropping the oldest when full. */
  push(entry: T): void {
    if (this.#entries.length < this.#capacity) {
      this.#entries.push(entry);
      return;
    }
    if (this.#capacity === 0) return;
    this.#entries[this.#start] = entry;
    this.#start = this.#start + 1 === this.#capacity ? 0 : this.#start + 1;
  }

  /** The kept entries, oldest first, as a new array. */
  toArray(): T[] {
    if (this.#start === 0) return [...this.#entries];
    return [...this.#entries.slice(this.#start), ...this.#entries.slice(0, this.#start)];
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries = [];
    this.#start = 0;
  }
}

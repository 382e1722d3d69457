import { truncate } from './style.js';
import type { CliStream } from './io.js';

/**
 * Progress on stderr. On a terminal one status line is redrawn in place (`update`); elsewhere
 * only the steps (`step`) are printed, as plain lines a log keeps. `--quiet` prints neither.
 */
export class Progress {
  readonly #stream: CliStream;
  readonly #live: boolean;
  readonly #quiet: boolean;
  #drawn = false;

  constructor(stream: CliStream, options: { quiet: boolean }) {
    this.#stream = stream;
    this.#quiet = options.quiet;
    this.#live = stream.isTTY === true && !options.quiet;
  }

  /** Whether status lines are redrawn in place (a terminal). */
  get live(): boolean {
    return this.#live;
  }

  /** Redraws the status line (terminals only; a no-op elsewhere). */
  update(text: string): void {
    if (!this.#live) return;
    // Room for the terminal's own `^C` echo: a line that wrapped could not be cleared any more.
    const width = (this.#stream.columns ?? 80) - 4;
    this.#stream.write(`\r\u001b[2K${truncate(text, width)}`);
    this.#drawn = true;
  }

  /** Prints a finished step on its own line (clearing the status line first). */
  step(text: string): void {
    if (this.#quiet) return;
    this.clear();
    this.#stream.write(`${text}\n`);
  }

  /** Removes the status line. */
  clear(): void {
    if (this.#drawn) {
      this.#stream.write('\r\u001b[2K');
      this.#drawn = false;
    }
  }
}

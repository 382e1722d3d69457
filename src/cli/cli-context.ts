import { ClusterClient, type ClusterClientOptions, FlinkError, type WaitProgress } from 'flink-client';
import type { Command } from 'commander';
import { resolveConnection, type ConnectionFlags } from './connection.js';
import { formatElapsed, parseDuration } from './duration.js';
import { EXIT, UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';
import { Progress } from './progress.js';
import { createStyle, type Style } from './style.js';
import { type Column, renderPairs, renderTable } from './table.js';

/** `--output`: a table for people, JSON (one document) or NDJSON (one line per item) for scripts. */
export type OutputFormat = 'table' | 'json' | 'ndjson';

/** The global flags, as commander parses them. */
export interface GlobalFlags extends ConnectionFlags {
  output: string;
  quiet?: boolean;
  color: boolean;
  verbose?: boolean;
  timeout?: string;
}

/** Thrown by {@link CliContext.wait} when Ctrl-C stopped a wait: the message is already printed. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

/** What a command needs: output helpers, the client, waits with progress and Ctrl-C. */
export class CliContext {
  readonly io: CliIo;
  readonly output: OutputFormat;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** Colour for stdout and stderr, each decided by its own stream. */
  readonly out: Style;
  readonly err: Style;
  readonly progress: Progress;
  /** `--timeout` in ms, when given: the deadline of every wait, and caps each request attempt. */
  readonly timeoutMs: number | undefined;
  readonly #flags: GlobalFlags;
  #client: ClusterClient | undefined;

  constructor(io: CliIo, flags: GlobalFlags) {
    if (!['table', 'json', 'ndjson'].includes(flags.output)) throw new UsageError(`--output must be table, json or ndjson, got ${JSON.stringify(flags.output)}`);
    this.io = io;
    this.#flags = flags;
    this.output = flags.output as OutputFormat;
    this.quiet = flags.quiet === true;
    this.verbose = flags.verbose === true;
    this.out = createStyle(io.stdout, io.env, flags.color);
    this.err = createStyle(io.stderr, io.env, flags.color);
    this.progress = new Progress(io.stderr, { quiet: this.quiet });
    this.timeoutMs = flags.timeout === undefined ? undefined : parseDuration(flags.timeout, '--timeout');
  }

  /** The context of a command's action (its global flags merged in). */
  static of(io: CliIo, command: Command): CliContext {
    return new CliContext(io, command.optsWithGlobals<GlobalFlags>());
  }

  /** The cluster client, created on first use from the connection flags, environment or context. */
  client(): ClusterClient {
    if (!this.#client) {
      const { source: _source, ...connection } = resolveConnection(this.#flags, this.io.env, this.io.cwd);
      this.#client = new ClusterClient({
        ...connection,
        ...(this.timeoutMs !== undefined ? { timeoutMs: Math.min(30_000, this.timeoutMs), waitTimeoutMs: this.timeoutMs } : {}),
      });
    }
    return this.#client;
  }

  /**
   * The auth and TLS options of the connection flags, environment or context, for clients of other
   * endpoints than the JobManager (the SQL Gateway): the same `--token`, `--user`, `--ca`, `--cert`,
   * `--key`, `--insecure` and their variables apply.
   */
  security(): Pick<ClusterClientOptions, 'auth' | 'tls'> {
    const { auth, tls } = resolveConnection(this.#flags, this.io.env, this.io.cwd);
    return { ...(auth ? { auth } : {}), ...(tls ? { tls } : {}) };
  }

  /** Request options for one call: Ctrl-C aborts it. */
  get call(): { signal: AbortSignal } {
    return { signal: this.io.interrupt };
  }

  async close(): Promise<void> {
    await this.#client?.close();
  }

  /** Prints data: `json` as one document, `ndjson` one line per item, `table` by `render`. */
  print(data: unknown, render: () => string): void {
    if (this.output === 'json') this.io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else if (this.output === 'ndjson') {
      for (const item of Array.isArray(data) ? data : [data]) this.io.stdout.write(`${JSON.stringify(item)}\n`);
    } else this.io.stdout.write(render());
  }

  /** One event of a stream (watch): one NDJSON line, or a table-mode text line; `json` prints NDJSON too, since a stream has no end to close a document at. */
  event(data: unknown, text: string): void {
    if (this.output === 'table') this.io.stdout.write(`${text}\n`);
    else this.io.stdout.write(`${JSON.stringify(data)}\n`);
  }

  /** A table sized to the terminal (stdout's width; piped output is never cut). */
  table(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
    const width = this.io.stdout.isTTY ? (this.io.stdout.columns ?? Number(this.io.env.COLUMNS ?? 0)) : undefined;
    return renderTable(columns, rows, { ...(width ? { width } : {}), header: this.out.bold });
  }

  pairs(pairs: readonly (readonly [string, string])[]): string {
    return renderPairs(pairs, { key: this.out.dim });
  }

  /** A note for people on stderr (never in the way of stdout's data); `--quiet` drops it. */
  note(text: string): void {
    this.progress.step(text);
  }

  /**
   * Runs a wait with a live status line (terminal) and Ctrl-C handling: Ctrl-C stops waiting,
   * prints that the operation goes on in Flink (with `resume`, how to pick it up again) and ends the
   * command with exit code 130. The SDK call gets the signal and the `--timeout` deadline.
   */
  async wait<T>(what: { label: string; status?: () => string; resume?: () => string }, run: (options: { signal: AbortSignal; timeoutMs?: number; onProgress: (p: WaitProgress) => void }) => Promise<T>): Promise<T> {
    const started = Date.now();
    // Without a status of its own, a wait shows the state its last poll read (the SDK's onProgress).
    let lastState = '';
    const onProgress = (p: WaitProgress): void => {
      lastState = p.state ?? (p.error !== undefined ? 'cluster not answering, retrying' : lastState);
    };
    const draw = (): void => {
      const status = what.status?.() ?? (lastState ? this.err.state(lastState) : '');
      this.progress.update(`${this.err.cyan('⠿')} ${what.label} ${this.err.dim(formatElapsed(Date.now() - started))}${status ? ` ${status}` : ''}`);
    };
    const ticker = this.progress.live ? setInterval(draw, 200) : undefined;
    if (!this.progress.live) this.note(`${what.label}...`);
    else draw();
    try {
      return await run({ signal: this.io.interrupt, onProgress, ...(this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {}) });
    } catch (err) {
      if (this.io.interrupt.aborted && err instanceof FlinkError && err.code === 'FLINK_ABORTED') {
        this.progress.clear();
        const resume = what.resume?.();
        this.io.stderr.write(`Stopped waiting after ${formatElapsed(Date.now() - started)}: ${what.label} goes on in Flink.${resume ? `\n${resume}` : ''}\n`);
        throw new Interrupted('interrupted');
      }
      throw err;
    } finally {
      if (ticker) clearInterval(ticker);
      this.progress.clear();
    }
  }
}

export { EXIT };

/** Where a CLI run reads and writes: the real process, or a test's buffers. */
export interface CliStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal: colour, progress and sized tables only then. */
  readonly isTTY?: boolean;
  /** The terminal width, when it is one. */
  readonly columns?: number;
}

/** Everything a CLI run depends on from its surroundings, so tests can run it in-process. */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Fires on Ctrl-C (SIGINT): a wait in progress stops and says the operation goes on. */
  interrupt: AbortSignal;
}

/** The io of this process: its streams, environment, and an interrupt signal fed by SIGINT. */
export function processIo(): CliIo & { dispose(): void } {
  const controller = new AbortController();
  let count = 0;
  const onSigint = (): void => {
    count += 1;
    // A second Ctrl-C means "now": the first one only asks the current wait to stop.
    if (count > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  // SIGTERM (a supervisor, `kill`) stops a wait or the simulator the same way.
  process.on('SIGTERM', onSigint);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    interrupt: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    },
  };
}

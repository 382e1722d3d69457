import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildJar, FIXTURE_JARS, type FlinkSimulator, type SimulatorRequest } from 'flink-client/testing';
import type { CliIo, CliStream } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A stream that keeps what was written, optionally looking like a terminal of `columns` width. */
export class Capture implements CliStream {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns?: number,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** The result of one CLI run. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process (the same code the bin runs) with captured streams. */
export async function cli(argv: string[], options: { env?: Record<string, string>; tty?: boolean; columns?: number; interrupt?: AbortSignal } = {}): Promise<Run> {
  const stdout = new Capture(options.tty ?? false, options.columns);
  const stderr = new Capture(options.tty ?? false, options.columns);
  const io: CliIo = { stdout, stderr, env: { FLINK_CLIENT_CONFIG: '/nonexistent/flink-client-test.json', ...options.env }, cwd: ROOT, interrupt: options.interrupt ?? new AbortController().signal };
  const code = await runCli(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A temp dir with a jar whose Main-Class is the streaming fixture's; `cleanup()` removes it. */
export function tempJar(entryClass: string = FIXTURE_JARS.streaming.entryClass): { dir: string; jar: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'flink-cli-test-'));
  const jar = join(dir, FIXTURE_JARS.streaming.jarName);
  writeFileSync(jar, buildJar({ mainClass: entryClass }));
  return { dir, jar, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A CLI child process, from source (tsx) or the built bin; collects its output. */
export interface Child {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout has a complete line matching `pattern` (the deadline only guards against hangs). */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or 128 + signal number). */
  exited: Promise<number>;
}

/** Spawns `flink-client <args>`: the built bin when `bin` is given, else the source through tsx. */
export function spawnCli(args: string[], options: { env?: Record<string, string>; bin?: string } = {}): Child {
  const argv = options.bin ? [options.bin, ...args] : ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args];
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', FLINK_CLIENT_CONFIG: '/nonexistent/flink-client-test.json', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of [...waiters]) w();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 9));
      for (const w of [...waiters]) w();
    });
  });
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    line: (pattern, timeoutMs = 60_000) =>
      new Promise<string>((resolve, reject) => {
        const check = (): void => {
          const found = out.split('\n').slice(0, -1).find((l) => pattern.test(l)) ?? err.split('\n').slice(0, -1).find((l) => pattern.test(l));
          if (found !== undefined) {
            cleanup();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(new Error(`the CLI exited before printing ${pattern}: stdout ${out} stderr ${err}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms: stdout ${out} stderr ${err}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
        };
        waiters.push(check);
        check();
      }),
  };
}

/** Resolves on the `count`-th request to the simulator matching `match` from now on (an event, no polling). */
export function nextRequest(sim: FlinkSimulator, match: (r: SimulatorRequest) => boolean, count = 1): Promise<SimulatorRequest> {
  return new Promise((resolve) => {
    let seen = 0;
    const listener = (r: SimulatorRequest): void => {
      if (!match(r)) return;
      seen += 1;
      if (seen < count) return;
      sim.off('request', listener);
      resolve(r);
    };
    sim.on('request', listener);
  });
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The README's TypeScript blocks as tests. A marker comment right above each block says how:
//   <!-- readme-test: run -->                 against every target (real Flink, simulator)
//   <!-- readme-test: run on 2.3+ -->         only on targets of that Flink version or newer
//   <!-- readme-test: run; prints /regex/ --> and its console output must match
//   <!-- readme-test: simulator -->           self-contained (starts its own simulator): run once
//   <!-- readme-test: not run: <reason> -->   shown only; the reason says why and what tests it
// A block runs as written; only the placeholders for the reader's own environment are replaced.

/** The placeholders a README block may use for the reader's cluster, jar and savepoint directory. */
export const PLACEHOLDERS = { url: 'http://localhost:8081', jar: './my-job.jar', savepoints: 'file:///tmp/flink-savepoints' } as const;

/** One ```ts block of the README and how it is tested. */
export interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The nearest heading above it. */
  readonly heading: string;
  readonly code: string;
  readonly mode: 'run' | 'simulator' | 'not-run' | 'unmarked';
  /** For `run on X+`: the lowest Flink version it runs on. */
  readonly minVersion?: string;
  /** For `prints /re/`: what its console output must match. */
  readonly prints?: RegExp;
  /** For `not run`: why. */
  readonly reason?: string;
}

const README = new URL('../../README.md', import.meta.url);

/** Every ```ts block of README.md with its marker. */
export function readmeBlocks(): ReadmeBlock[] {
  const lines = readFileSync(README, 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '');
    if (line.trim() !== '```ts') continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: unterminated code block`);
    const code = lines.slice(i + 1, end).join('\n');
    const marker = /^<!-- readme-test: (.*) -->$/.exec(lines[i - 1]?.trim() ?? '')?.[1];
    blocks.push({ line: i + 1, heading, code, ...parseMarker(marker, i + 1) });
    i = end;
  }
  return blocks;
}

function parseMarker(marker: string | undefined, line: number): Pick<ReadmeBlock, 'mode' | 'minVersion' | 'prints' | 'reason'> {
  if (marker === undefined) return { mode: 'unmarked' };
  if (marker === 'simulator') return { mode: 'simulator' };
  const notRun = /^not run: (.+)$/.exec(marker);
  if (notRun) return { mode: 'not-run', reason: notRun[1] };
  const run = /^run(?: on (\d+\.\d+)\+)?(?:; prints \/(.+)\/)?$/.exec(marker);
  if (!run) throw new Error(`README.md:${line}: unknown readme-test marker ${JSON.stringify(marker)}`);
  return { mode: 'run', minVersion: run[1], prints: run[2] === undefined ? undefined : new RegExp(run[2]) };
}

/** Whether a block marked `run on X+` runs against Flink `version`. */
export function runsOn(block: ReadmeBlock, version: string): boolean {
  if (block.minVersion === undefined) return true;
  const [a = 0, b = 0] = version.split('.').map(Number);
  const [x = 0, y = 0] = block.minVersion.split('.').map(Number);
  return a > x || (a === x && b >= y);
}

/** Where a block runs: the values that replace the placeholders. */
export interface ReadmeTarget {
  url: string;
  /** Absolute path of the jar that stands for `./my-job.jar`. */
  jar: string;
  /** A `file://` URL of a fresh temp directory that stands for the savepoint directory. */
  savepoints: string;
}

/**
 * Runs a block as an ES module (top-level await), with the placeholders replaced, and returns
 * what it printed. It throws what the block throws. The module is written to a temp directory
 * that is removed afterwards.
 */
export async function runBlock(block: ReadmeBlock, target?: ReadmeTarget): Promise<string> {
  let code = block.code;
  if (target) {
    code = code
      .replaceAll(`'${PLACEHOLDERS.url}'`, JSON.stringify(target.url))
      .replaceAll(`'${PLACEHOLDERS.jar}'`, JSON.stringify(target.jar))
      .replaceAll(`'${PLACEHOLDERS.savepoints}'`, JSON.stringify(target.savepoints));
  }
  const dir = await mkdtemp(join(tmpdir(), 'flink-client-readme-'));
  const file = join(dir, `readme-line-${block.line}.ts`);
  const printed: string[] = [];
  const original = { log: console.log, warn: console.warn, error: console.error };
  const capture = (...args: unknown[]): void => {
    printed.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.name}: ${a.message}` : safeString(a))).join(' '));
  };
  try {
    await writeFile(file, code);
    console.log = capture;
    console.warn = capture;
    console.error = capture;
    await import(pathToFileURL(file).href);
  } finally {
    Object.assign(console, original);
    await rm(dir, { recursive: true, force: true });
  }
  return printed.join('\n');
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

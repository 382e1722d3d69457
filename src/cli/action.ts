import { type Command, InvalidArgumentError } from 'commander';
import { CliContext } from './cli-context.js';
import type { CliIo } from './io.js';

/**
 * Wraps a command's handler for commander: builds the context from the global flags, and closes
 * the client (its connection pool) however the handler ends.
 */
export function action<A extends unknown[], O>(io: CliIo, handler: (ctx: CliContext, args: A, options: O) => Promise<void>): (...raw: unknown[]) => Promise<void> {
  return async (...raw: unknown[]) => {
    const command = raw[raw.length - 1] as Command;
    const options = raw[raw.length - 2] as O;
    const args = raw.slice(0, -2) as A;
    const ctx = CliContext.of(io, command);
    try {
      await handler(ctx, args, options);
    } finally {
      await ctx.close();
    }
  };
}

/** The text after `--help`: examples, one per line, each with `$ `. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => (l.startsWith('#') ? `  ${l}` : `  $ ${l}`)).join('\n')}\n`;
}

/** Parses a positive integer flag, or throws commander's usage error naming it. */
export function positiveInt(flag: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** A repeatable flag (`--url a --url b`): each use adds one value; variadic flags would swallow the command after them. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

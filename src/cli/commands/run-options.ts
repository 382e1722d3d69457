import { type Command, Option } from 'commander';
import type { ClaimMode, RunJarParams } from 'flink-client';
import { collect, positiveInt } from '../action.js';
import { UsageError } from '../exit-codes.js';

/** The flags of everything that runs a jar (`jars run`, `apps run`, `deploy`). */
export interface RunFlags {
  entryClass?: string;
  arg?: string[];
  parallelism?: number;
  savepoint?: string;
  claimMode?: ClaimMode;
  allowNonRestoredState?: boolean;
  set?: string[];
}

/** Adds the run flags to a command. */
export function addRunOptions(command: Command): Command {
  return command
    .option('-c, --entry-class <class>', "the main class (default: the jar's Main-Class)")
    .option('-a, --arg <arg>', 'a program argument (repeat for each)', collect)
    .option('-p, --parallelism <n>', 'default parallelism', positiveInt('--parallelism'))
    .option('-s, --savepoint <path>', 'start from this savepoint or retained checkpoint')
    .addOption(new Option('--claim-mode <mode>', 'how the savepoint is owned after the restore').choices(['CLAIM', 'NO_CLAIM', 'LEGACY']))
    .option('--allow-non-restored-state', 'skip savepoint state that maps to no operator')
    .option('-D, --set <key=value>', 'job configuration (repeat for each)', collect);
}

/** The run flags as the SDK's run parameters. */
export function runParams(o: RunFlags): RunJarParams {
  const configuration: Record<string, string> = {};
  for (const kv of o.set ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`-D/--set expects key=value, got ${JSON.stringify(kv)}`);
    configuration[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return {
    ...(o.entryClass ? { entryClass: o.entryClass } : {}),
    ...(o.arg ? { args: o.arg } : {}),
    ...(o.parallelism ? { parallelism: o.parallelism } : {}),
    ...(o.savepoint ? { savepointPath: o.savepoint } : {}),
    ...(o.claimMode ? { claimMode: o.claimMode } : {}),
    ...(o.allowNonRestoredState ? { allowNonRestoredState: true } : {}),
    ...(Object.keys(configuration).length ? { configuration } : {}),
  };
}

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { ProgramDefinition } from 'flink-client/testing';
import { action, examples } from '../action.js';
import { UsageError } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** Reads a programs file: a JSON array of `{ entryClass, program, jarNames? }`, or an object `{ "<entryClass>": program }`. */
async function readPrograms(cwd: string, file: string): Promise<ProgramDefinition[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(resolve(cwd, file), 'utf8'));
  } catch (err) {
    throw new UsageError(`--programs: cannot read ${file} as JSON: ${(err as Error).message}`);
  }
  if (Array.isArray(parsed)) {
    for (const d of parsed) {
      if (typeof d !== 'object' || d === null || typeof (d as ProgramDefinition).entryClass !== 'string' || typeof (d as ProgramDefinition).program !== 'object') {
        throw new UsageError(`--programs: every entry of ${file} needs an entryClass and a program`);
      }
    }
    return parsed as ProgramDefinition[];
  }
  if (typeof parsed === 'object' && parsed !== null) {
    return Object.entries(parsed as Record<string, ProgramDefinition['program']>).map(([entryClass, program]) => ({ entryClass, program }));
  }
  throw new UsageError(`--programs: ${file} must hold a JSON array or object`);
}

/** `simulate`: the Flink simulator as a server, with its control API, until Ctrl-C. */
export function simulateCommand(program: Command, io: CliIo): void {
  program
    .command('simulate')
    .description('serve a simulated Flink cluster (REST API + control API) until Ctrl-C, for test harnesses in any language')
    .option('--port <port>', 'REST port (0: a free one)', '8081')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--control-port <port>', 'control API port (0: a free one)', '0')
    .addOption(new Option('--flink-version <version>', 'the Flink version to imitate').choices(['2.3.0', '1.20.5']).default('2.3.0'))
    .option('--programs <file>', 'JSON file of programs: what running an entry class does')
    .addOption(new Option('--timing <timing>', 'how long state changes take').choices(['realistic', 'fast']).default('realistic'))
    .addOption(new Option('--clock <clock>', 'virtual: time moves only by POST /clock/advance').choices(['real', 'virtual']).default('real'))
    .option('--seed <n>', 'seed for ids (same seed, same ids)')
    .addHelpText(
      'after',
      examples(
        'flink-client simulate --port 8081 --flink-version 2.3.0',
        'flink-client simulate --port 0 -o json   # prints {"url":...,"controlUrl":...} once listening',
        '# drive it: curl -XPOST $CONTROL/jobs/<job-id>/finish, curl $CONTROL/state',
        '# the control API is also in Node: startControlApi(sim) and controlRequest(sim, ...) from flink-client/testing',
      ),
    )
    .action(
      action(io, async (ctx, _args, o: { port: string; host: string; controlPort: string; flinkVersion: '2.3.0' | '1.20.5'; programs?: string; timing: 'realistic' | 'fast'; clock: 'real' | 'virtual'; seed?: string }) => {
        const port = (flag: string, v: string): number => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a port number (0-65535), got ${JSON.stringify(v)}`);
          return n;
        };
        const restPort = port('--port', o.port);
        const controlPort = port('--control-port', o.controlPort);
        const seed = o.seed === undefined ? undefined : Number(o.seed);
        if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
        const programs = o.programs ? await readPrograms(ctx.io.cwd, o.programs) : [];
        let testing: typeof import('flink-client/testing');
        try {
          testing = await import('flink-client/testing');
        } catch (err) {
          throw new UsageError(`simulate needs the optional peer dependency msw (npm install msw): ${(err as Error).message}`);
        }
        if (ctx.io.interrupt.aborted) return;
        const sim = await testing.createFlinkSimulator({
          flinkVersion: o.flinkVersion,
          host: o.host,
          port: restPort,
          timing: o.timing,
          clock: o.clock,
          programs: [...testing.fixturePrograms, ...programs],
          ...(seed !== undefined ? { seed } : {}),
        });
        let control: Awaited<ReturnType<typeof testing.startControlApi>> | undefined;
        try {
          control = await testing.startControlApi(sim, { host: o.host, port: controlPort });
          const info = { url: sim.url, controlUrl: control.url, flinkVersion: sim.flinkVersion, clock: o.clock };
          // The one line a harness waits for: the simulator answers from here on.
          ctx.event(info, `Flink ${sim.flinkVersion} simulator at ${ctx.out.bold(sim.url)}, control API at ${control?.url}; Ctrl-C stops it`);
          await new Promise<void>((done) => {
            if (ctx.io.interrupt.aborted) done();
            else ctx.io.interrupt.addEventListener('abort', () => done(), { once: true });
          });
          ctx.note('stopping the simulator');
        } finally {
          await control?.close();
          await sim.close();
        }
      }),
    );
}

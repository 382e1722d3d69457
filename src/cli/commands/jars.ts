import type { Command } from 'commander';
import { action, examples } from '../action.js';
import { formatTime } from '../format.js';
import type { CliIo } from '../io.js';
import { addRunOptions, type RunFlags, runParams } from './run-options.js';
import { uploadWithProgress } from './upload.js';
import { waitForReady } from './waits.js';

/** `jars upload | list | run | delete`. */
export function jarsCommand(program: Command, io: CliIo): void {
  const jars = program
    .command('jars')
    .alias('jar')
    .description('jars on the session cluster: upload, list, run, delete')
    .addHelpText('after', examples('flink-client jars upload ./my-job.jar', 'flink-client jars list', 'flink-client jars run <jar-id> -p 2'));

  jars
    .command('upload <file>')
    .description('upload a jar (streamed; progress on a terminal) and print its jar id')
    .addHelpText('after', examples('flink-client jars upload ./target/my-job.jar', 'JAR=$(flink-client jars upload my-job.jar -q)'))
    .action(
      action(io, async (ctx, [file]: [string]) => {
        const jar = await uploadWithProgress(ctx, file);
        ctx.print(jar, () => `${jar.jarId}\n`);
      }),
    );

  jars
    .command('list')
    .alias('ls')
    .description('the uploaded jars and their entry classes')
    .addHelpText('after', examples('flink-client jars list', 'flink-client jars list -o json'))
    .action(
      action(io, async (ctx) => {
        const list = await ctx.client().listJars(ctx.call);
        ctx.print(list, () =>
          ctx.table(
            [{ header: 'JAR ID', shrink: true }, { header: 'NAME', shrink: true }, { header: 'UPLOADED' }, { header: 'ENTRY CLASSES', shrink: true }],
            list.map((j) => [j.id, j.name, formatTime(j.uploaded), j.entry.map((e) => e.name).join(', ') || '-']),
          ),
        );
      }),
    );

  addRunOptions(
    jars
      .command('run <jar-id>')
      .description('run an uploaded jar as a job and print its job id')
      .option('--job-id <id>', 'your own job id (32 hex; makes a retried run idempotent)')
      .option('--wait-ready', 'wait until the job runs with all its tasks'),
  )
    .addHelpText('after', examples('flink-client jars run <jar-id> -p 2 -a --input -a /data/in', 'flink-client jars run <jar-id> -s file:///data/savepoints/savepoint-1 --claim-mode NO_CLAIM --wait-ready'))
    .action(
      action(io, async (ctx, [jarId]: [string], o: RunFlags & { jobId?: string; waitReady?: boolean }) => {
        const job = await ctx.client().runJar(jarId, { ...runParams(o), ...(o.jobId ? { jobId: o.jobId } : {}) }, ctx.call);
        if (o.waitReady) await waitForReady(ctx, job, `The job runs on: flink-client jobs watch ${job.jobId}`);
        ctx.print({ jarId, jobId: job.jobId }, () => `${job.jobId}\n`);
      }),
    );

  jars
    .command('delete <jar-id>')
    .alias('rm')
    .description('delete an uploaded jar')
    .addHelpText('after', examples('flink-client jars delete <jar-id>'))
    .action(
      action(io, async (ctx, [jarId]: [string]) => {
        await ctx.client().deleteJar(jarId, ctx.call);
        ctx.print({ jarId, deleted: true }, () => `deleted ${jarId}\n`);
      }),
    );
}

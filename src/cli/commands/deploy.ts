import type { Command } from 'commander';
import type { JobClient } from 'flink-client';
import { action, examples } from '../action.js';
import type { CliIo } from '../io.js';
import { addRunOptions, type RunFlags, runParams } from './run-options.js';
import { uploadWithProgress } from './upload.js';
import { waitForReady } from './waits.js';

/**
 * `deploy <jar>`: upload, run (from a savepoint if given), wait until every task runs, delete the
 * jar. The jar is deleted however the run ends (unless `--keep-jar`): a deploy leaves no jars behind.
 */
export function deployCommand(program: Command, io: CliIo): void {
  addRunOptions(
    program
      .command('deploy <jar-file>')
      .description('upload a jar, run it (from a savepoint if given), wait until all its tasks run, delete the jar')
      .option('--job-id <id>', 'your own job id (32 hex)')
      .option('--keep-jar', 'keep the uploaded jar'),
  )
    .addHelpText(
      'after',
      examples(
        'flink-client deploy ./my-job.jar -p 4',
        '# upgrade: stop with a savepoint, then deploy the new jar from it',
        'SP=$(flink-client jobs stop <job-id> -q) && flink-client deploy ./my-job-v2.jar -s "$SP"',
      ),
    )
    .action(
      action(io, async (ctx, [file]: [string], o: RunFlags & { jobId?: string; keepJar?: boolean }) => {
        const cluster = ctx.client();
        const { jarId } = await uploadWithProgress(ctx, file);
        let job: JobClient | undefined;
        try {
          job = await cluster.runJar(jarId, { ...runParams(o), ...(o.jobId ? { jobId: o.jobId } : {}) }, ctx.call);
          ctx.note(`submitted job ${job.jobId}${o.savepoint ? ` from ${o.savepoint}` : ''}`);
          const details = await waitForReady(ctx, job, `The job goes on: flink-client jobs watch ${job.jobId}`);
          ctx.note(`job ${job.jobId} running: ${details.vertices.length} vertices, all tasks running`);
        } finally {
          if (!o.keepJar) {
            // The jar goes even when the run failed or Ctrl-C stopped the wait: Flink already has the job's classes.
            await cluster.deleteJar(jarId).then(
              () => ctx.note(`deleted jar ${jarId}`),
              (err: Error) => ctx.note(ctx.err.yellow(`could not delete jar ${jarId}: ${err.message}`)),
            );
          }
        }
        ctx.print({ jobId: job.jobId, jarId, jarDeleted: !o.keepJar, state: 'RUNNING' }, () => `${job?.jobId}\n`);
      }),
    );
}

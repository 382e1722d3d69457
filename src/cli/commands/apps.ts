import type { Command } from 'commander';
import type { ApplicationChange, ApplicationSummary } from 'flink-client';
import { action, examples, positiveInt } from '../action.js';
import type { CliContext } from '../cli-context.js';
import { formatDuration, formatTime } from '../format.js';
import type { CliIo } from '../io.js';
import { addRunOptions, type RunFlags, runParams } from './run-options.js';

const counts = (c: Record<string, number>): string =>
  Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s.toLowerCase()}`)
    .join(', ') || '-';

function appRow(ctx: CliContext, a: ApplicationSummary): string[] {
  return [a.applicationId, a.name, ctx.out.state(a.status), formatTime(a.startTime), formatDuration(a.durationMs), counts(a.jobCounts) + (a.emulated ? ' (emulated)' : '')];
}

function appChangeLine(ctx: CliContext, c: ApplicationChange): string {
  const from = c.previousStatus ? `${ctx.out.state(c.previousStatus)} → ` : '';
  return `${formatTime(c.timestamp)}  ${c.applicationId}  ${c.details.name}  ${from}${ctx.out.state(c.status)}  jobs ${counts(c.details.jobCounts)}`;
}

/** `apps list | describe | watch | cancel | run` (FLIP-549 on Flink 2.3; emulated by the SDK before). */
export function appsCommand(program: Command, io: CliIo): void {
  const apps = program
    .command('apps')
    .alias('app')
    .description('applications (Flink 2.3, FLIP-549; on older clusters every job is shown as a single-job application)')
    .addHelpText('after', examples('flink-client apps list', 'flink-client apps watch <application-id>', 'flink-client apps run <jar-id> --wait'));

  apps
    .command('list')
    .alias('ls')
    .description('every application')
    .addHelpText('after', examples('flink-client apps list', 'flink-client apps list -o json'))
    .action(
      action(io, async (ctx) => {
        const list = await ctx.client().listApplications(ctx.call);
        list.sort((a, b) => b.startTime - a.startTime);
        ctx.print(list, () =>
          ctx.table([{ header: 'APPLICATION ID' }, { header: 'NAME', shrink: true }, { header: 'STATUS' }, { header: 'STARTED' }, { header: 'DURATION', align: 'right' }, { header: 'JOBS', shrink: true }], list.map((a) => appRow(ctx, a))),
        );
      }),
    );

  apps
    .command('describe <application-id>')
    .alias('get')
    .description('an application with its jobs')
    .addHelpText('after', examples('flink-client apps describe <application-id>'))
    .action(
      action(io, async (ctx, [id]: [string]) => {
        const d = await ctx.client().application(id).describe(ctx.call);
        ctx.print(d, () => {
          const head = ctx.pairs([
            ['application', `${d.applicationId}  ${d.name}${d.emulated ? '  (emulated)' : ''}`],
            ['status', ctx.out.state(d.status)],
            ['started', formatTime(d.startTime)],
            ['duration', formatDuration(d.durationMs)],
          ]);
          if (d.jobs.length === 0) return `${head}\nno jobs\n`;
          const jobs = ctx.table([{ header: 'JOB ID' }, { header: 'NAME', shrink: true }, { header: 'STATE' }, { header: 'DURATION', align: 'right' }], d.jobs.map((j) => [j.jid, j.name, ctx.out.state(j.state), formatDuration(j.duration)]));
          return `${head}\n${jobs}`;
        });
      }),
    );

  apps
    .command('watch <application-id>')
    .description('print status changes of an application until it ends')
    .option('--interval <ms>', "poll interval in ms (default: the cluster's web.refresh-interval)", positiveInt('--interval'))
    .addHelpText('after', examples('flink-client apps watch <application-id>', 'flink-client apps watch <application-id> -o ndjson'))
    .action(
      action(io, async (ctx, [id]: [string], o: { interval?: number }) => {
        for await (const change of ctx.client().application(id).watch({ signal: ctx.io.interrupt, ...(o.interval ? { pollIntervalMs: o.interval } : {}) })) ctx.event(change, appChangeLine(ctx, change));
      }),
    );

  apps
    .command('cancel <application-id>')
    .description('cancel an application and its unfinished jobs')
    .option('--wait', 'wait until it has ended')
    .addHelpText('after', examples('flink-client apps cancel <application-id> --wait'))
    .action(
      action(io, async (ctx, [id]: [string], o: { wait?: boolean }) => {
        const app = ctx.client().application(id);
        await app.cancel(ctx.call);
        const status = o.wait ? await ctx.wait({ label: `cancellation of application ${id}` }, (w) => app.waitFor(['CANCELED', 'FAILED', 'FINISHED'], w)) : 'CANCELING';
        ctx.print({ applicationId: id, status }, () => `${id} ${ctx.out.state(status)}\n`);
      }),
    );

  addRunOptions(
    apps
      .command('run <jar-id>')
      .description("run an uploaded jar's main() as an application (Flink 2.3+)")
      .option('--application-id <id>', 'your own application id (32 hex; makes a retried run idempotent)')
      .option('--wait-running', 'wait until the application is RUNNING'),
  )
    .addHelpText('after', examples('flink-client apps run <jar-id> -c com.example.Etl', 'flink-client apps run <jar-id> --wait-running -o json'))
    .action(
      action(io, async (ctx, [jarId]: [string], o: RunFlags & { applicationId?: string; waitRunning?: boolean }) => {
        const app = await ctx.client().runApplication(jarId, { ...runParams(o), ...(o.applicationId ? { applicationId: o.applicationId } : {}) }, ctx.call);
        let status: string | undefined;
        if (o.waitRunning) {
          status = await ctx.wait(
            { label: `application ${app.applicationId} starting`, resume: () => `It goes on: flink-client apps watch ${app.applicationId}` },
            (w) => app.waitFor('RUNNING', w),
          );
        }
        ctx.print({ jarId, applicationId: app.applicationId, ...(status ? { status } : {}) }, () => `${app.applicationId}\n`);
      }),
    );
}

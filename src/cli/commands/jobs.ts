import { type Command, InvalidArgumentError, Option } from 'commander';
import type { AggregatedMetrics, JobChange, JobOverview, MetricAggregation, SavepointFormat } from 'flink-client';
import { action, collect, examples, positiveInt } from '../action.js';
import type { CliContext } from '../cli-context.js';
import { formatDuration, formatTime, formatTasks } from '../format.js';
import { UsageError } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { waitForOperation } from './waits.js';

const AGGREGATIONS: readonly MetricAggregation[] = ['min', 'max', 'avg', 'sum', 'skew'];

/** Parses `--agg min,max`: each one of Flink's five aggregations. */
function parseAggregations(value: string): MetricAggregation[] {
  const list = value.split(',').map((a) => a.trim().toLowerCase()).filter((a) => a !== '');
  const bad = list.filter((a) => !(AGGREGATIONS as readonly string[]).includes(a));
  if (list.length === 0 || bad.length > 0) throw new InvalidArgumentError(`--agg takes ${AGGREGATIONS.join(', ')} (comma-separated), got ${JSON.stringify(value)}`);
  return [...new Set(list)] as MetricAggregation[];
}

/** A metric number for a table: integers as they are, fractions to 3 places; `-` when absent. */
function formatNumber(n: number | undefined): string {
  if (n === undefined) return '-';
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(3)));
}

const formatOption = (): Option => new Option('--format <type>', 'savepoint format').choices(['CANONICAL', 'NATIVE']);

/** One job as a table row. */
function jobRow(ctx: CliContext, j: JobOverview): string[] {
  return [j.jid, j.name, ctx.out.state(j.state), formatTime(j['start-time']), formatDuration(j.duration), formatTasks(j.tasks)];
}
const JOB_COLUMNS = [{ header: 'JOB ID' }, { header: 'NAME', shrink: true }, { header: 'STATE' }, { header: 'STARTED' }, { header: 'DURATION', align: 'right' as const }, { header: 'TASKS', shrink: true }];

/** A watch change as a text line. */
export function changeLine(ctx: CliContext, c: JobChange): string {
  const from = c.previousStatus ? `${ctx.out.state(c.previousStatus)} → ` : '';
  return `${formatTime(c.timestamp)}  ${c.jobId}  ${c.details.name}  ${from}${ctx.out.state(c.status)}  tasks ${formatTasks(c.details.tasks)}${c.type === 'removed' ? '  (removed)' : ''}`;
}

/** `jobs list | describe | watch | savepoint | stop | cancel | rescale | exceptions | checkpoints | metrics`. */
export function jobsCommand(program: Command, io: CliIo): void {
  const jobs = program
    .command('jobs')
    .alias('job')
    .description('jobs: list, inspect, watch, savepoint, stop, cancel, rescale')
    .addHelpText('after', examples('flink-client jobs list --state RUNNING', 'flink-client jobs describe <job-id>', 'flink-client jobs stop <job-id> --dir file:///data/savepoints'));

  jobs
    .command('list')
    .alias('ls')
    .description('every job the cluster knows (one request)')
    .option('--state <state>', 'only jobs in this state (RUNNING, FINISHED, ...; repeat for several)', collect)
    .addHelpText('after', examples('flink-client jobs list', 'flink-client jobs list --state RUNNING -o json', 'FLINK_URL=https://jm:8081 flink-client jobs ls -o ndjson | jq -r .jid'))
    .action(
      action(io, async (ctx, _args, options: { state?: string[] }) => {
        const states = options.state?.map((s) => s.toUpperCase());
        const list = (await ctx.client().listJobs(ctx.call)).filter((j) => !states || states.includes(j.state));
        list.sort((a, b) => b['start-time'] - a['start-time']);
        ctx.print(list, () => ctx.table(JOB_COLUMNS, list.map((j) => jobRow(ctx, j))));
      }),
    );

  jobs
    .command('describe <job-id>')
    .alias('get')
    .description('a job with its vertices (GET /jobs/:id)')
    .addHelpText('after', examples('flink-client jobs describe 3b6f7c0e1d2a4f5b8c9d0e1f2a3b4c5d', 'flink-client jobs describe <job-id> -o json | jq .vertices'))
    .action(
      action(io, async (ctx, [jobId]: [string]) => {
        const d = await ctx.client().job(jobId).describe(ctx.call);
        ctx.print(d, () => {
          const head = ctx.pairs([
            ['job', `${d.jid}  ${d.name}`],
            ['state', ctx.out.state(d.state)],
            ['type', d['job-type'] ?? '-'],
            ['started', formatTime(d['start-time'])],
            ['duration', formatDuration(d.duration)],
            ['stoppable', String(d.isStoppable)],
            ['max parallelism', String(d.maxParallelism)],
          ]);
          const vertices = ctx.table(
            [{ header: 'VERTEX ID' }, { header: 'NAME', shrink: true }, { header: 'STATUS' }, { header: 'PARALLELISM', align: 'right' }, { header: 'TASKS', shrink: true }],
            d.vertices.map((v) => [v.id, v.name, ctx.out.state(v.status), String(v.parallelism), formatTasks(v.tasks)]),
          );
          return `${head}\n${vertices}`;
        });
      }),
    );

  jobs
    .command('watch [job-id]')
    .description('print status changes: of one job until it ends, or of every job until Ctrl-C')
    .option('--tasks', 'also report task-level progress (a job is RUNNING before its tasks are)')
    .option('--interval <ms>', 'poll interval in ms (default: the cluster\'s web.refresh-interval)', positiveInt('--interval'))
    .addHelpText('after', examples('flink-client jobs watch', 'flink-client jobs watch <job-id> --tasks', 'flink-client jobs watch -o ndjson > changes.ndjson'))
    .action(
      action(io, async (ctx, [jobId]: [string | undefined], options: { tasks?: boolean; interval?: number }) => {
        const base = { signal: ctx.io.interrupt, ...(options.tasks ? { changes: 'all' as const } : {}), ...(options.interval ? { pollIntervalMs: options.interval } : {}) };
        if (jobId !== undefined) {
          const job = ctx.client().job(jobId);
          for await (const change of job.watch(base)) ctx.event(change, changeLine(ctx, change));
          return;
        }
        const watcher = ctx.client().watch({ ...base, jobs: 'all' });
        for await (const event of watcher.events()) {
          if (event.type === 'error') {
            if (event.fatal) throw event.error;
            ctx.note(ctx.err.yellow(`${event.error.message}; retrying in ${event.retryInMs ?? 0} ms`));
            continue;
          }
          if (event.resource === 'job') ctx.event(event, changeLine(ctx, event));
        }
      }),
    );

  jobs
    .command('savepoint <job-id>')
    .description('take a savepoint and wait for its location (Ctrl-C stops waiting, not the savepoint)')
    .option('-d, --dir <uri>', "target directory (absolute file:// or s3:// ...; default: the cluster's savepoint dir)")
    .addOption(formatOption())
    .option('--trigger-id <id>', 'your own trigger id (idempotent: a retry never takes a second savepoint)')
    .option('--resume <trigger-id>', 'wait for a savepoint triggered earlier instead of taking a new one')
    .option('--detach', 'print the trigger id and return without waiting')
    .addHelpText(
      'after',
      examples('flink-client jobs savepoint <job-id> --dir file:///data/savepoints', 'flink-client jobs savepoint <job-id> --detach -o json', 'flink-client jobs savepoint <job-id> --resume <trigger-id>'),
    )
    .action(
      action(io, async (ctx, [jobId]: [string], o: { dir?: string; format?: SavepointFormat; triggerId?: string; resume?: string; detach?: boolean }) => {
        const job = ctx.client().job(jobId);
        const op = o.resume
          ? job.savepointOperation(o.resume, 'savepoint')
          : await job.triggerSavepoint({ ...(o.dir ? { targetDirectory: o.dir } : {}), ...(o.format ? { formatType: o.format } : {}), ...(o.triggerId ? { triggerId: o.triggerId } : {}) }, ctx.call);
        if (o.detach) {
          ctx.print({ jobId, triggerId: op.triggerId }, () => `${op.triggerId}\n`);
          return;
        }
        const location = await waitForOperation(ctx, op, `savepoint of job ${jobId}`, () => `Resume waiting with: flink-client jobs savepoint ${jobId} --resume ${op.triggerId}`);
        ctx.print({ jobId, triggerId: op.triggerId, location }, () => `${location}\n`);
      }),
    );

  jobs
    .command('stop <job-id>')
    .description('stop with a savepoint and wait for its location (Ctrl-C stops waiting, not the stop)')
    .option('-d, --dir <uri>', "target directory (default: the cluster's savepoint dir)")
    .option('--drain', 'emit MAX_WATERMARK first (end of event time: timers fire, windows close)')
    .addOption(formatOption())
    .option('--trigger-id <id>', 'your own trigger id (idempotent)')
    .option('--resume <trigger-id>', 'wait for a stop triggered earlier')
    .option('--detach', 'print the trigger id and return without waiting')
    .addHelpText('after', examples('flink-client jobs stop <job-id> --dir file:///data/savepoints', 'flink-client jobs stop <job-id> --drain', 'flink-client jobs stop <job-id> --resume <trigger-id>'))
    .action(
      action(io, async (ctx, [jobId]: [string], o: { dir?: string; drain?: boolean; format?: SavepointFormat; triggerId?: string; resume?: string; detach?: boolean }) => {
        const job = ctx.client().job(jobId);
        const op = o.resume
          ? job.savepointOperation(o.resume, 'stop')
          : await job.stopWithSavepoint(
              { ...(o.dir ? { targetDirectory: o.dir } : {}), ...(o.drain ? { drain: true } : {}), ...(o.format ? { formatType: o.format } : {}), ...(o.triggerId ? { triggerId: o.triggerId } : {}) },
              ctx.call,
            );
        if (o.detach) {
          ctx.print({ jobId, triggerId: op.triggerId }, () => `${op.triggerId}\n`);
          return;
        }
        const location = await waitForOperation(ctx, op, `stop of job ${jobId} with a savepoint`, () => `Resume waiting with: flink-client jobs stop ${jobId} --resume ${op.triggerId}`);
        ctx.print({ jobId, triggerId: op.triggerId, location }, () => `${location}\n`);
      }),
    );

  jobs
    .command('cancel <job-id>')
    .description('cancel a job (no savepoint)')
    .option('--wait', 'wait until it is CANCELED')
    .addHelpText('after', examples('flink-client jobs cancel <job-id>', 'flink-client jobs cancel <job-id> --wait'))
    .action(
      action(io, async (ctx, [jobId]: [string], o: { wait?: boolean }) => {
        const job = ctx.client().job(jobId);
        await job.cancel(ctx.call);
        const state = o.wait ? await ctx.wait({ label: `cancellation of job ${jobId}` }, (w) => job.waitFor(['CANCELED', 'FAILED', 'FINISHED'], w)) : 'CANCELLING';
        ctx.print({ jobId, state }, () => `${jobId} ${ctx.out.state(state)}\n`);
      }),
    );

  jobs
    .command('rescale <job-id>')
    .description('change the parallelism of every vertex (adaptive scheduler: PUT resource-requirements)')
    .requiredOption('-p, --parallelism <n>', 'the new parallelism', positiveInt('--parallelism'))
    .addHelpText('after', examples('flink-client jobs rescale <job-id> -p 4'))
    .action(
      action(io, async (ctx, [jobId]: [string], o: { parallelism: number }) => {
        await ctx.client().job(jobId).rescale({ parallelism: o.parallelism }, ctx.call);
        ctx.print({ jobId, parallelism: o.parallelism }, () => `${jobId} rescaling to ${o.parallelism}\n`);
      }),
    );

  jobs
    .command('exceptions <job-id>')
    .description("the job's exception history, newest first")
    .option('--max <n>', 'at most this many entries', positiveInt('--max'))
    .option('--stack', 'print the full stack traces (table output)')
    .addHelpText('after', examples('flink-client jobs exceptions <job-id>', 'flink-client jobs exceptions <job-id> --stack --max 1'))
    .action(
      action(io, async (ctx, [jobId]: [string], o: { max?: number; stack?: boolean }) => {
        const ex = await ctx.client().job(jobId).exceptions(o.max ? { maxExceptions: o.max } : {}, ctx.call);
        const entries = ex.exceptionHistory.entries;
        ctx.print(ex, () => {
          if (entries.length === 0) return 'no exceptions\n';
          if (o.stack) return entries.map((e) => `${ctx.out.bold(formatTime(e.timestamp))} ${e.exceptionName}\n${e.stacktrace}\n`).join('\n');
          return ctx.table(
            [{ header: 'TIME' }, { header: 'EXCEPTION', shrink: true }, { header: 'MESSAGE', shrink: true }],
            entries.map((e) => [formatTime(e.timestamp), e.exceptionName, (e.stacktrace.split('\n')[0] ?? '').replace(/^[\w.$]+(: )?/, '')]),
          );
        });
      }),
    );

  jobs
    .command('metrics <job-id>')
    .description('job metrics, or a vertex\'s metrics aggregated over its subtasks; without --get, the names there are')
    .option('--vertex <id>', "a vertex id (from 'jobs describe'), or 'all' for every vertex")
    .option('--get <names>', 'comma-separated metric names to read (repeat for more)', collect)
    .option('--agg <list>', `aggregations over the subtasks, comma-separated: ${AGGREGATIONS.join(',')} (default: all)`, parseAggregations)
    .addHelpText(
      'after',
      examples(
        'flink-client jobs metrics <job-id>',
        'flink-client jobs metrics <job-id> --get numRestarts,uptime -o json',
        'flink-client jobs metrics <job-id> --vertex <vertex-id>',
        'flink-client jobs metrics <job-id> --vertex all --get busyTimeMsPerSecond,numRecordsInPerSecond --agg max,avg',
      ),
    )
    .action(
      action(io, async (ctx, [jobId]: [string], o: { vertex?: string; get?: string[]; agg?: MetricAggregation[] }) => {
        const names = o.get?.flatMap((g) => g.split(',')).map((n) => n.trim()).filter((n) => n !== '');
        if (o.get && names?.length === 0) throw new UsageError('--get needs at least one metric name');
        const job = ctx.client().job(jobId);
        if (o.vertex === undefined) {
          if (o.agg) throw new UsageError("--agg needs --vertex (job metrics have one value each; aggregations are over a vertex's subtasks)");
          if (!names) {
            const list = (await job.metricNames(ctx.call)).sort();
            ctx.print(list, () => (list.length ? `${list.join('\n')}\n` : 'no metrics\n'));
            return;
          }
          const values = await job.metrics(names, ctx.call);
          ctx.print(ctx.output === 'ndjson' ? Object.entries(values).map(([id, value]) => ({ id, value })) : values, () =>
            ctx.table([{ header: 'METRIC', shrink: true }, { header: 'VALUE', align: 'right' }], Object.entries(values).map(([id, v]) => [id, String(v)])),
          );
          return;
        }
        const aggs = o.agg ?? AGGREGATIONS;
        const aggColumns = aggs.map((a) => ({ header: a.toUpperCase(), align: 'right' as const }));
        const aggCells = (m: AggregatedMetrics[string] | undefined): string[] => aggs.map((a) => formatNumber(m?.[a]));
        if (o.vertex === 'all') {
          if (!names) throw new UsageError("--vertex all needs --get (list one vertex's metric names with --vertex <id>)");
          const per = await job.vertexMetrics(names, { agg: aggs }, ctx.call);
          const rows = per.flatMap((v) => Object.entries(v.metrics).map(([id, m]) => ({ vertexId: v.vertexId, ...(v.name !== undefined ? { vertex: v.name } : {}), id, ...m })));
          ctx.print(ctx.output === 'ndjson' ? rows : per, () =>
            ctx.table(
              [{ header: 'VERTEX ID' }, { header: 'VERTEX', shrink: true }, { header: 'METRIC', shrink: true }, ...aggColumns],
              per.flatMap((v) => Object.entries(v.metrics).map(([id, m]) => [v.vertexId, v.name ?? '-', id, ...aggCells(m)])),
            ),
          );
          return;
        }
        const vertex = job.vertex(o.vertex);
        if (!names) {
          const list = (await vertex.subtaskMetricNames(ctx.call)).sort();
          ctx.print(list, () => (list.length ? `${list.join('\n')}\n` : 'no metrics\n'));
          return;
        }
        const metrics = await vertex.aggregatedSubtaskMetrics(names, { agg: aggs }, ctx.call);
        ctx.print(ctx.output === 'ndjson' ? Object.entries(metrics).map(([id, m]) => ({ id, ...m })) : metrics, () =>
          ctx.table([{ header: 'METRIC', shrink: true }, ...aggColumns], Object.entries(metrics).map(([id, m]) => [id, ...aggCells(m)])),
        );
      }),
    );

  jobs
    .command('checkpoints <job-id>')
    .description('checkpoint counts, the latest checkpoint and savepoint, and the recent history')
    .addHelpText('after', examples('flink-client jobs checkpoints <job-id>', 'flink-client jobs checkpoints <job-id> -o json | jq .latest.savepoint.external_path'))
    .action(
      action(io, async (ctx, [jobId]: [string]) => {
        const s = await ctx.client().job(jobId).checkpoints(ctx.call);
        ctx.print(s, () => {
          const c = s.counts;
          const head = ctx.pairs([
            ['counts', `${c.completed} completed, ${c.failed} failed, ${c.in_progress} in progress, ${c.restored} restored`],
            ['latest checkpoint', s.latest.completed ? `#${s.latest.completed.id} ${s.latest.completed.external_path ?? ''}` : '-'],
            ['latest savepoint', s.latest.savepoint ? `#${s.latest.savepoint.id} ${s.latest.savepoint.external_path ?? ''}` : '-'],
          ]);
          if (s.history.length === 0) return head;
          const table = ctx.table(
            [{ header: 'ID', align: 'right' }, { header: 'STATUS' }, { header: 'TYPE' }, { header: 'TRIGGERED' }, { header: 'DURATION', align: 'right' }, { header: 'SIZE', align: 'right' }, { header: 'ACKED', align: 'right' }],
            s.history.map((h) => [
              String(h.id),
              ctx.out.state(h.status),
              h.is_savepoint ? 'savepoint' : h.checkpoint_type,
              formatTime(h.trigger_timestamp),
              `${h.end_to_end_duration} ms`,
              String(h.checkpointed_size),
              `${h.num_acknowledged_subtasks}/${h.num_subtasks}`,
            ]),
          );
          return `${head}\n${table}`;
        });
      }),
    );
}

import type { Command } from 'commander';
import { action, examples } from '../action.js';
import { UsageError } from '../exit-codes.js';
import { formatSize } from '../format.js';
import type { CliIo } from '../io.js';

/** `cluster overview | config | taskmanagers | shutdown`. */
export function clusterCommand(program: Command, io: CliIo): void {
  const cluster = program
    .command('cluster')
    .description('the cluster as a whole: overview, configuration, TaskManagers, shutdown')
    .addHelpText('after', examples('flink-client cluster overview', 'flink-client cluster taskmanagers -o json'));

  cluster
    .command('overview')
    .description('Flink version, TaskManagers, slots and job counts')
    .addHelpText('after', examples('flink-client cluster overview', 'flink-client cluster overview -o json | jq .\'"slots-available"\''))
    .action(
      action(io, async (ctx) => {
        const o = await ctx.client().overview(ctx.call);
        ctx.print(o, () =>
          ctx.pairs([
            ['flink version', `${o['flink-version']} (${o['flink-commit']})`],
            ['taskmanagers', String(o.taskmanagers)],
            ['slots', `${o['slots-available']} free of ${o['slots-total']}`],
            ['jobs running', String(o['jobs-running'])],
            ['jobs finished', String(o['jobs-finished'])],
            ['jobs cancelled', String(o['jobs-cancelled'])],
            ['jobs failed', String(o['jobs-failed'])],
          ]),
        );
      }),
    );

  cluster
    .command('config')
    .description("the JobManager's configuration (GET /jobmanager/config)")
    .option('--filter <text>', 'only keys containing this text')
    .addHelpText('after', examples('flink-client cluster config', 'flink-client cluster config --filter checkpoint'))
    .action(
      action(io, async (ctx, _args, options: { filter?: string }) => {
        const entries = (await ctx.client().jobManagerConfig(ctx.call)).filter((e) => options.filter === undefined || e.key.includes(options.filter));
        entries.sort((a, b) => a.key.localeCompare(b.key));
        ctx.print(entries, () => ctx.table([{ header: 'KEY' }, { header: 'VALUE', shrink: true }], entries.map((e) => [e.key, e.value])));
      }),
    );

  cluster
    .command('taskmanagers')
    .alias('tm')
    .description('the TaskManagers with their slots and resources')
    .addHelpText('after', examples('flink-client cluster taskmanagers', 'flink-client cluster tm -o ndjson'))
    .action(
      action(io, async (ctx) => {
        const tms = await ctx.client().listTaskManagers(ctx.call);
        ctx.print(tms, () =>
          ctx.table(
            [{ header: 'ID' }, { header: 'SLOTS', align: 'right' }, { header: 'FREE', align: 'right' }, { header: 'CPU', align: 'right' }, { header: 'MEMORY', align: 'right' }, { header: 'HEARTBEAT', align: 'right' }, { header: 'PATH', shrink: true }],
            tms.map((t) => [t.id, String(t.slotsNumber), String(t.freeSlots), String(t.hardware.cpuCores), formatSize(t.hardware.physicalMemory), `${Math.round(t.timeSinceLastHeartbeat / 1000)}s ago`, t.path]),
          ),
        );
      }),
    );

  cluster
    .command('shutdown')
    .description('shut the whole cluster down (DELETE /cluster); needs --yes')
    .option('--yes', 'confirm: every job and the cluster itself stop')
    .addHelpText('after', examples('flink-client cluster shutdown --yes'))
    .action(
      action(io, async (ctx, _args, options: { yes?: boolean }) => {
        if (!options.yes) throw new UsageError('cluster shutdown stops every job and the cluster: add --yes to confirm');
        await ctx.client().shutDownCluster(ctx.call);
        ctx.print({ shutdown: true }, () => 'cluster shutting down\n');
      }),
    );
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { FlinkError, type LogFile } from 'flink-client';
import { action, examples, positiveInt } from '../action.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../exit-codes.js';
import { formatSize, formatTime } from '../format.js';
import type { CliIo } from '../io.js';

interface LogsOptions {
  taskmanager?: string;
  file?: string;
  stdout?: boolean;
  list?: boolean;
  tail?: number;
  follow?: boolean;
  interval: number;
  maxBytes?: number;
}

/** Errors a follow rides out (the next poll tries again): the cluster briefly away or slow. */
const TRANSIENT = new Set(['FLINK_CONNECTION_ERROR', 'FLINK_TIMEOUT', 'FLINK_SERVER_ERROR']);

/** `logs`: the JobManager's or a TaskManager's log, stdout or any file of the log directory; `-f` follows. */
export function logsCommand(program: Command, io: CliIo): void {
  program
    .command('logs')
    .description("the JobManager's log (or a TaskManager's with --taskmanager); -f follows it until Ctrl-C")
    .option('--taskmanager <id>', "a TaskManager id (from 'cluster taskmanagers') instead of the JobManager")
    .option('--file <name>', 'a file of the log directory by the name --list shows (default: the main log)')
    .option('--stdout', 'the stdout file instead of the log')
    .option('--list', 'list the files of the log directory (name, size, modified)')
    .option('--tail <n>', 'only the last n lines (with -f: default 10)', positiveInt('--tail'))
    .option('-f, --follow', 'keep printing new lines until Ctrl-C (Flink sends whole files: each poll reads the file again)')
    .option('--interval <ms>', 'poll interval of --follow in ms', positiveInt('--interval'), 2000)
    .option('--max-bytes <n>', 'fail on a file larger than this without --tail (default: the client\'s 100 MiB)', positiveInt('--max-bytes'))
    .addHelpText(
      'after',
      examples(
        'flink-client logs --tail 200',
        'flink-client logs -f',
        'flink-client logs --taskmanager <tm-id> --stdout',
        'flink-client logs --list -o json',
        'flink-client logs --file flink-jobmanager-gc.log.0.current --tail 50',
      ),
    )
    .action(
      action(io, async (ctx, _args, o: LogsOptions) => {
        if (o.stdout && o.file !== undefined) throw new UsageError('--stdout and --file name different files: pass one');
        if (o.list && (o.stdout || o.file !== undefined || o.follow || o.tail !== undefined)) throw new UsageError('--list takes none of --stdout, --file, --tail, --follow');
        const client = ctx.client();
        const manager = o.taskmanager === undefined ? client.jobManager() : client.taskManager(o.taskmanager);
        if (o.list) {
          const { logs } = await manager.logs(ctx.call);
          ctx.print(logs, () =>
            logs.length === 0
              ? 'no log files\n'
              : ctx.table([{ header: 'NAME', shrink: true }, { header: 'SIZE', align: 'right' }, { header: 'MODIFIED' }], logs.map((l) => [l.name, formatSize(l.size), formatTime(l.mtime)])),
          );
          return;
        }
        const file = o.stdout ? manager.stdout() : o.file !== undefined ? manager.logFile(o.file) : manager.log();
        const read = { signal: ctx.io.interrupt, ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}), ...(o.maxBytes !== undefined ? { maxBytes: o.maxBytes } : {}) };
        const print = (line: string): void => ctx.event({ line }, line);
        if (!o.follow) {
          for await (const line of file.lines({ ...read, ...(o.tail !== undefined ? { tailLines: o.tail } : {}) })) print(line);
          return;
        }
        await follow(ctx, file, read, o.tail ?? 10, o.interval, print);
      }),
    );
}

/**
 * Follows a file by its length in lines: Flink ignores `Range` and sends the whole file, so each
 * poll streams it again, skips the lines printed already and prints the rest. A file with fewer
 * lines than seen was rotated or truncated: it is printed from its start. Ctrl-C ends the follow
 * with exit code 0 and leaves no timer or connection behind (the sleep and the read share the signal).
 */
async function follow(ctx: CliContext, file: LogFile, read: { signal: AbortSignal; timeoutMs?: number; maxBytes?: number }, tail: number, intervalMs: number, print: (line: string) => void): Promise<void> {
  const signal = ctx.io.interrupt;
  // Skipping streams the file through without keeping it, so a re-read needs no size bound.
  const options = { ...read, maxBytes: read.maxBytes ?? Number.MAX_SAFE_INTEGER };
  let seen = -1;
  try {
    while (!signal.aborted) {
      try {
        let count = 0;
        const last: string[] = [];
        const firstRead = seen < 0;
        for await (const line of file.lines(options)) {
          count += 1;
          if (firstRead) {
            last.push(line);
            if (last.length > tail) last.shift();
          } else if (count > seen) print(line);
        }
        if (firstRead) last.forEach(print);
        else if (count < seen) {
          // Fewer lines than before: a new file under the same name. Its lines streamed by unkept
          // (memory stays bounded), so read it once more and print it whole.
          ctx.note(ctx.err.yellow('(the file was rotated or truncated; printing it from its start)'));
          let again = 0;
          for await (const line of file.lines(options)) {
            again += 1;
            print(line);
          }
          count = again;
        }
        seen = count;
      } catch (err) {
        if (signal.aborted) return;
        if (!(err instanceof FlinkError) || !TRANSIENT.has(err.code) || seen < 0) throw err;
        ctx.note(ctx.err.yellow(`${err.message}; trying again in ${intervalMs} ms`));
      }
      await sleep(intervalMs, undefined, { signal });
    }
  } catch (err) {
    if (signal.aborted) return;
    throw err;
  }
}

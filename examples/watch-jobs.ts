/**
 * Watches every job of a cluster and prints each change until Ctrl-C: one request per interval
 * however many jobs there are.
 *
 *   npx tsx examples/watch-jobs.ts --url http://localhost:8081 [--interval 1000] [--tasks]
 *
 * `--tasks` also prints task-level progress (a job is RUNNING seconds before all its tasks are).
 */
import { ClusterClient, type WatchChange } from 'flink-client';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const url = option('url') ?? process.env.FLINK_URL ?? 'http://localhost:8081';
const interval = option('interval');

const cluster = new ClusterClient({ url });
const watcher = cluster.watch({
  jobs: 'all',
  pollIntervalMs: interval === undefined ? undefined : Number(interval),
  changes: args.includes('--tasks') ? 'all' : 'status',
});

const time = (ms: number) => new Date(ms).toISOString().slice(11, 23);
const line = (c: WatchChange): string => {
  if (c.resource !== 'job') return '';
  const { name, tasks } = c.details;
  return `${time(c.timestamp)}  ${c.jobId}  ${(c.previousStatus ?? '').padStart(12)} → ${c.status.padEnd(12)} ${tasks.running}/${tasks.total} tasks running  ${name}`;
};

watcher
  .on('added', (c) => console.log(`${line(c)}${c.initial ? '' : '  (new)'}`))
  .on('status', (c) => console.log(line(c)))
  .on('terminal', (c) => console.log(`${time(c.timestamp)}  ${c.resource === 'job' ? c.jobId : c.applicationId}  ended ${c.status}`))
  .on('removed', (c) => console.log(`${time(c.timestamp)}  ${c.resource === 'job' ? c.jobId : c.applicationId}  no longer listed`))
  .on('error', (e) => {
    console.error(`${time(e.timestamp)}  ${e.fatal ? 'stopped' : `retrying in ${e.retryInMs} ms`}: ${e.error.code} ${e.error.message}`);
    if (e.fatal) void cluster.close().then(() => (process.exitCode = 1));
  });

// A clean stop: the watcher and the client end, and with them every timer and socket, so the
// process exits by itself.
process.once('SIGINT', () => {
  console.log('\nstopping');
  watcher.stop();
  void cluster.close();
});

console.log(`watching every job at ${cluster.url} (Ctrl-C to stop)`);
watcher.start();

/**
 * Takes a savepoint of a running job, then stops it with a final savepoint.
 *
 *   npx tsx examples/savepoint-and-stop.ts --url http://localhost:8081 <jobId> [targetDirectory]
 */
import { ClusterClient, FlinkError } from 'flink-client';

const args = process.argv.slice(2);
const urlIndex = args.indexOf('--url');
const url = urlIndex >= 0 ? (args[urlIndex + 1] as string) : (process.env.FLINK_URL ?? 'http://localhost:8081');
const positional = args.filter((_, i) => i !== urlIndex && i !== urlIndex + 1);
const [jobId, targetDirectory] = positional;
if (!jobId) {
  console.error('usage: savepoint-and-stop.ts --url <rest url> <jobId> [targetDirectory]');
  process.exit(2);
}

const cluster = new ClusterClient({ url });
try {
  const job = cluster.job(jobId);
  console.log(`job ${jobId} is ${await job.status()}`);

  const savepoint = await job.triggerSavepoint({ targetDirectory });
  console.log(`savepoint triggered (trigger id ${savepoint.triggerId})`);
  console.log(`savepoint at ${await savepoint.result({ timeoutMs: 5 * 60_000 })}`);

  const stop = await job.stopWithSavepoint({ targetDirectory, drain: false });
  const location = await stop.result({ timeoutMs: 5 * 60_000 });
  console.log(`stopped; final savepoint at ${location}; job is ${await job.waitFor(['FINISHED', 'CANCELED'])}`);
} catch (err) {
  console.error(err instanceof FlinkError ? `${err.code}: ${err.message}` : err);
  process.exitCode = 1;
} finally {
  await cluster.close();
}

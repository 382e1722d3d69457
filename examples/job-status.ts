/**
 * Prints every job on a cluster with its status, then the details of one.
 *
 *   npx tsx examples/job-status.ts --url http://localhost:8081 [jobId]
 */
import { ClusterClient, FlinkError } from 'flink-client';

const args = process.argv.slice(2);
const urlIndex = args.indexOf('--url');
const url = urlIndex >= 0 ? args[urlIndex + 1] : (process.env.FLINK_URL ?? 'http://localhost:8081');
const jobId = args.find((a, i) => /^[0-9a-f]{32}$/i.test(a) && args[i - 1] !== '--url');

const cluster = new ClusterClient({ url: url as string, timeoutMs: 10_000, maxRetries: 2 });
try {
  console.log(`Flink ${await cluster.flinkVersion()} at ${cluster.url}`);
  const jobs = await cluster.listJobs();
  if (jobs.length === 0) console.log('no jobs');
  for (const job of jobs) {
    console.log(`${job.jid}  ${job.state.padEnd(12)} ${job.name}`);
  }
  const target = jobId ?? jobs[0]?.jid;
  if (target) {
    const details = await cluster.job(target).describe();
    console.log(`\n${details.name}: ${details.state}, ${details.vertices.length} vertices, running for ${Math.round(details.duration / 1000)} s`);
  }
} catch (err) {
  console.error(err instanceof FlinkError ? `${err.code}: ${err.message}` : err);
  process.exitCode = 1;
} finally {
  await cluster.close();
}

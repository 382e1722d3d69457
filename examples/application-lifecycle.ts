/**
 * Applications (FLIP-549, Flink 2.3): a main() as a first-class entity with its own state and jobs.
 *
 *   npx tsx examples/application-lifecycle.ts                 # deploys a local Flink 2.3.0 cluster
 *   npx tsx examples/application-lifecycle.ts --url http://host:8081
 *
 * 1. a main() that runs two jobs one after the other: the application FINISHES with both;
 * 2. a streaming main(): the application is cancelled as a whole, and its job with it;
 * 3. a main() that throws before any job: the application FAILS, its exception is in exceptions().
 * On a cluster before 2.3 the same calls show the emulated view (every job a single-job
 * application) and runApplication() throws UnsupportedFeatureError.
 */
import { buildFixtures } from '../scripts/build-fixtures.mjs';
import { provisionFlink } from '../scripts/provision-flink.mjs';
import {
  ApplicationFailedError,
  type ClusterClient,
  FlinkError,
  LocalClusterDescriptor,
  RestClusterDescriptor,
  UnsupportedFeatureError,
} from 'flink-client';

const args = process.argv.slice(2);
const urlIndex = args.indexOf('--url');
const url = urlIndex >= 0 ? args[urlIndex + 1] : undefined;

async function main(): Promise<void> {
  const { flinkHome } = await provisionFlink({ version: '2.3.0' });
  const { jars } = await buildFixtures({ flinkHome });
  const local = url ? undefined : new LocalClusterDescriptor({ flinkHome, slots: 4 });
  console.log(url ? `connecting to ${url}` : 'deploying a local Flink 2.3.0 cluster …');
  const cluster: ClusterClient = local ? await local.deploy() : await new RestClusterDescriptor({ url: url as string }).retrieve();
  try {
    console.log(`Flink ${await cluster.flinkVersion()} at ${cluster.url}\n`);
    const upload = async (path: string): Promise<string> => (await cluster.uploadJar(path)).jarId;

    // 1. Two jobs in one application.
    const twoJobs = await cluster.runApplication(await upload(jars.twoJobs));
    const finished = await twoJobs.result({ timeoutMs: 120_000 });
    console.log(`1. ${finished.name}: ${finished.status} after ${finished.durationMs} ms`);
    for (const job of finished.jobs) console.log(`     job ${job.jid} ${job.name}: ${job.state}`);

    // 2. Cancel a running application as a whole.
    const streaming = await cluster.runApplication(await upload(jars.streaming), { args: ['--rate', '20'] });
    await streaming.waitFor('RUNNING', { timeoutMs: 60_000 });
    // RUNNING is the application (its main()); give main() a moment to submit its job.
    for (let i = 0; i < 100 && (await streaming.describe()).jobs.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await streaming.cancel();
    await streaming.waitFor('CANCELED', { timeoutMs: 60_000 });
    const canceled = await streaming.describe();
    console.log(`2. ${canceled.name}: ${canceled.status}; its jobs: ${canceled.jobs.map((j) => j.state).join(', ') || 'none'}`);
    console.log(`     reached: ${Object.keys(canceled.timestamps).join(' → ')}`);

    // 3. A main() that throws.
    const throwing = await cluster.runApplication(await upload(jars.throwing));
    try {
      await throwing.result({ timeoutMs: 60_000 });
    } catch (err) {
      if (!(err instanceof ApplicationFailedError)) throw err;
      console.log(`3. application ${err.applicationId}: ${err.status}: ${err.rootCause?.message ?? '(no exception recorded)'}`);
      const history = await throwing.exceptions();
      console.log(`     ${history.exceptionHistory.entries.length} exception(s) recorded; newest: ${history.exceptionHistory.entries[0]?.exceptionName}`);
    }

    console.log(`\n${(await cluster.listApplications()).length} applications on the cluster.`);
  } catch (err) {
    if (err instanceof UnsupportedFeatureError) {
      console.log(`${err.message}. Applications here are the emulated single-job view:`);
      for (const app of await cluster.listApplications()) console.log(`  ${app.applicationId} ${app.status} ${app.name} (emulated)`);
      return;
    }
    throw err;
  } finally {
    if (local) await local.shutdown();
    else await cluster.close();
  }
}

main().catch((err: unknown) => {
  console.error(`failed: ${err instanceof FlinkError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});

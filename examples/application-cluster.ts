/**
 * Application mode: deploy a cluster that runs one jar's main() (bin/standalone-job.sh) on this
 * machine, follow the application to its end and print its result.
 *
 *   npx tsx examples/application-cluster.ts                  # Flink 2.3.0 (FLIP-549 applications)
 *   npx tsx examples/application-cluster.ts --version 1.20.5 # the emulated single-job view
 *
 * The jar is the bounded fixture job the tests use (test/fixtures/jobs), built against the
 * provisioned Flink. The cluster stays up after the application ends so that its result can be
 * read, and the descriptor stops every process it started when done.
 */
import { buildFixtures } from '../scripts/build-fixtures.mjs';
import { provisionFlink } from '../scripts/provision-flink.mjs';
import { FlinkError, LocalClusterDescriptor } from 'flink-client';

const args = process.argv.slice(2);
const versionIndex = args.indexOf('--version');
const version = versionIndex >= 0 ? (args[versionIndex + 1] as string) : '2.3.0';

async function main(): Promise<void> {
  const { flinkHome } = await provisionFlink({ version });
  const { jars } = await buildFixtures({ flinkHome });
  const local = new LocalClusterDescriptor({ flinkHome, slots: 2 });
  console.log(`deploying an application cluster on Flink ${version} …`);
  try {
    const app = await local.deployApplication({ jar: jars.bounded, args: ['--job-name', 'example-application'], parallelism: 2 });
    console.log(`application ${app.applicationId} deployed at ${local.restUrl}`);
    const result = await app.result({ timeoutMs: 120_000 });
    console.log(`application ${result.name}: ${result.status} after ${result.durationMs} ms${result.emulated ? ' (emulated single-job view)' : ''}`);
    for (const job of result.jobs) console.log(`  job ${job.jid} ${job.name}: ${job.state}`);
  } finally {
    await local.shutdown();
    console.log('cluster stopped');
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof FlinkError ? `${err.code}: ${err.message}` : err);
  process.exitCode = 1;
});

/**
 * Flink SQL from Node on a local cluster and SQL Gateway: a datagen table, a continuous aggregate
 * printed as a changelog, and an INSERT INTO job stopped with a savepoint.
 *
 *   node scripts/provision-flink.mjs && FLINK_HOME=.flink/2.3.0 npx tsx examples/sql.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LocalClusterDescriptor, LocalSqlGatewayDescriptor } from 'flink-client';

const flinkHome = process.env.FLINK_HOME ?? '.flink/2.3.0';
const dir = await mkdtemp(join(tmpdir(), 'flink-sql-example-'));
const local = new LocalClusterDescriptor({ flinkHome, slots: 4 });
try {
  const cluster = await local.deploy();
  const gatewayDescriptor = new LocalSqlGatewayDescriptor({ flinkHome, clusterUrl: local.restUrl as string });
  const gateway = await gatewayDescriptor.deploy();
  try {
    const session = await gateway.openSession({ name: 'example' });
    await session.configure("CREATE TABLE clicks (user_id INT) WITH ('connector' = 'datagen', 'rows-per-second' = '20', 'fields.user_id.min' = '1', 'fields.user_id.max' = '3')");
    await session.configure("CREATE TABLE sink (user_id INT) WITH ('connector' = 'blackhole')");

    console.log('continuous aggregate, as a changelog:');
    const aggregate = await session.execute('SELECT user_id, COUNT(*) AS clicks FROM clicks GROUP BY user_id');
    let shown = 0;
    for await (const row of aggregate) {
      console.log(`  ${row.kind.padEnd(13)} user ${String(row.values.user_id)}: ${String(row.values.clicks)}`);
      if (++shown === 12) break; // leaving the loop closes the operation and cancels its job
    }

    const insert = await session.execute('INSERT INTO sink SELECT user_id FROM clicks');
    const job = await insert.job(cluster);
    if (!job) throw new Error('the INSERT INTO started no job');
    await job.waitFor('RUNNING');
    const location = await (await job.stopWithSavepoint({ targetDirectory: pathToFileURL(join(dir, 'savepoints')).href })).result();
    console.log(`INSERT INTO job ${job.jobId} stopped with a savepoint at ${location}`);
  } finally {
    await gatewayDescriptor.shutdown();
  }
} finally {
  await local.shutdown();
  await rm(dir, { recursive: true, force: true });
}

/**
 * Example: testing your own Flink tooling against the simulator from `flink-client/testing`.
 *
 * The code under test is a tiny "savepoint scheduler": it takes a savepoint of every RUNNING job
 * and reports where each one went. Instead of a real cluster, the tests start a simulated one on
 * a loopback port, script what the jobs do, inject failures, and (in one test) control time.
 *
 *   npx vitest run examples/testing-with-simulator.test.ts
 */
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClusterClient } from 'flink-client';
import { buildJar, createFlinkSimulator, type FlinkSimulator } from 'flink-client/testing';

// ---------------------------------------------------------------------------------------------
// The code under test (in a real project it lives in src/, not in the test file).

/** What happened to one job. */
interface SavepointReport {
  jobId: string;
  name: string;
  location?: string;
  error?: string;
}

/** Takes a savepoint of every RUNNING job, in parallel, and reports each outcome. */
async function savepointAllRunningJobs(cluster: ClusterClient, targetDirectory: string): Promise<SavepointReport[]> {
  const running = (await cluster.listJobs()).filter((job) => job.state === 'RUNNING');
  return Promise.all(
    running.map(async ({ jid, name }): Promise<SavepointReport> => {
      try {
        const operation = await cluster.job(jid).triggerSavepoint({ targetDirectory });
        return { jobId: jid, name, location: await operation.result({ timeoutMs: 60_000 }) };
      } catch (err) {
        return { jobId: jid, name, error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The tests

describe('savepointAllRunningJobs (real clock, fast timing)', () => {
  let sim: FlinkSimulator;
  let cluster: ClusterClient;

  beforeEach(async () => {
    // A simulated Flink 2.3.0 cluster. 'fast' timing compresses Flink's real delays (job start,
    // savepoint duration, ...) so tests on the real clock stay quick.
    sim = await createFlinkSimulator({ timing: 'fast' });

    // What the jar's main() does: one unbounded streaming job named after the first argument.
    sim.programs.register('com.example.Pipeline', (run) => ({
      jobs: [{ name: run.arg('name') ?? 'pipeline', checkpointing: true }],
    }));

    // The SDK under test talks to the simulator like to any Flink REST endpoint.
    cluster = new ClusterClient({ url: sim.url });
  });

  afterEach(async () => {
    await cluster.close();
    await sim.close(); // closes every socket and timer
  });

  /** Uploads a jar (a tiny generated one is enough: the simulator reads its Main-Class). */
  async function uploadPipelineJar(): Promise<string> {
    const bytes = buildJar({ mainClass: 'com.example.Pipeline' });
    const { jarId } = await cluster.uploadJar(Readable.from([Buffer.from(bytes)]), { filename: 'pipeline.jar' });
    return jarId;
  }

  it('takes one savepoint per running job, and skips jobs that are not running', async () => {
    const jarId = await uploadPipelineJar();
    const orders = await cluster.runJar(jarId, { args: ['--name', 'orders'] });
    const payments = await cluster.runJar(jarId, { args: ['--name', 'payments'] });
    // Drive the simulated cluster directly: this one finishes, so it must be skipped.
    const finished = await cluster.runJar(jarId, { args: ['--name', 'finished'] });
    sim.jobs.get(finished.jobId).finish();

    const report = await savepointAllRunningJobs(cluster, 's3://backups/savepoints');

    expect(report.map((r) => r.name).sort()).toEqual(['orders', 'payments']);
    for (const entry of report) expect(entry.location).toMatch(/^s3:\/\/backups\/savepoints\/savepoint-[0-9a-f]{6}-[0-9a-f]{12}$/);
    // The simulator remembers the savepoints, per job.
    expect(sim.jobs.get(orders.jobId).savepoints).toHaveLength(1);
    expect(sim.jobs.get(payments.jobId).savepoints).toHaveLength(1);
    expect(sim.savepoints.list()).toHaveLength(2);
  });

  it('reports a failed savepoint without giving up on the others', async () => {
    const jarId = await uploadPipelineJar();
    await cluster.runJar(jarId, { args: ['--name', 'a'] });
    await cluster.runJar(jarId, { args: ['--name', 'b'] });
    // The next savepoint fails the way Flink reports it (a CheckpointException in the poll).
    sim.operations.failNext('savepoint', 'Checkpoint storage is full');

    const report = await savepointAllRunningJobs(cluster, 'file:///savepoints');

    expect(report.filter((r) => r.error)).toHaveLength(1);
    expect(report.find((r) => r.error)?.error).toContain('Checkpoint storage is full');
    expect(report.filter((r) => r.location)).toHaveLength(1);
  });

  it('survives a JobManager leader election (the SDK retries the 503s)', async () => {
    const jarId = await uploadPipelineJar();
    await cluster.runJar(jarId, { args: ['--name', 'a'] });
    sim.faults.leaderElection({ path: '/jobs/overview', times: 2 });

    const report = await savepointAllRunningJobs(cluster, 'file:///savepoints');

    expect(report).toHaveLength(1);
    expect(report[0]?.location).toBeDefined();
  });
});

describe('savepointAllRunningJobs (virtual clock)', () => {
  it('waits for slow savepoints without the test sleeping', async () => {
    // On a virtual clock nothing happens until the test moves time. Savepoints here take a
    // simulated minute; the test still runs in milliseconds.
    const sim = await createFlinkSimulator({ clock: 'virtual', timing: { savepointMs: 60_000 } });
    const cluster = new ClusterClient({ url: sim.url });
    try {
      const a = sim.jobs.submit({ name: 'a' });
      const b = sim.jobs.submit({ name: 'b' });
      sim.clock.advance(1_000); // both jobs reach RUNNING

      const pending = savepointAllRunningJobs(cluster, 'file:///savepoints');
      // Wait until both savepoints were triggered, then let one simulated minute pass.
      await vi.waitFor(() => expect(sim.operations.list()).toHaveLength(2));
      expect(sim.operations.list().every((op) => op.status === 'IN_PROGRESS')).toBe(true);
      sim.clock.advance(60_000);

      const report = await pending;
      expect(report.map((r) => r.jobId).sort()).toEqual([a.id, b.id].sort());
      expect(report.every((r) => r.location?.startsWith('file:/savepoints/savepoint-'))).toBe(true);
    } finally {
      await cluster.close();
      await sim.close();
    }
  });
});

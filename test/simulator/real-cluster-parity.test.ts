import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterClient, JobNotFoundError, OperationFailedError } from 'flink-client';
import { createFlinkSimulator, type FixtureKey, fixtureJar, fixturePrograms, type FlinkSimulator, type FlinkSimulatorOptions, REALISTIC_TIMING, type SimulatorRequest } from 'flink-client/testing';
import { assertSimulatorBodiesStrict } from './support/wire.js';

// Behaviour the contract suite (test/contract) found on real Flink 2.3.0 and 1.20.5 where the
// simulator used to differ. Each test pins the simulator side; the contract suite checks that it
// still matches the real clusters.

let sim: FlinkSimulator;
let cluster: ClusterClient;

async function start(options: FlinkSimulatorOptions = {}): Promise<void> {
  sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms, ...options });
  cluster = new ClusterClient({ url: sim.url, validation: 'strict', retry: { initialDelayMs: 5, maxDelayMs: 20 } });
}

async function upload(key: FixtureKey): Promise<string> {
  const { filename, bytes } = fixtureJar(key);
  return (await cluster.uploadJar(Readable.from([Buffer.from(bytes)]), { filename })).jarId;
}

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sim.url}${path}`);
  return { status: res.status, body: await res.json() };
}

afterEach(async () => {
  if (sim && !sim.closed) assertSimulatorBodiesStrict(sim);
  await cluster?.close();
  await sim?.close();
});

/** Resolves with the next request the simulator answers that matches. */
function nextRequest(match: (r: SimulatorRequest) => boolean): Promise<SimulatorRequest> {
  return new Promise((resolve) => {
    const listener = (r: SimulatorRequest): void => {
      if (!match(r)) return;
      sim.off('request', listener);
      resolve(r);
    };
    sim.on('request', listener);
  });
}

const NOT_ALL_RUNNING = 'Failure reason: Not all required tasks are currently running.';

describe.each(['2.3.0', '1.20.5'] as const)('real-cluster parity on Flink %s', (flinkVersion) => {
  it('fails savepoints, stops and checkpoints triggered while tasks are still deploying (202, then the failure in the poll)', async () => {
    await start({ flinkVersion });
    const job = await cluster.runJar(await upload('streaming'), { parallelism: 2 });
    const t = REALISTIC_TIMING;
    sim.clock.advance(t.initializingMs + t.createdMs + 1);
    expect(await job.status()).toBe('RUNNING');
    // RUNNING, but the tasks deploy for another deployMs. (waitForTasks off: Flink's own answer.)
    const savepoint = await job.triggerSavepoint({ waitForTasks: false });
    const stop = await job.stopWithSavepoint({ waitForTasks: false });
    const checkpoint = await job.triggerCheckpoint({ waitForTasks: false });
    sim.clock.advance(5);
    for (const op of [savepoint, stop, checkpoint]) {
      const err = await (op.result as () => Promise<unknown>)().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OperationFailedError);
      expect((err as OperationFailedError).exceptionClass).toBe('org.apache.flink.runtime.checkpoint.CheckpointException');
      expect((err as OperationFailedError).rootCause?.message).toBe(
        `Checkpoint triggering task Source: counter-source (1/2) of job ${job.jobId} is not being executed at the moment. Aborting checkpoint. ${NOT_ALL_RUNNING}`,
      );
    }
    // The job runs on; once every task runs, savepoints work.
    sim.clock.advance(t.deployMs);
    expect(await job.status()).toBe('RUNNING');
    const later = await job.triggerSavepoint();
    sim.clock.advance(t.savepointMs);
    expect(await later.result()).toMatch(/\/savepoint-/);
  });

  it('by default, a savepoint failed for tasks not running waits for the tasks and triggers again: one savepoint, a fresh trigger id', async () => {
    await start({ flinkVersion });
    const job = await cluster.runJar(await upload('streaming'), { parallelism: 2 });
    const t = REALISTIC_TIMING;
    sim.clock.advance(t.initializingMs + t.createdMs + 1);
    const op = await job.triggerSavepoint();
    const firstTriggerId = op.triggerId;
    // The first poll sees Flink's NOT_ALL_REQUIRED_TASKS_RUNNING failure; the SDK then reads the
    // job's details until its tasks run. Let them deploy (and Flink's details cache expire) then.
    const awaitingTasks = nextRequest((r) => r.method === 'GET' && r.route === '/jobs/:jobid');
    sim.clock.advance(5);
    const location = op.result({ timeoutMs: 60_000 });
    await awaitingTasks;
    const retriggered = nextRequest((r) => r.method === 'POST' && r.route === '/jobs/:jobid/savepoints');
    sim.clock.advance(t.deployMs + 3_000);
    await retriggered;
    sim.clock.advance(t.savepointMs);
    expect(await location).toMatch(/\/savepoint-/);
    expect(op.triggerId).not.toBe(firstTriggerId);
    const savepoints = sim.operations.list().filter((o) => o.kind === 'savepoint');
    expect(savepoints.map((o) => [o.triggerId === firstTriggerId, o.failure === undefined, o.result?.location !== undefined])).toEqual([[true, false, false], [false, true, true]]);
  });

  it('answers GET /jobs/:id/status of an unknown job with 500 (FlinkJobNotFoundException), and /jobs/:id/jobmanager/config for any id', async () => {
    await start({ flinkVersion });
    const ghost = '0123456789abcdef0123456789abcdef';
    const status = await get(`/v1/jobs/${ghost}/status`);
    expect(status.status).toBe(500);
    expect((status.body as { errors: string[] }).errors[0]).toBe('Internal server error.');
    expect((status.body as { errors: string[] }).errors[1]).toContain(`org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job (${ghost})`);
    const err = await cluster.job(ghost).status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobNotFoundError);
    expect((err as JobNotFoundError).status).toBe(500);
    // The other job reads stay 404.
    expect((await get(`/v1/jobs/${ghost}`)).status).toBe(404);
    expect((await get(`/v1/jobs/${ghost}/exceptions`)).status).toBe(404);
    // The JobManager configuration, whatever the job: the run's flinkConfiguration is not in it.
    const unknownConfig = await get(`/v1/jobs/${ghost}/jobmanager/config`);
    expect(unknownConfig.status).toBe(200);
    const job = await cluster.runJar(await upload('bounded'), { configuration: { 'flink-client.marker': 'x' } });
    const known = await get(`/v1/jobs/${job.jobId}/jobmanager/config`);
    expect(known.body).toEqual(unknownConfig.body);
    expect((known.body as Array<{ key: string }>).some((e) => e.key === 'flink-client.marker')).toBe(false);
  });

  it('lists a job\'s own accumulators only once it FINISHED; setAccumulator() shows at once', async () => {
    await start({ flinkVersion });
    const job = await cluster.runJar(await upload('bounded'));
    sim.clock.advance(150);
    expect(await job.status()).toBe('RUNNING');
    expect((await job.accumulators())['user-task-accumulators']).toEqual([]);
    sim.jobs.get(job.jobId).setAccumulator('progress', 7);
    expect((await job.accumulators())['user-task-accumulators']).toEqual([{ name: 'progress', type: 'LongCounter', value: '7' }]);
    sim.clock.advance(1_000);
    expect(await job.status()).toBe('FINISHED');
    expect((await job.accumulators())['user-task-accumulators'].map((a) => [a.name, a.value])).toEqual([
      ['records', '1000'],
      ['sum', '500500'],
      ['progress', '7'],
    ]);
    expect((await job.result()).accumulators.sum).toEqual({ type: 'LongCounter', value: '500500' });
  });

  it('with jobDetailsCache, every execution-graph route answers from the snapshot the first read took; checkpoint statistics have their own cache', async () => {
    await start({ flinkVersion, jobDetailsCache: true, refreshIntervalMs: 3_000 });
    const bounded = await cluster.runJar(await upload('bounded'));
    sim.clock.advance(150);
    // The first read of the running job's graph (any of these routes) fills the cache.
    expect((await bounded.describe()).state).toBe('RUNNING');
    sim.clock.advance(1_000);
    expect(await bounded.status()).toBe('FINISHED');
    expect((await get(`/v1/jobs/${bounded.jobId}/execution-result`)).body).toMatchObject({ status: { id: 'COMPLETED' } });
    expect((await cluster.listJobs()).find((j) => j.jid === bounded.jobId)?.state).toBe('FINISHED');
    // Within web.refresh-interval: RUNNING, no accumulators yet, from the same snapshot.
    expect((await bounded.describe()).state).toBe('RUNNING');
    expect((await bounded.accumulators())['user-task-accumulators']).toEqual([]);
    expect((await bounded.plan()).plan.nodes).toHaveLength(1);
    sim.clock.advance(2_000);
    expect((await bounded.describe()).state).toBe('FINISHED');
    expect((await bounded.accumulators())['user-task-accumulators']).toHaveLength(2);

    const streaming = await cluster.runJar(await upload('streaming'));
    sim.clock.advance(1_000);
    const before = await streaming.checkpoints();
    const checkpoint = await streaming.triggerCheckpoint();
    sim.clock.advance(REALISTIC_TIMING.checkpointMs);
    const id = await checkpoint.result();
    expect((await streaming.checkpoints()).counts).toEqual(before.counts);
    sim.clock.advance(3_000);
    expect((await streaming.checkpoints()).history.some((h) => h.id === id)).toBe(true);
    // maxExceptions still applies to an exceptions body served from the snapshot.
    sim.jobs.get(streaming.jobId).restart('first');
    sim.clock.advance(REALISTIC_TIMING.restartDelayMs + 1);
    sim.jobs.get(streaming.jobId).restart('second');
    sim.clock.advance(REALISTIC_TIMING.restartDelayMs + 1);
    const limited = await streaming.exceptions({ maxExceptions: 1 });
    expect(limited.exceptionHistory.entries).toHaveLength(1);
    expect(limited.exceptionHistory.truncated).toBe(true);
    expect((await streaming.exceptions()).exceptionHistory.entries).toHaveLength(2);
  });

  it('answers /jars/:id/run with the job RUNNING and most of a short job still ahead (realistic timing, real clock)', async () => {
    sim = await createFlinkSimulator({ flinkVersion, programs: fixturePrograms, timing: 'realistic' });
    cluster = new ClusterClient({ url: sim.url, validation: 'strict' });
    // What the job was at the moment the simulator answered the run (read in the request-log
    // event, which fires synchronously just before the answer is written), and every status after.
    let statusWhenAnswered: string | undefined;
    const statuses: string[] = [];
    sim.on('request', (entry) => {
      if (entry.route !== '/jars/:jarid/run') return;
      const jobId = (entry.responseBody as { jobid?: string } | undefined)?.jobid;
      statusWhenAnswered = jobId ? sim.jobs.find(jobId)?.status : undefined;
    });
    sim.on('jobStatus', (e) => {
      if (statusWhenAnswered !== undefined) statuses.push(e.status);
    });
    const job = await cluster.runJar(await upload('bounded'));
    await job.waitFor('FINISHED', { pollIntervalMs: 20, maxPollIntervalMs: 20, timeoutMs: 5_000 });
    // Real clusters answered the bounded run once the job was RUNNING (within ~80 ms), with the
    // whole run still ahead: a 20 ms poller saw RUNNING first.
    expect(statusWhenAnswered).toBe('RUNNING');
    expect(statuses).toEqual(['FINISHED']);
  });
});

describe('real-cluster parity on Flink 1.20.5 only', () => {
  it('a second execute() under the run\'s fixed job id gets the first job back: 200, one job', async () => {
    await start({ flinkVersion: '1.20.5' });
    const jarId = await upload('twoJobs');
    const jobId = 'cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd';
    const job = await cluster.runJar(jarId, { jobId });
    expect(job.jobId).toBe(jobId);
    sim.clock.advance(1_000);
    expect(sim.jobs.list().map((j) => [j.id, j.name, j.status])).toEqual([[jobId, 'flink-client-fixture-two-jobs-1', 'FINISHED']]);
    // A new run with the same id is a duplicate, as before.
    const again = await fetch(`${sim.url}/v1/jars/${jarId}/run`, { method: 'POST', body: JSON.stringify({ jobId }) });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { errors: string[] }).errors[0]).toContain('DuplicateJobSubmissionException');
  });
});

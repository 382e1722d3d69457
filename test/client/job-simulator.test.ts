import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ClusterClient,
  type ClusterClientOptions,
  FlinkArgumentError,
  FlinkTimeoutError,
  JarNotFoundError,
  type JobClient,
  JobFailedError,
  OperationFailedError,
  UnreachableStateError,
} from 'flink-client';
import {
  createFlinkSimulator,
  type FixtureKey,
  fixtureJar,
  fixturePrograms,
  type FlinkSimulator,
  type FlinkSimulatorOptions,
  REALISTIC_TIMING,
  type SimulatorRequest,
} from 'flink-client/testing';
import { hexId } from '../support/ids.js';

// JobClient flows that depend on cluster state — result polling, waitFor sequences, savepoints,
// stop, checkpoints, disposal, restore, rescaling, jar runs — against the Flink simulator (the
// contract suite in test/contract keeps it honest against real Flink). The simulator runs on a
// virtual clock: jobs move only when a test advances it, so every sequence is deterministic.
// Exact wire mappings of recorded bodies stay in job-client.test.ts.

let sim: FlinkSimulator;
let cluster: ClusterClient;

async function start(options: FlinkSimulatorOptions = {}, client: Partial<ClusterClientOptions> = {}): Promise<void> {
  sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms, ...options });
  cluster = new ClusterClient({ url: sim.url, validation: 'strict', retry: { initialDelayMs: 5, maxDelayMs: 20 }, ...client });
}

async function upload(key: FixtureKey): Promise<string> {
  const { filename, bytes } = fixtureJar(key);
  return (await cluster.uploadJar(Readable.from([Buffer.from(bytes)]), { filename })).jarId;
}

/** A jar whose main() is the given program. */
async function jarRunning(mainClass: string, program: Parameters<FlinkSimulator['programs']['register']>[1]): Promise<string> {
  return sim.jars.add({ name: `${mainClass.split('.').pop()}.jar`, mainClass, program }).id;
}

/** Runs the streaming fixture and lets every task come up. */
async function runningStreamingJob(params: Parameters<ClusterClient['runJar']>[1] = {}): Promise<JobClient> {
  const job = await cluster.runJar(await upload('streaming'), params);
  sim.clock.advance(1_000);
  return job;
}

/** Resolves with the next request the simulator answers on `route` that matches. */
function answered(route: string, match: (r: SimulatorRequest) => boolean = () => true): Promise<SimulatorRequest> {
  return new Promise((resolve) => {
    const listener = (r: SimulatorRequest): void => {
      if (r.route !== route || !match(r)) return;
      sim.off('request', listener);
      resolve(r);
    };
    sim.on('request', listener);
  });
}

const statusIs = (status: string) => (r: SimulatorRequest) => (r.responseBody as { status?: unknown } | undefined)?.status === status;
const poll = { pollIntervalMs: 5, maxPollIntervalMs: 10 };

afterEach(async () => {
  await cluster?.close();
  await sim?.close();
});

describe('JobClient.result() and Flink\'s per-job REST cache', () => {
  it('waits out the cache so the final accumulators are not the stale running ones', async () => {
    // Real clock: the cache expires in real time here. Flink serves /jobs/:id/accumulators from a
    // cache of refresh-interval; reading it while the job runs caches the empty running list.
    await start({ clock: 'real', timing: 'fast', jobDetailsCache: true, refreshIntervalMs: 600 });
    const jarId = await jarRunning('com.example.Counting', {
      jobs: [{ name: 'counting', durationMs: 'unbounded', accumulators: { records: { type: 'IntCounter', value: 1000 } } }],
    });
    const job = await cluster.runJar(jarId);
    await job.waitFor('RUNNING', poll);
    expect((await job.accumulators())['user-task-accumulators']).toEqual([]);
    sim.jobs.get(job.jobId)?.finish();
    const result = await job.result(poll);
    expect(result.accumulatorNames).toEqual(['records']);
    expect(result.accumulators.records).toEqual({ type: 'IntCounter', value: '1000' });
  });
});

describe.each(['2.3.0', '1.20.5'] as const)('JobClient.result() on the simulator (Flink %s)', (flinkVersion) => {
  it('polls while the job runs, then resolves FINISHED with the net runtime and the accumulators the job reported', async () => {
    await start({ flinkVersion });
    const job = await cluster.runJar(await upload('bounded'), { args: ['--count', '10'], parallelism: 2 });
    const result = job.result(poll);
    await answered('/jobs/:jobid/execution-result');
    sim.clock.advance(1_000);
    const r = await result;
    const simJob = sim.jobs.get(job.jobId);
    expect(r).toMatchObject({ jobId: job.jobId, status: 'FINISHED', applicationId: flinkVersion === '2.3.0' ? job.jobId : undefined });
    expect(r.netRuntimeMs).toBe(simJob.timestamps.FINISHED - simJob.timestamps.INITIALIZING);
    // --count 10 reached main(): records = 10, sum = 1 + ... + 10.
    expect(r.accumulators).toEqual({ records: { type: 'IntCounter', value: '10' }, sum: { type: 'LongCounter', value: '55' } });
    expect([...r.accumulatorNames].sort()).toEqual(['records', 'sum']);
    const polls = sim.requests.filter((q) => q.route === '/jobs/:jobid/execution-result').map((q) => (q.responseBody as { status: { id: string } }).status.id);
    expect(polls[0]).toBe('IN_PROGRESS');
    expect(polls.at(-1)).toBe('COMPLETED');
  });

  it('rejects a job that failed with JobFailedError naming the exception the job threw', async () => {
    await start({ flinkVersion });
    const jarId = await jarRunning('com.example.Etl', { jobs: [{ name: 'etl', fail: { afterMs: 50, exception: { className: 'java.io.IOException', message: 'disk full' } } }] });
    const job = await cluster.runJar(jarId);
    const result = job.result(poll).catch((e: unknown) => e);
    await answered('/jobs/:jobid/execution-result');
    sim.clock.advance(1_000);
    const err = await result;
    expect(err).toBeInstanceOf(JobFailedError);
    expect(err).toMatchObject({ jobId: job.jobId, status: 'FAILED', rootCause: { className: 'java.io.IOException', message: 'disk full' }, exceptionClass: 'java.io.IOException' });
    expect((err as JobFailedError).message).toContain('disk full');
  });

  it('rejects a job that was cancelled with JobFailedError (CANCELED)', async () => {
    await start({ flinkVersion });
    const job = await runningStreamingJob();
    await job.cancel();
    const result = job.result(poll).catch((e: unknown) => e);
    sim.clock.advance(1_000);
    const err = await result;
    expect(err).toBeInstanceOf(JobFailedError);
    expect(err).toMatchObject({ status: 'CANCELED', code: 'FLINK_JOB_FAILED' });
  });

  it('times out with the last state seen while a streaming job runs on', async () => {
    await start({ flinkVersion });
    const job = await runningStreamingJob();
    // A deadline that leaves the first poll ample time on a loaded machine.
    const err = await job.result({ timeoutMs: 1_500, pollIntervalMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkTimeoutError);
    expect(err).toMatchObject({ phase: 'wait', lastValue: { status: { id: 'IN_PROGRESS' } } });
  });

  it('rides out 503s during the wait (no retries in the pipeline: the wait itself tolerates them)', async () => {
    await start({ flinkVersion }, { maxRetries: 0 });
    const job = await cluster.runJar(await upload('bounded'));
    sim.clock.advance(1_000);
    const fault = sim.faults.error(503, { path: '/jobs/:jobid/execution-result', times: 2 });
    expect((await job.result(poll)).status).toBe('FINISHED');
    expect(fault.hits).toBe(2);
  });
});

describe('JobClient.waitFor() on the simulator', () => {
  it('sees INITIALIZING → CREATED → RUNNING and returns the status matched', async () => {
    await start();
    const job = await cluster.runJar(await upload('streaming'));
    const seen: string[] = [];
    const waiting = job.waitFor(
      (s) => {
        if (seen.at(-1) !== s) seen.push(s);
        return s === 'RUNNING';
      },
      poll,
    );
    await answered('/jobs/:jobid/status', statusIs('INITIALIZING'));
    sim.clock.advance(REALISTIC_TIMING.initializingMs);
    await answered('/jobs/:jobid/status', statusIs('CREATED'));
    sim.clock.advance(REALISTIC_TIMING.createdMs);
    expect(await waiting).toBe('RUNNING');
    expect(seen).toEqual(['INITIALIZING', 'CREATED', 'RUNNING']);
  });

  it('fails fast with UnreachableStateError when the job ends in another terminal state', async () => {
    await start();
    const job = await cluster.runJar(await upload('failing'));
    const waiting = job.waitFor('FINISHED', poll).catch((e: unknown) => e);
    sim.clock.advance(1_000);
    const err = await waiting;
    expect(err).toBeInstanceOf(UnreachableStateError);
    expect(err).toMatchObject({ state: 'FAILED', id: job.jobId });
  });

  it('accepts a list or a predicate', async () => {
    await start();
    const job = await runningStreamingJob();
    expect(await job.waitFor(['FINISHED', 'RUNNING'], poll)).toBe('RUNNING');
    await job.cancel();
    const waiting = job.waitFor((s) => s === 'CANCELED', poll);
    sim.clock.advance(1_000);
    expect(await waiting).toBe('CANCELED');
  });
});

describe.each(['2.3.0', '1.20.5'] as const)('savepoints, stop, checkpoints and disposal on the simulator (Flink %s)', (flinkVersion) => {
  it('triggerSavepoint: the client trigger id, target directory and format reach Flink; result() polls to the location', async () => {
    await start({ flinkVersion });
    const job = await runningStreamingJob();
    const op = await job.triggerSavepoint({ targetDirectory: 'file:///tmp/sp', formatType: 'NATIVE' });
    expect(op).toMatchObject({ kind: 'savepoint', jobId: job.jobId });
    expect(sim.operations.find(op.triggerId)?.kind).toBe('savepoint');
    expect(await op.status()).toEqual({ state: 'IN_PROGRESS' });
    const result = op.result(poll);
    sim.clock.advance(REALISTIC_TIMING.savepointMs);
    const location = await result;
    expect(location).toMatch(/^file:\/tmp\/sp\/savepoint-[0-9a-f]{6}-[0-9a-f]{12}$/);
    expect(await op.status()).toEqual({ state: 'SUCCEEDED', result: location });
    const latest = (await job.checkpoints()).latest.savepoint;
    expect(latest).toMatchObject({ external_path: location, savepointFormat: 'NATIVE', is_savepoint: true });
    // The same trigger id again: the same operation, no second savepoint.
    const again = await job.triggerSavepoint({ triggerId: op.triggerId });
    expect(await again.result(poll)).toBe(location);
    expect(sim.savepoints.list()).toHaveLength(1);
    // A handle made from the trigger id alone reads the same operation.
    expect(await job.savepointOperation(op.triggerId).result(poll)).toBe(location);
    // The savepoint left the job running (`cancel-job` false); with cancelJob it is cancelled.
    expect(await job.status()).toBe('RUNNING');
    expect(sim.requests.find((r) => r.route === '/jobs/:jobid/savepoints' && r.method === 'POST')?.requestBody).toEqual({
      'target-directory': 'file:///tmp/sp',
      'cancel-job': false,
      formatType: 'NATIVE',
      triggerId: op.triggerId,
    });
    const cancelling = await job.triggerSavepoint({ cancelJob: true });
    sim.clock.advance(REALISTIC_TIMING.savepointMs + 1_000);
    await cancelling.result(poll);
    expect(await job.status()).toBe('CANCELED');
  });

  it('stopWithSavepoint: the job ends FINISHED, successfully, with a savepoint in the target directory', async () => {
    await start({ flinkVersion });
    const job = await runningStreamingJob();
    const op = await job.stopWithSavepoint({ targetDirectory: 'file:///tmp/stops', drain: true });
    expect(op.kind).toBe('stop');
    sim.clock.advance(REALISTIC_TIMING.savepointMs);
    expect(await op.result(poll)).toMatch(/^file:\/tmp\/stops\/savepoint-/);
    expect(await job.status()).toBe('FINISHED');
    expect((await job.result(poll)).status).toBe('FINISHED');
    // Flink's stop body is camelCase (the savepoint body is kebab-case).
    expect(sim.requests.find((r) => r.route === '/jobs/:jobid/stop')?.requestBody).toEqual({ targetDirectory: 'file:///tmp/stops', drain: true, triggerId: op.triggerId });
  });

  it('a savepoint that fails rejects with OperationFailedError carrying Flink\'s cause', async () => {
    await start({ flinkVersion });
    const job = await runningStreamingJob();
    const op = await job.triggerSavepoint({ targetDirectory: 'file:///dev/null/savepoints' });
    sim.clock.advance(REALISTIC_TIMING.savepointMs);
    const err = await op.result(poll).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationFailedError);
    expect(err).toMatchObject({ triggerId: op.triggerId });
    expect((err as OperationFailedError).exceptionClass).not.toBe('java.util.concurrent.CompletionException');
    expect((err as OperationFailedError).stackTrace).toContain('Caused by: org.apache.flink.runtime.checkpoint.CheckpointException');
    expect((err as OperationFailedError).message).toContain((err as OperationFailedError).rootCause?.message);
    // The job itself runs on.
    expect(await job.status()).toBe('RUNNING');
  });

  it('triggerCheckpoint resolves to the id of the checkpoint Flink took', async () => {
    await start({ flinkVersion });
    const job = await runningStreamingJob({ args: ['--checkpoint-interval', '60000'] });
    const op = await job.triggerCheckpoint({ type: 'FULL' });
    expect(op.kind).toBe('checkpoint');
    sim.clock.advance(REALISTIC_TIMING.checkpointMs);
    const id = await op.result(poll);
    const stats = await job.checkpoints();
    expect(stats.latest.completed?.id).toBe(id);
    expect(stats.history.find((h) => h.id === id)).toMatchObject({ status: 'COMPLETED', checkpoint_type: 'CHECKPOINT' });
    expect(sim.requests.find((r) => r.route === '/jobs/:jobid/checkpoints' && r.method === 'POST')?.requestBody).toEqual({ checkpointType: 'FULL', triggerId: op.triggerId });
  });

  it('disposeSavepoint removes the savepoint; a run cannot restore from it and disposing it again fails', async () => {
    await start({ flinkVersion });
    const job = await runningStreamingJob();
    const savepoint = await job.triggerSavepoint();
    sim.clock.advance(REALISTIC_TIMING.savepointMs);
    const location = await savepoint.result(poll);
    const disposal = await cluster.disposeSavepoint(location);
    expect(disposal).toMatchObject({ kind: 'savepoint-disposal', jobId: undefined });
    sim.clock.advance(REALISTIC_TIMING.disposalMs);
    await expect(disposal.result(poll)).resolves.toBeUndefined();
    expect(sim.savepoints.has(location)).toBe(false);
    expect(sim.requests.find((r) => r.route === '/savepoint-disposal' && r.method === 'POST')?.requestBody).toEqual({ 'savepoint-path': location, triggerId: disposal.triggerId });
    const again = await cluster.disposeSavepoint(location);
    sim.clock.advance(REALISTIC_TIMING.disposalMs);
    const err = await again.result(poll).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationFailedError);
    expect((err as OperationFailedError).stackTrace?.split('\n')[0]).toContain('Could not dispose savepoint');
  });

  it('runJar with savepointPath restores the new job from the savepoint', async () => {
    await start({ flinkVersion });
    const job = await runningStreamingJob();
    const stop = await job.stopWithSavepoint();
    sim.clock.advance(REALISTIC_TIMING.savepointMs);
    const location = await stop.result(poll);
    const resumed = await runningStreamingJob({ savepointPath: location, claimMode: 'NO_CLAIM' });
    expect(await resumed.status()).toBe('RUNNING');
    const restored = (await resumed.checkpoints()).latest.restored;
    expect(restored).toMatchObject({ is_savepoint: true, external_path: location });
    expect(sim.jobs.get(resumed.jobId).claimMode).toBe('NO_CLAIM');
  });
});

describe('rescaling on the simulator (adaptive scheduler)', () => {
  it('rescale({ parallelism }) puts new bounds for every vertex, and the job rescales after the cooldown', async () => {
    await start({ scheduler: 'adaptive' });
    const job = await runningStreamingJob({ parallelism: 2 });
    const before = await job.resourceRequirements();
    expect(Object.values(before).some((v) => v.parallelism.upperBound === 2)).toBe(true);
    await job.rescale({ parallelism: 1 });
    const after = await job.resourceRequirements();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(Object.values(after).every((v) => v.parallelism.lowerBound === 1 && v.parallelism.upperBound === 1)).toBe(true);
    sim.clock.advance(REALISTIC_TIMING.rescaleMs + 2_000);
    expect((await job.describe()).vertices.every((v) => v.parallelism === 1)).toBe(true);
  });
});

describe('jars on the simulator', () => {
  it('runJar passes args, parallelism, configuration and its own job id to the run', async () => {
    await start();
    const jobId = hexId();
    const job = await cluster.runJar(await upload('bounded'), { args: ['--count', '3'], parallelism: 2, configuration: { 'pipeline.object-reuse': 'true' }, jobId });
    expect(job.jobId).toBe(jobId);
    sim.clock.advance(1_000);
    expect((await job.config())['execution-config']?.['job-parallelism']).toBe(2);
    expect((await job.describe()).vertices.every((v) => v.parallelism === 2)).toBe(true);
    expect((await job.result(poll)).accumulators.records?.value).toBe('3');
    expect(sim.jobs.get(jobId).configuration).toEqual({ 'pipeline.object-reuse': 'true' });
    // Without an id of its own, the client still sends one: the handle names the job Flink ran.
    const second = await cluster.runJar(await upload('bounded'));
    expect(sim.jobs.get(second.jobId).name).toBe('flink-client-fixture-bounded-accumulators');
  });

  it('uploads, lists, plans and deletes jars; a deleted jar is JarNotFoundError', async () => {
    await start();
    const jarId = await upload('bounded');
    const listed = (await cluster.listJars()).find((f) => f.id === jarId);
    expect(listed?.entry.map((e) => e.name)).toEqual([sim.jars.get(jarId).mainClass]);
    const plan = await cluster.planJar(jarId, { parallelism: 3 });
    expect(plan.plan.nodes.length).toBeGreaterThan(0);
    expect(plan.plan.nodes.every((n) => n.parallelism === 3)).toBe(true);
    await cluster.deleteJar(jarId);
    expect((await cluster.listJars()).some((f) => f.id === jarId)).toBe(false);
    await expect(cluster.deleteJar(jarId)).rejects.toBeInstanceOf(JarNotFoundError);
    await expect(cluster.planJar(jarId)).rejects.toBeInstanceOf(JarNotFoundError);
    await expect(cluster.deleteJar('../../etc')).rejects.toBeInstanceOf(FlinkArgumentError);
  });
});

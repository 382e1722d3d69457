import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ClusterClient,
  FlinkBadRequestError,
  FlinkConflictError,
  FlinkServerError,
  JarNotFoundError,
  JobFailedError,
  JobNotFoundError,
} from 'flink-client';
import { createFlinkSimulator, type FixtureKey, fixtureJar, fixturePrograms, type FlinkSimulator, type SimulatorFlinkVersion } from 'flink-client/testing';
import { assertSimulatorBodiesStrict } from './support/wire.js';

// The SDK's public API against the simulator: the same calls a user's code makes against Flink.

let sim: FlinkSimulator;
let cluster: ClusterClient;

async function start(flinkVersion: SimulatorFlinkVersion, extra: Parameters<typeof createFlinkSimulator>[0] = {}): Promise<void> {
  sim = await createFlinkSimulator({ flinkVersion, clock: 'virtual', programs: fixturePrograms, ...extra });
  cluster = new ClusterClient({ url: sim.url, validation: 'strict', retry: { initialDelayMs: 5, maxDelayMs: 20 } });
}

async function upload(key: FixtureKey): Promise<string> {
  const { filename, bytes } = fixtureJar(key);
  const { jarId } = await cluster.uploadJar(Readable.from([Buffer.from(bytes)]), { filename });
  return jarId;
}

afterEach(async () => {
  // Every body the simulator sent in the test must pass the SDK's strict schemas.
  if (sim && !sim.closed) assertSimulatorBodiesStrict(sim);
  await cluster?.close();
  await sim?.close();
});

const id32 = /^[0-9a-f]{32}$/;

describe.each(['2.3.0', '1.20.5'] as const)('Flink %s profile through the SDK', (version) => {
  it('uploads, lists, plans and deletes jars like Flink', async () => {
    await start(version);
    const jarId = await upload('bounded');
    expect(jarId).toMatch(/^[0-9a-f-]{36}_bounded-accumulator\.jar$/);
    const jars = await cluster.listJars();
    expect(jars[0]).toMatchObject({ id: jarId, name: 'bounded-accumulator.jar', entry: [{ name: 'flinkclient.fixtures.BoundedAccumulatorJob', description: null }] });
    const plan = await cluster.planJar(jarId, { parallelism: 2 });
    expect(plan.plan.name).toBe('flink-client-fixture-bounded-accumulators');
    expect(plan.plan.nodes[0]).toMatchObject({ id: '8e438e001276993a86ff80dcf02e0237', parallelism: 2 });
    await cluster.deleteJar(jarId);
    // A second delete is 400 "File ... does not exist in ..." on Flink; the SDK names the jar.
    const again = await cluster.deleteJar(jarId).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(JarNotFoundError);
    expect((again as JarNotFoundError).status).toBe(400);
    // Running a deleted jar is a 500 on Flink.
    const run = await cluster.runJar(jarId).catch((e: unknown) => e);
    expect(run).toBeInstanceOf(JarNotFoundError);
    expect((run as JarNotFoundError).status).toBe(500);
  });

  it('runs a bounded job to FINISHED with its accumulators', async () => {
    await start(version);
    const jarId = await upload('bounded');
    const job = await cluster.runJar(jarId, { parallelism: 2, args: ['--count', '10'] });
    expect(job.jobId).toMatch(id32);
    // The virtual clock stands still: the job has just been submitted.
    expect(await job.status()).toBe('INITIALIZING');
    sim.clock.advance(1_000);
    const result = await job.result();
    expect(result).toMatchObject({
      jobId: job.jobId,
      status: 'FINISHED',
      accumulators: { records: { type: 'IntCounter', value: '10' }, sum: { type: 'LongCounter', value: '55' } },
      accumulatorNames: ['records', 'sum'],
      applicationId: version === '2.3.0' ? job.jobId : undefined,
    });
    expect(result.netRuntimeMs).toBeGreaterThan(0);
    const simJob = sim.jobs.get(job.jobId);
    expect(simJob.status).toBe('FINISHED');
    expect(simJob.args).toEqual(['--count', '10']);
    expect(simJob.parallelism).toBe(2);
  });

  it('reports a failing job as JobFailedError with the user exception as root cause', async () => {
    await start(version);
    const job = await cluster.runJar(await upload('failing'));
    sim.clock.advance(1_000);
    const err = await job.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect((err as JobFailedError).status).toBe('FAILED');
    expect((err as JobFailedError).rootCause?.message).toContain('flink-client fixture failure');
    const exceptions = await job.exceptions();
    expect(exceptions.exceptionHistory.entries[0]?.exceptionName).toBe('org.apache.flink.runtime.JobException');
    expect(exceptions.exceptionHistory.entries[0]?.concurrentExceptions[0]?.exceptionName).toBe('java.lang.IllegalStateException');
    if (version === '1.20.5') expect(exceptions['root-exception']).toMatch(/^org\.apache\.flink\.runtime\.JobException: Recovery is suppressed/);
    else expect(exceptions['root-exception']).toBeUndefined();
  });

  it('rejects a repeated jobId with the version\'s Duplicate...SubmissionException and starts no second job', async () => {
    await start(version);
    const jarId = await upload('streaming');
    const first = await cluster.runJar(jarId);
    const err = await cluster.runJar(jarId, { jobId: first.jobId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkBadRequestError);
    const text = (err as FlinkBadRequestError).errors.join('\n');
    expect(text.split('\n')[0]).toBe('org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.');
    expect(text).toContain(version === '2.3.0' ? 'DuplicateApplicationSubmissionException: Application has already been submitted.' : 'DuplicateJobSubmissionException: Job has already been submitted.');
    expect(sim.jobs.list()).toHaveLength(1);
  });

  it('a jar run whose answer was lost is retried with the same jobId and resolves to the one job', async () => {
    await start(version);
    const jarId = await upload('streaming');
    // The first attempt is processed, then its connection reset: the SDK retries with its jobId,
    // Flink answers 400 Duplicate..., and the SDK recognises its own job.
    const fault = sim.faults.reset({ method: 'POST', path: '/jars/:jarid/run', afterProcessing: true, times: 1 });
    const job = await cluster.runJar(jarId);
    expect(fault.hits).toBe(1);
    expect(sim.jobs.list().map((j) => j.id)).toEqual([job.jobId]);
    expect(sim.requests.filter((r) => r.route === '/jars/:jarid/run').map((r) => r.status)).toEqual([0, 400]);
  });

  it('runs both jobs of a two-job main(); under a fixed jobId the second execute() is a duplicate (2.3) or gets the first job back (1.20)', async () => {
    await start(version);
    const jarId = await upload('twoJobs');
    // Flink lets the server pick ids when the client sends jobId: null: both jobs run.
    const job = await cluster.runJar(jarId, { jobId: null });
    sim.clock.advance(100);
    expect(sim.jobs.list().map((j) => j.name).sort()).toEqual(['flink-client-fixture-two-jobs-1', 'flink-client-fixture-two-jobs-2']);
    expect(sim.jobs.get(job.jobId).name).toBe('flink-client-fixture-two-jobs-1');
    // With a fixed id (the SDK's default) the first job is submitted and runs on; then, as on the
    // real clusters (test/contract/jobs.test.ts), 2.3.0 fails the run at the second execute(),
    // while 1.20.5's executor hands the second execute() the job it already submitted under that
    // id: the run succeeds and no second job starts.
    const fixed = 'abababababababababababababababab';
    const outcome = await cluster.runJar(jarId, { jobId: fixed }).catch((e: unknown) => e);
    expect(sim.jobs.get(fixed).name).toBe('flink-client-fixture-two-jobs-1');
    sim.clock.advance(100);
    if (version === '2.3.0') {
      expect(outcome).toBeInstanceOf(FlinkBadRequestError);
      expect((outcome as FlinkBadRequestError).errors[0]).toContain("Failed to execute job 'flink-client-fixture-two-jobs-2'.");
    } else {
      expect((outcome as { jobId?: string }).jobId).toBe(fixed);
    }
    expect(sim.jobs.list({ name: 'flink-client-fixture-two-jobs-2' })).toHaveLength(1);
  });

  it('answers main() failures and missing entry classes as Flink does', async () => {
    await start(version);
    const throwing = await cluster.runJar(await upload('throwing')).catch((e: unknown) => e);
    expect(throwing).toBeInstanceOf(FlinkBadRequestError);
    expect((throwing as FlinkBadRequestError).errors[0]).toContain('Caused by: java.lang.IllegalArgumentException: flink-client fixture: main() threw before submitting a job');
    const noExecute = await cluster.runJar(await upload('noExecute')).catch((e: unknown) => e);
    expect(noExecute).toBeInstanceOf(FlinkBadRequestError);
    expect((noExecute as FlinkBadRequestError).errors[0]?.split('\n')[0]).toBe('org.apache.flink.runtime.rest.handler.RestHandlerException: No jobs included in application.');
    const badEntry = await cluster.runJar(await upload('bounded'), { entryClass: 'no.such.Main' }).catch((e: unknown) => e);
    expect(badEntry).toBeInstanceOf(FlinkServerError);
    expect((badEntry as FlinkServerError).errors).toEqual(['Internal server error.', expect.stringContaining("The program's entry point class 'no.such.Main' was not found in the jar file.")]);
    expect(sim.jobs.list()).toHaveLength(0);
  });

  it('follows cancel semantics: 202, 202 again on CANCELED, 409 on FINISHED/FAILED, 404 unknown', async () => {
    await start(version);
    const streaming = await cluster.runJar(await upload('streaming'));
    sim.clock.advance(200);
    expect(await streaming.waitFor('RUNNING')).toBe('RUNNING');
    await streaming.cancel();
    expect(await streaming.status()).toBe('CANCELLING');
    sim.clock.advance(100);
    expect(await streaming.status()).toBe('CANCELED');
    await expect(streaming.cancel()).resolves.toBeUndefined();
    const err = await streaming.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect((err as JobFailedError).status).toBe('CANCELED');

    const bounded = await cluster.runJar(await upload('bounded'));
    sim.clock.advance(1_000);
    const conflict = await bounded.cancel().catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(FlinkConflictError);
    expect((conflict as FlinkConflictError).errors[0]).toMatch(/^org\.apache\.flink\.runtime\.rest\.handler\.RestHandlerException: Job cancellation failed because the job has already reached another terminal state \(FINISHED\)\./);

    const unknown = cluster.job('0123456789abcdef0123456789abcdef');
    await expect(unknown.cancel()).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(unknown.status()).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(unknown.describe()).rejects.toBeInstanceOf(JobNotFoundError);
  });

  it('serves details, plan, config, checkpoint config and task managers for a running job', async () => {
    await start(version);
    const job = await cluster.runJar(await upload('streaming'), { parallelism: 2 });
    sim.clock.advance(100);
    let details = await job.describe();
    expect(details.state).toBe('RUNNING');
    expect(details.vertices.map((v) => v.status)).toEqual(['DEPLOYING', 'DEPLOYING', 'DEPLOYING', 'DEPLOYING']);
    sim.clock.advance(1_000);
    details = await job.describe();
    expect(details.vertices.map((v) => [v.name, v.parallelism, v.status])).toEqual([
      ['Source: counter-source', 2, 'RUNNING'],
      ['keyed-counter', 2, 'RUNNING'],
      ['reporter', 1, 'RUNNING'],
      ['discard: Writer', 2, 'RUNNING'],
    ]);
    expect(details['status-counts'].RUNNING).toBe(4);
    expect(details.timestamps.INITIALIZING).toBeGreaterThan(0);
    expect(details.timestamps.FINISHED).toBe(0);
    expect(details['application-id']).toBe(version === '2.3.0' ? job.jobId : undefined);
    expect((await job.plan()).plan.nodes.map((n) => n.id)).toEqual([
      '298755e8e632b439cafe5a0c747de7e1',
      'b9bb1d1fa2a64f25059caf6565693ecf',
      'ed63c6d066f83fc9a893ba13a9fb615d',
      'ea27fd291a97cca54a5118b66652a19f',
    ]);
    expect((await job.config())['execution-config']?.['job-parallelism']).toBe(2);
    expect(await job.checkpointConfig()).toMatchObject({ mode: 'exactly_once', interval: 1000 });
    const overview = await cluster.overview();
    expect(overview).toMatchObject({ 'jobs-running': 1, 'slots-total': 2, 'slots-available': 0, 'flink-version': version });
    const tms = await cluster.listTaskManagers();
    expect(tms[0]?.freeSlots).toBe(0);
    expect(tms[0]?.assignedTasks).toBe(version === '2.3.0' ? 7 : undefined);
    expect(await cluster.flinkVersion()).toBe(version);
    const jobs = await cluster.listJobs();
    expect(jobs.map((j) => [j.jid, j.state, j.tasks.total])).toEqual([[job.jobId, 'RUNNING', 7]]);
  });

  it('answers resource-requirements with 500 on the default scheduler, and rescales on the adaptive one', async () => {
    await start(version);
    const job = await cluster.runJar(await upload('streaming'), { parallelism: 2 });
    sim.clock.advance(1_000);
    const err = await job.resourceRequirements().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkServerError);
    expect((err as FlinkServerError).errors[1]).toContain('java.lang.UnsupportedOperationException: The DefaultScheduler does not support changing the parallelism');
    await cluster.close();
    await sim.close();

    await start(version, { scheduler: 'adaptive' });
    const adaptive = await cluster.runJar(await upload('streaming'), { parallelism: 2 });
    sim.clock.advance(1_000);
    expect(await adaptive.resourceRequirements()).toMatchObject({ ea27fd291a97cca54a5118b66652a19f: { parallelism: { lowerBound: 1, upperBound: 2 } } });
    await adaptive.rescale({ parallelism: 1 });
    expect((await adaptive.describe()).vertices[0]?.parallelism).toBe(2);
    sim.clock.advance(30_000);
    if (version === '1.20.5') expect(await adaptive.status()).toBe('RESTARTING');
    sim.clock.advance(5_000);
    const after = await adaptive.describe();
    expect(after.state).toBe('RUNNING');
    expect(after.schedulerType).toBe(version === '2.3.0' ? 'Adaptive' : undefined);
    expect(after.vertices.map((v) => v.parallelism)).toEqual([1, 1, 1, 1]);
    const bad = await adaptive.rescale({ ea27fd291a97cca54a5118b66652a19f: { parallelism: { lowerBound: 1, upperBound: 1 } } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(FlinkBadRequestError);
    expect((bad as FlinkBadRequestError).errors[0]).toContain('The request is incomplete, missing job vertex [ed63c6d066f83fc9a893ba13a9fb615d] resource requirements.');
  });
});

describe('real clock', () => {
  it('runs the same flows on wall time with fast timing', async () => {
    sim = await createFlinkSimulator({ programs: fixturePrograms, timing: 'fast' });
    cluster = new ClusterClient({ url: sim.url, validation: 'strict' });
    const job = await cluster.runJar(await upload('bounded'));
    const result = await job.result({ pollIntervalMs: 10, maxPollIntervalMs: 20, timeoutMs: 5_000 });
    expect(result.accumulators.records?.value).toBe('1000');
    const streaming = await cluster.runJar(await upload('streaming'));
    // With the real clock /jars/run blocks like Flink, so a poller sees RUNNING first.
    expect(await streaming.status()).toBe('RUNNING');
    await streaming.cancel();
    expect(await streaming.waitFor('CANCELED', { pollIntervalMs: 5, maxPollIntervalMs: 10, timeoutMs: 5_000 })).toBe('CANCELED');
  });
});

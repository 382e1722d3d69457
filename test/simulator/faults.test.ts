import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ClusterClient,
  type ClusterClientOptions,
  FlinkConnectionError,
  FlinkServerError,
  FlinkTimeoutError,
  FlinkValidationError,
  JobNotFoundError,
  OperationNotFoundError,
} from 'flink-client';
import { createFlinkSimulator, type FixtureKey, fixtureJar, fixturePrograms, type FlinkSimulator, type FlinkSimulatorOptions } from 'flink-client/testing';
import { assertSimulatorBodiesStrict, firstLines } from './support/wire.js';

// Injected faults, and how the SDK's typed errors and retries meet them. Faults act on real
// sockets, so these tests use the real clock (with fast timing).

let sim: FlinkSimulator;
let cluster: ClusterClient;

async function start(options: FlinkSimulatorOptions = {}, client: Partial<ClusterClientOptions> = {}): Promise<void> {
  sim = await createFlinkSimulator({ programs: fixturePrograms, timing: 'fast', ...options });
  cluster = new ClusterClient({ url: sim.url, validation: 'strict', retry: { initialDelayMs: 10, maxDelayMs: 50, jitter: 0 }, ...client });
}

async function upload(key: FixtureKey): Promise<string> {
  const { filename, bytes } = fixtureJar(key);
  return (await cluster.uploadJar(Readable.from([Buffer.from(bytes)]), { filename })).jarId;
}

const fastWait = { pollIntervalMs: 10, maxPollIntervalMs: 20, timeoutMs: 10_000 };

afterEach(async () => {
  if (sim && !sim.closed) assertSimulatorBodiesStrict(sim);
  await cluster?.close();
  await sim?.close();
});

describe('request faults', () => {
  it('answers 503 leader election, which the SDK retries', async () => {
    await start();
    const retries: number[] = [];
    cluster.on('retry', (e) => retries.push(e.attempt));
    const fault = sim.faults.leaderElection({ path: '/overview', times: 2 });
    const overview = await cluster.overview();
    expect(overview['flink-version']).toBe('2.3.0');
    expect(fault.hits).toBe(2);
    expect(fault.active).toBe(false);
    expect(retries).toEqual([2, 3]);
    const [first] = sim.requests;
    expect(first).toMatchObject({ status: 503, fault: 'leader-election', responseBody: { errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] } });
  });

  it('answers 500 with Flink\'s internal-error body, which the SDK does not retry', async () => {
    await start();
    sim.faults.error(500, { path: '/jobs/overview', times: 1 });
    const err = await cluster.listJobs().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkServerError);
    expect((err as FlinkServerError).status).toBe(500);
    expect(firstLines({ errors: (err as FlinkServerError).errors })).toEqual(['Internal server error.', '<Exception on server side:']);
    expect(sim.requests).toHaveLength(1);
    await expect(cluster.listJobs()).resolves.toEqual([]);
  });

  it('resets connections: retried for reads, surfaced as FlinkConnectionError when it persists', async () => {
    await start();
    sim.faults.reset({ path: '/config', times: 1 });
    await expect(cluster.config()).resolves.toMatchObject({ 'flink-version': '2.3.0' });
    const persistent = sim.faults.reset({ path: '/overview' });
    const err = await cluster.overview({ maxRetries: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkConnectionError);
    expect(persistent.hits).toBe(3);
    persistent.remove();
    await expect(cluster.overview()).resolves.toBeDefined();
  });

  it('a savepoint trigger whose answer is lost is retried with its trigger id: one savepoint', async () => {
    await start();
    const job = await cluster.runJar(await upload('streaming'));
    await job.waitFor('RUNNING', fastWait);
    sim.faults.reset({ method: 'POST', path: '/jobs/:jobid/savepoints', afterProcessing: true, times: 1 });
    const op = await job.triggerSavepoint();
    const location = await op.result(fastWait);
    expect(sim.operations.find(op.triggerId)?.triggerCount).toBe(2);
    expect(sim.savepoints.list().map((s) => s.path)).toEqual([location]);
  });

  it('cuts bodies mid-way (truncate) and garbles them (malformed JSON)', async () => {
    await start();
    sim.faults.truncate({ path: '/overview', times: 1 });
    await expect(cluster.overview()).resolves.toBeDefined();
    expect(sim.requests.map((r) => r.fault)).toEqual(['truncate', undefined]);
    sim.faults.truncate({ path: '/taskmanagers' });
    await expect(cluster.listTaskManagers({ maxRetries: 1 })).rejects.toBeInstanceOf(FlinkConnectionError);
    sim.faults.malformedJson({ path: '/jobmanager/config', times: 1 });
    const err = await cluster.jobManagerConfig().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkValidationError);
  });

  it('delays answers (per-route latency) past the SDK\'s attempt timeout', async () => {
    await start();
    // A latency far beyond every timeout below: which call times out shows which route is slowed.
    sim.faults.latency(600_000, { path: '/jobs/overview' });
    const err = await cluster.listJobs({ timeoutMs: 50, maxRetries: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlinkTimeoutError);
    // Other routes are not slowed (an answer within this guard is one without the latency).
    await expect(cluster.overview({ timeoutMs: 30_000, maxRetries: 0 })).resolves.toMatchObject({ taskmanagers: 1 });
  });

  it('matches faults by method, path template, skip and times', async () => {
    await start();
    const fault = sim.faults.error(503, { method: 'GET', path: '/jobs/:jobid/status', skip: 1, times: 1, errors: ['custom'] });
    const plain = async (path: string): Promise<number> => (await fetch(`${sim.url}${path}`)).status;
    // (Flink answers the status of an unknown job with 500.)
    expect(await plain('/v1/jobs/0123456789abcdef0123456789abcdef/status')).toBe(500); // skipped
    expect(await plain('/jobs/0123456789abcdef0123456789abcdef/status')).toBe(503); // hit (unprefixed too)
    expect(await plain('/v1/jobs/0123456789abcdef0123456789abcdef/status')).toBe(500); // used up
    expect(fault.hits).toBe(1);
  });
});

describe('JobManager restart', () => {
  it('refuses connections while down, then recovers running jobs (keepState) from their latest checkpoint', async () => {
    await start({ timing: { jarRunMs: 5, initializingMs: 5, createdMs: 5, deployMs: 10, checkpointMs: 5, savepointMs: 1_000 } }, { maxRetries: 10, retry: { initialDelayMs: 50, maxDelayMs: 100, jitter: 0 } });
    const job = await cluster.runJar(await upload('streaming'), { args: ['--checkpoint-interval', '50'] });
    // Recovery restores the latest completed checkpoint: wait for one.
    await vi.waitFor(async () => expect((await job.checkpoints()).counts.completed).toBeGreaterThan(0), { timeout: 10_000 });
    const savepoint = await job.triggerSavepoint();
    const afterCrash: string[] = [];
    sim.on('jobStatus', (e) => {
      if (e.jobId === job.jobId) afterCrash.push(e.status);
    });
    const restarted = sim.faults.restartJobManager({ downMs: 300, keepState: true });
    expect(sim.faults.jobManagerDown).toBe(true);
    const refused = await fetch(`${sim.url}/v1/overview`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect(String(((refused as TypeError).cause as { code?: string })?.code)).toBe('ECONNREFUSED');
    // The SDK retries connection failures until the JobManager is back.
    const overview = await cluster.overview();
    expect(overview.taskmanagers).toBe(1);
    await restarted;
    expect(sim.faults.jobManagerDown).toBe(false);
    expect(await job.waitFor('RUNNING', fastWait)).toBe('RUNNING');
    const simJob = sim.jobs.get(job.jobId);
    expect(simJob.restoredFrom).toMatch(/\/chk-\d+$/);
    // Recovered: it went through INITIALIZING again when the JobManager came back.
    expect(afterCrash.slice(0, 1)).toEqual(['INITIALIZING']);
    expect(afterCrash).toContain('RUNNING');
    // Operation results lived in the old JobManager's memory.
    await expect(savepoint.status()).rejects.toBeInstanceOf(OperationNotFoundError);
  });

  it('keeps a job that a test ended while the JobManager was away in that terminal state', async () => {
    await start({}, { maxRetries: 10, retry: { initialDelayMs: 50, maxDelayMs: 100, jitter: 0 } });
    const job = await cluster.runJar(await upload('streaming'));
    await job.waitFor('RUNNING', fastWait);
    const restarted = sim.faults.restartJobManager({ downMs: 200, keepState: true });
    sim.jobs.get(job.jobId).cancel();
    await restarted;
    expect(await job.status()).toBe('CANCELED');
  });

  it('comes back empty without keepState (savepoints survive: they are files)', async () => {
    await start({}, { maxRetries: 10, retry: { initialDelayMs: 50, maxDelayMs: 100, jitter: 0 } });
    const jarId = await upload('streaming');
    const job = await cluster.runJar(jarId);
    await job.waitFor('RUNNING', fastWait);
    // A savepoint needs every task running, not only the job.
    await vi.waitFor(async () => {
      const d = await job.describe();
      expect(d['status-counts']?.RUNNING).toBe(d.vertices.length);
    });
    const location = await (await job.triggerSavepoint()).result(fastWait);
    await sim.faults.restartJobManager({ downMs: 100, keepState: false });
    await expect(job.status()).rejects.toBeInstanceOf(JobNotFoundError);
    expect((await cluster.listJars())).toEqual([]);
    expect(sim.savepoints.has(location)).toBe(true);
    const restored = await cluster.runJar(await upload('streaming'), { savepointPath: location });
    expect(sim.jobs.get(restored.jobId).restoredFrom).toBe(location);
  });

  it('can reset connections instead, and answer 503 during a leader election afterwards', async () => {
    await start();
    // The election window is measured on Date: fake only Date (timers and sockets stay real), so
    // the window is open until the test moves the date past it.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // The JobManager is down (connections reset) from the call on, synchronously; downMs only
      // has to outlast one local fetch.
      const restarted = sim.faults.restartJobManager({ downMs: 1_000, mode: 'reset', leaderElectionMs: 60_000 });
      const reset = await fetch(`${sim.url}/v1/overview`).catch((e: unknown) => e);
      expect(reset).toBeInstanceOf(TypeError);
      await restarted;
      const during = await fetch(`${sim.url}/v1/overview`);
      expect(during.status).toBe(503);
      expect(await during.json()).toEqual({ errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] });
      vi.setSystemTime(Date.now() + 60_000);
      expect((await fetch(`${sim.url}/v1/overview`)).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
    await expect(sim.faults.restartJobManager({ downMs: 10 })).resolves.toBeUndefined();
  });

  it('refuses a second restart while down', async () => {
    await start();
    const first = sim.faults.restartJobManager({ downMs: 50 });
    await expect(sim.faults.restartJobManager()).rejects.toThrow(/already down/);
    await first;
  });

  it('shuts the cluster down on DELETE /cluster', async () => {
    await start();
    await cluster.shutDownCluster();
    // The cluster goes away just after answering.
    await vi.waitFor(() => expect(cluster.overview({ maxRetries: 0 })).rejects.toBeInstanceOf(FlinkConnectionError), { timeout: 10_000 });
  });
});

import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ApplicationFailedError, ApplicationNotFoundError, ClusterClient, FlinkBadRequestError, FlinkConflictError, UnsupportedFeatureError } from 'flink-client';
import { createFlinkSimulator, type FixtureKey, fixtureJar, fixturePrograms, type FlinkSimulator, type SimulatorFlinkVersion } from 'flink-client/testing';
import { assertSimulatorBodiesStrict } from './support/wire.js';

// The SDK's ApplicationClient (FLIP-549) against the simulator's 2.3 applications, and its
// emulated view on the 1.20 profile.

let sim: FlinkSimulator;
let cluster: ClusterClient;

async function start(flinkVersion: SimulatorFlinkVersion): Promise<void> {
  sim = await createFlinkSimulator({ flinkVersion, timing: 'fast', programs: fixturePrograms });
  cluster = new ClusterClient({ url: sim.url, validation: 'strict', retry: { initialDelayMs: 5, maxDelayMs: 20 } });
}

async function upload(key: FixtureKey): Promise<string> {
  const { filename, bytes } = fixtureJar(key);
  return (await cluster.uploadJar(Readable.from([Buffer.from(bytes)]), { filename })).jarId;
}

const wait = { pollIntervalMs: 10, maxPollIntervalMs: 20, timeoutMs: 10_000 };

afterEach(async () => {
  if (sim && !sim.closed) assertSimulatorBodiesStrict(sim);
  await cluster?.close();
  await sim?.close();
});

describe('ApplicationClient on 2.3.0', () => {
  it('runs an application to FINISHED and lists its jobs', async () => {
    await start('2.3.0');
    const app = await cluster.runApplication(await upload('twoJobs'));
    const final = await app.result(wait);
    expect(final.status).toBe('FINISHED');
    expect(final.jobs.map((j) => j.name).sort()).toEqual(['flink-client-fixture-two-jobs-1', 'flink-client-fixture-two-jobs-2']);
    expect(final.emulated).toBe(false);
    expect((await cluster.listApplications()).map((a) => a.applicationId)).toContain(app.applicationId);
    // Submitting the same application id again is Flink's 400 DuplicateApplicationSubmissionException.
    const again = await cluster.runApplication(await upload('twoJobs'), { applicationId: app.applicationId }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(FlinkBadRequestError);
  });

  it('reports a failing main() as ApplicationFailedError with its exception', async () => {
    await start('2.3.0');
    const app = await cluster.runApplication(await upload('throwing'));
    const err = await app.result(wait).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailedError);
    expect((err as ApplicationFailedError).status).toBe('FAILED');
    expect((err as ApplicationFailedError).rootCause).toEqual({ className: 'java.lang.IllegalArgumentException', message: 'flink-client fixture: main() threw before submitting a job' });
  });

  it('cancels: 202 while running, again fine once CANCELED, conflict once FINISHED, not found when unknown', async () => {
    await start('2.3.0');
    const app = await cluster.runApplication(await upload('streaming'));
    await app.waitFor('RUNNING', wait);
    await app.cancel();
    expect(await app.waitFor('CANCELED', wait)).toBe('CANCELED');
    await expect(app.cancel()).resolves.toBeUndefined();
    const done = await cluster.runApplication(await upload('noExecute'));
    await done.result(wait);
    await expect(done.cancel()).rejects.toBeInstanceOf(FlinkConflictError);
    await expect(cluster.application('0123456789abcdef0123456789abcdef').status()).rejects.toBeInstanceOf(ApplicationNotFoundError);
    await expect(cluster.application('0123456789abcdef0123456789abcdef').cancel()).rejects.toBeInstanceOf(ApplicationNotFoundError);
  });
});

describe('ApplicationClient on 1.20.5', () => {
  it('refuses runApplication before sending it, and emulates single-job applications', async () => {
    await start('1.20.5');
    await expect(cluster.runApplication(await upload('bounded'))).rejects.toBeInstanceOf(UnsupportedFeatureError);
    expect(sim.requests.some((r) => r.path.endsWith('/run-application'))).toBe(false);
    const job = await cluster.runJar(await upload('bounded'));
    const final = await cluster.application(job.jobId).result(wait);
    expect(final).toMatchObject({ status: 'FINISHED', emulated: true });
  });
});

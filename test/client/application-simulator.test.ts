import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ApplicationClient,
  ApplicationFailedError,
  ClusterClient,
  FlinkConflictError,
  FlinkTimeoutError,
  UnreachableStateError,
} from 'flink-client';
import {
  createFlinkSimulator,
  type FixtureKey,
  fixtureJar,
  fixturePrograms,
  type FlinkSimulator,
  type ProgramSource,
  REALISTIC_TIMING,
  type SimulatorFlinkVersion,
  type SimulatorRequest,
} from 'flink-client/testing';
import { hexId } from '../support/ids.js';

// ApplicationClient flows that depend on cluster state — run-application, result, waitFor,
// cancel, and the emulated single-job view before 2.3 — against the Flink simulator on a virtual
// clock (test/contract checks the simulator against real Flink). Exact wire mappings of recorded
// bodies (the 500 for an unknown application, the duplicate-submission body, ...) stay in
// application-client.test.ts.

let sim: FlinkSimulator;
let cluster: ClusterClient;

async function start(flinkVersion: SimulatorFlinkVersion = '2.3.0'): Promise<void> {
  sim = await createFlinkSimulator({ flinkVersion, clock: 'virtual', programs: fixturePrograms });
  cluster = new ClusterClient({ url: sim.url, validation: 'strict', retry: { initialDelayMs: 5, maxDelayMs: 20 } });
}

async function upload(key: FixtureKey): Promise<string> {
  const { filename, bytes } = fixtureJar(key);
  return (await cluster.uploadJar(Readable.from([Buffer.from(bytes)]), { filename })).jarId;
}

/** A jar whose main() is the given program. */
function jarRunning(mainClass: string, program: ProgramSource): string {
  return sim.jars.add({ name: `${mainClass.split('.').pop()}.jar`, mainClass, program }).id;
}

/** Resolves with the next request the simulator answers on `route`. */
function answered(route: string): Promise<SimulatorRequest> {
  return new Promise((resolve) => {
    const listener = (r: SimulatorRequest): void => {
      if (r.route !== route) return;
      sim.off('request', listener);
      resolve(r);
    };
    sim.on('request', listener);
  });
}

/** Runs an application of the streaming fixture and lets its job come up. */
async function runningStreamingApplication(): Promise<ApplicationClient> {
  const app = await cluster.runApplication(await upload('streaming'));
  sim.clock.advance(1_000);
  return app;
}

const poll = { pollIntervalMs: 5, maxPollIntervalMs: 10 };
const TERMINATE = 'execution.terminate-application-on-any-job-terminated-exceptionally';

afterEach(async () => {
  await cluster?.close();
  await sim?.close();
});

describe('applications on the simulator (Flink 2.3)', () => {
  it('runApplication sends its application id, entry class, arguments and configuration', async () => {
    await start();
    // A main() whose jobs depend on its arguments.
    sim.programs.register('com.example.Pipeline', (ctx) => ({ jobs: [{ name: `load-${ctx.arg('day')}`, durationMs: 100 }] }));
    const jarId = jarRunning('com.example.Other', { jobs: [{ name: 'other' }] });
    const applicationId = hexId();
    const app = await cluster.runApplication(jarId, { entryClass: 'com.example.Pipeline', args: ['--day', '2026-11-21'], configuration: { [TERMINATE]: 'false' }, applicationId });
    expect(app.applicationId).toBe(applicationId);
    sim.clock.advance(10);
    const d = await app.describe();
    expect(d).toMatchObject({ applicationId, name: 'com.example.Pipeline', emulated: false });
    expect(d.jobs.map((j) => j.name)).toEqual(['load-2026-11-21']);
    expect((await app.jobs()).map((j) => j.jobId)).toEqual(d.jobs.map((j) => j.jid));
    expect(sim.requests.find((r) => r.route === '/jars/:jarid/run-application')?.requestBody).toMatchObject({
      entryClass: 'com.example.Pipeline',
      programArgsList: ['--day', '2026-11-21'],
      flinkConfiguration: { [TERMINATE]: 'false' },
      applicationId,
    });
  });

  it('result() polls while the application runs, then resolves FINISHED with its final jobs', async () => {
    await start();
    const app = await cluster.runApplication(await upload('twoJobs'));
    // (On the virtual clock the application is CREATED until its start moment passes.)
    const result = app.result(poll);
    await answered('/applications/:applicationid');
    sim.clock.advance(REALISTIC_TIMING.applicationStartMs);
    expect(await app.status()).toBe('RUNNING');
    sim.clock.advance(REALISTIC_TIMING.applicationPollMs + 1_000);
    const final = await result;
    expect(final.status).toBe('FINISHED');
    expect(final.jobs.map((j) => [j.name, j.state]).sort()).toEqual([
      ['flink-client-fixture-two-jobs-1', 'FINISHED'],
      ['flink-client-fixture-two-jobs-2', 'FINISHED'],
    ]);
    expect(final.timestamps.RUNNING).toBeLessThanOrEqual(final.timestamps.FINISHED as number);
    expect(final.endTime).toBe(final.timestamps.FINISHED);
    expect((await cluster.listApplications()).find((a) => a.applicationId === app.applicationId)).toMatchObject({ status: 'FINISHED', jobCounts: { FINISHED: 2 } });
  });

  it('result() rejects with ApplicationFailedError carrying the exception main() threw', async () => {
    await start();
    const jarId = jarRunning('com.example.Strict', { throwBefore: { className: 'java.lang.IllegalStateException', message: 'no input for 2026-11-21' } });
    const app = await cluster.runApplication(jarId);
    const result = app.result(poll).catch((e: unknown) => e);
    sim.clock.advance(100);
    const err = await result;
    expect(err).toBeInstanceOf(ApplicationFailedError);
    expect(err).toMatchObject({ applicationId: app.applicationId, status: 'FAILED', rootCause: { className: 'java.lang.IllegalStateException', message: 'no input for 2026-11-21' } });
    const history = await app.exceptions();
    expect(history.exceptionHistory.entries[0]?.stacktrace).toContain('Caused by: java.lang.IllegalStateException: no input for 2026-11-21');
    expect(history.exceptionHistory.entries[0]?.jobId).toBeUndefined();
  });

  it('a failing job fails the application, unless terminate-on-any-job-failure is false (then it FINISHES and cancels the job)', async () => {
    await start();
    const jarId = await upload('failing');
    const failing = await cluster.runApplication(jarId);
    const decoupled = await cluster.runApplication(jarId, { configuration: { [TERMINATE]: 'false' } });
    const results = Promise.all([failing.result(poll).catch((e: unknown) => e), decoupled.result(poll)]);
    sim.clock.advance(REALISTIC_TIMING.applicationPollMs + 1_000);
    const [err, final] = await results;
    expect(err).toBeInstanceOf(ApplicationFailedError);
    expect(err).toMatchObject({ status: 'FAILED', rootCause: { className: 'java.lang.IllegalStateException', message: 'flink-client fixture failure' } });
    expect((await failing.exceptions()).exceptionHistory.entries[0]?.jobId).toBe((await failing.jobs())[0]?.jobId);
    expect(final.status).toBe('FINISHED');
    expect(final.jobs.map((j) => j.state)).toEqual(['CANCELED']);
  });

  it('waitFor() fails fast on an unreachable state, and times out with the last state seen', async () => {
    await start();
    const throwing = await cluster.runApplication(await upload('throwing'));
    const waiting = throwing.waitFor('FINISHED', poll).catch((e: unknown) => e);
    sim.clock.advance(100);
    const err = await waiting;
    expect(err).toBeInstanceOf(UnreachableStateError);
    expect(err).toMatchObject({ state: 'FAILED', id: throwing.applicationId });
    const running = await runningStreamingApplication();
    // The deadline leaves the first poll ample time on a loaded machine: lastValue is what it read.
    const timeout = await running.waitFor('CANCELED', { timeoutMs: 1_500, pollIntervalMs: 20 }).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(FlinkTimeoutError);
    expect((timeout as FlinkTimeoutError).lastValue).toBe('RUNNING');
  });

  describe('cancel()', () => {
    it('cancels a running application: CANCELING, then CANCELED with its job; cancelling it again is accepted', async () => {
      await start();
      const app = await runningStreamingApplication();
      const [job] = await app.jobs();
      expect(await job?.status()).toBe('RUNNING');
      await app.cancel();
      expect(await app.status()).toBe('CANCELING');
      sim.clock.advance(REALISTIC_TIMING.applicationPollMs + 1_000);
      expect(await app.status()).toBe('CANCELED');
      expect(await job?.status()).toBe('CANCELED');
      // Flink 2.3 answers 404 for a CANCELED application; the SDK looks it up and is done.
      await expect(app.cancel()).resolves.toBeUndefined();
      expect(sim.requests.filter((r) => r.route === '/applications/:applicationid/cancel').map((r) => r.status)).toEqual([202, 404]);
      await expect(app.result(poll)).rejects.toMatchObject({ code: 'FLINK_APPLICATION_FAILED', status: 'CANCELED' });
    });

    it('a FINISHED or FAILED application gives FlinkConflictError naming the state', async () => {
      await start();
      const finished = await cluster.runApplication(await upload('noExecute'));
      const failed = await cluster.runApplication(await upload('throwing'));
      sim.clock.advance(100);
      for (const [app, state] of [
        [finished, 'FINISHED'],
        [failed, 'FAILED'],
      ] as const) {
        const err = await app.cancel().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(FlinkConflictError);
        expect((err as FlinkConflictError).message).toContain(`already reached terminal state ${state}`);
      }
    });
  });
});

describe('the emulated single-job applications on the simulator (Flink 1.20)', () => {
  it('a job is its own application: status, describe, jobs, cancel, result', async () => {
    await start('1.20.5');
    const job = await cluster.runJar(await upload('streaming'));
    sim.clock.advance(1_000);
    const app = cluster.application(job.jobId);
    expect(await app.status()).toBe('RUNNING');
    const d = await app.describe();
    expect(d).toMatchObject({ applicationId: job.jobId, status: 'RUNNING', emulated: true, name: 'flink-client-fixture-streaming-counter' });
    expect(d.jobs.map((j) => [j.jid, j.state])).toEqual([[job.jobId, 'RUNNING']]);
    expect(d.jobs[0]?.tasks.total).toBeGreaterThan(0);
    expect(d.timestamps.RUNNING).toBe(sim.jobs.get(job.jobId).timestamps.RUNNING);
    expect((await app.jobs()).map((j) => j.jobId)).toEqual([job.jobId]);
    await app.cancel();
    expect(await app.status()).toBe('CANCELING');
    sim.clock.advance(1_000);
    expect(await app.status()).toBe('CANCELED');
    expect(await job.status()).toBe('CANCELED');
    await expect(app.result(poll)).rejects.toMatchObject({ code: 'FLINK_APPLICATION_FAILED', status: 'CANCELED' });
  });

  it('result() of a failed job rejects with ApplicationFailedError naming the exception the job threw', async () => {
    await start('1.20.5');
    const jarId = jarRunning('com.example.Etl', { jobs: [{ name: 'etl', fail: { exception: { className: 'java.io.IOException', message: 'disk full' } } }] });
    const job = await cluster.runJar(jarId);
    const result = cluster.application(job.jobId).result(poll).catch((e: unknown) => e);
    sim.clock.advance(1_000);
    const err = await result;
    expect(err).toBeInstanceOf(ApplicationFailedError);
    expect(err).toMatchObject({ applicationId: job.jobId, status: 'FAILED', rootCause: { className: 'java.io.IOException', message: 'disk full' } });
  });
});

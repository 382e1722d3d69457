import { afterEach, describe, expect, it } from 'vitest';
import { buildJar, createFlinkSimulator, fixtureJar, fixturePrograms, type FlinkSimulator, uploadJarBytes } from 'flink-client/testing';
import { assertSimulatorBodiesStrict, keyPaths, recording } from './support/wire.js';

// FLIP-549 applications (Flink 2.3 profile) through plain fetch, following the state sequences
// and bodies recorded on a real 2.3.0 cluster (FINDINGS.md, "Applications").

let sim: FlinkSimulator;

afterEach(async () => {
  if (sim && !sim.closed) assertSimulatorBodiesStrict(sim);
  await sim?.close();
});

async function start(): Promise<void> {
  sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms });
}

async function get<T = Record<string, unknown>>(path: string): Promise<T> {
  const res = await fetch(`${sim.url}${path}`);
  return (await res.json()) as T;
}

async function post(path: string, body: unknown = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function runApplication(key: Parameters<typeof fixtureJar>[0], body: unknown = {}): Promise<string> {
  const jar = fixtureJar(key);
  const jarId = await uploadJarBytes(sim.url, jar.filename, jar.bytes);
  const res = await post(`/v1/jars/${jarId}/run-application`, body);
  expect(res.status).toBe(202);
  return res.body.applicationid as string;
}

interface AppDetails {
  id: string;
  name: string;
  status: string;
  'start-time': number;
  'end-time': number;
  duration: number;
  timestamps: Record<string, number>;
  jobs: Array<{ jid: string; name: string; state: string }>;
}

const app = (id: string): Promise<AppDetails> => get<AppDetails>(`/v1/applications/${id}`);

/** Advances the clock in steps and records each state the application is seen in. */
async function trace(id: string, totalMs: number, stepMs = 5): Promise<Array<{ state: string; atMs: number }>> {
  const seen: Array<{ state: string; atMs: number }> = [];
  for (let t = 0; t <= totalMs; t += stepMs) {
    const { status } = await app(id);
    if (seen.at(-1)?.state !== status) seen.push({ state: status, atMs: t });
    sim.clock.advance(stepMs);
  }
  return seen;
}

describe('applications (2.3.0)', () => {
  it('TwoJobsMain: RUNNING, then FINISHED ~2 s after its last job, with the recorded body shape', async () => {
    await start();
    const id = await runApplication('twoJobs');
    const states = await trace(id, 3_000, 25);
    expect(states.map((s) => s.state)).toEqual(['CREATED', 'RUNNING', 'FINISHED']);
    const finishedAt = states[2]?.atMs ?? 0;
    expect(finishedAt).toBeGreaterThan(2_000);
    expect(finishedAt).toBeLessThan(2_600);
    const details = await app(id);
    expect(keyPaths(details)).toEqual(keyPaths(recording('2.3.0', 'application-finished-two-jobs').body));
    expect(details.name).toBe('flinkclient.fixtures.TwoJobsMain');
    expect(details.jobs.map((j) => [j.name, j.state])).toEqual([
      ['flink-client-fixture-two-jobs-2', 'FINISHED'],
      ['flink-client-fixture-two-jobs-1', 'FINISHED'],
    ]);
    // Never-reached states are 0; the detail's start-time is the RUNNING time, the overview's the CREATED time.
    expect(details.timestamps).toMatchObject({ FAILING: 0, FAILED: 0, CANCELING: 0, CANCELED: 0 });
    expect(details['start-time']).toBe(details.timestamps.RUNNING);
    const overview = await get<{ applications: Array<{ id: string; 'start-time': number; jobs: Record<string, number> }> }>('/v1/applications/overview');
    expect(overview.applications[0]).toMatchObject({ id, 'start-time': details.timestamps.CREATED, jobs: { FINISHED: 2 } });
    expect(details.timestamps.RUNNING).toBeGreaterThan(details.timestamps.CREATED ?? 0);
    // Jobs carry their application's id.
    const job = details.jobs[0];
    expect((await get(`/v1/jobs/${job?.jid}`))['application-id']).toBe(id);
    expect(((await get(`/v1/jobs/${job?.jid}/execution-result`))['job-execution-result'] as Record<string, unknown>)['application-id']).toBe(id);
    expect(await get(`/v1/applications/${id}/exceptions`)).toEqual({ exceptionHistory: { entries: [] } });
    expect(await get(`/v1/applications/${id}/jobmanager/config`)).toEqual(expect.arrayContaining([{ key: 'taskmanager.numberOfTaskSlots', value: '2' }]));
  });

  it('ThrowingMain: FAILING then FAILED within milliseconds, with an ApplicationExecutionException entry', async () => {
    await start();
    const id = await runApplication('throwing');
    const states = await trace(id, 50, 1);
    expect(states.map((s) => s.state)).toEqual(['CREATED', 'FAILING', 'FAILED']);
    expect(states[2]?.atMs).toBeLessThan(20);
    const details = await app(id);
    expect(details.jobs).toEqual([]);
    expect(keyPaths(details)).toEqual(keyPaths(recording('2.3.0', 'application-failed-throwing').body));
    const exceptions = await get<{ exceptionHistory: { entries: Array<Record<string, unknown>> } }>(`/v1/applications/${id}/exceptions`);
    const [entry] = exceptions.exceptionHistory.entries;
    expect(entry?.exceptionName).toBe('org.apache.flink.client.deployment.application.ApplicationExecutionException');
    expect(entry?.jobId).toBeUndefined();
    expect(String(entry?.stacktrace)).toContain('Caused by: java.lang.IllegalArgumentException: flink-client fixture: main() threw before submitting a job');
    expect(keyPaths(exceptions)).toEqual(keyPaths(recording('2.3.0', 'application-exceptions-throwing').body));
    // A failed application cannot be cancelled: 404.
    expect((await post(`/v1/applications/${id}/cancel`)).status).toBe(404);
  });

  it('NoExecuteMain: FINISHED without jobs (as real 2.3.0 does)', async () => {
    await start();
    const id = await runApplication('noExecute');
    sim.clock.advance(20);
    const details = await app(id);
    expect(details.status).toBe('FINISHED');
    expect(details.jobs).toEqual([]);
  });

  it('FailingJob, terminate-on-any-job-terminated-exceptionally=true: the application FAILS ~2 s after the job', async () => {
    await start();
    const id = await runApplication('failing', { flinkConfiguration: { 'execution.terminate-application-on-any-job-terminated-exceptionally': 'true' } });
    sim.clock.advance(1_000);
    let details = await app(id);
    expect(details.status).toBe('RUNNING');
    expect(details.jobs[0]?.state).toBe('FAILED');
    sim.clock.advance(2_000);
    details = await app(id);
    expect(details.status).toBe('FAILED');
    expect(details.timestamps.FAILING).toBe(details.timestamps.FAILED);
    const exceptions = await get<{ exceptionHistory: { entries: Array<Record<string, unknown>> } }>(`/v1/applications/${id}/exceptions`);
    expect(exceptions.exceptionHistory.entries[0]).toMatchObject({ exceptionName: 'org.apache.flink.runtime.client.JobExecutionException', jobId: details.jobs[0]?.jid });
    expect(keyPaths(exceptions)).toEqual(keyPaths(recording('2.3.0', 'application-exceptions-failing-job-terminate-true').body));
  });

  it('FailingJob, flag false: main() returns, the application FINISHES and cancels its job', async () => {
    await start();
    const id = await runApplication('failing', { flinkConfiguration: { 'execution.terminate-application-on-any-job-terminated-exceptionally': 'false' } });
    const states = await trace(id, 300, 5);
    expect(states.map((s) => s.state)).toEqual(['CREATED', 'RUNNING', 'FINISHED']);
    expect(states[2]?.atMs).toBeLessThan(150);
    const details = await app(id);
    expect(details.jobs[0]?.state).toBe('CANCELED');
    expect(await get(`/v1/applications/${id}/exceptions`)).toEqual({ exceptionHistory: { entries: [] } });
  });

  it('cancelling a running application: CANCELING at once, CANCELED ~2 s later; its job is cancelled', async () => {
    await start();
    const id = await runApplication('streaming');
    sim.clock.advance(300);
    expect((await app(id)).jobs[0]?.state).toBe('RUNNING');
    expect(await post(`/v1/applications/${id}/cancel`)).toEqual({ status: 202, body: {} });
    expect((await app(id)).status).toBe('CANCELING');
    sim.clock.advance(200);
    expect((await app(id)).jobs[0]?.state).toBe('CANCELED');
    expect((await app(id)).status).toBe('CANCELING');
    sim.clock.advance(2_000);
    const details = await app(id);
    expect(details.status).toBe('CANCELED');
    expect(keyPaths(details)).toEqual(keyPaths(recording('2.3.0', 'application-canceled').body));
    // Cancelling it again is 404 "Application could not be found." on real 2.3.0.
    const again = await post(`/v1/applications/${id}/cancel`);
    expect(again.status).toBe(404);
    expect(String((again.body.errors as string[])[0]).split('\n')[0]).toBe('org.apache.flink.runtime.rest.handler.RestHandlerException: Application could not be found.');
  });

  it.each([
    ['true', 'CANCELED'],
    ['false', 'FINISHED'],
  ])('a job cancelled through the job API, flag %s → application %s', async (flag, outcome) => {
    await start();
    const id = await runApplication('streaming', { flinkConfiguration: { 'execution.terminate-application-on-any-job-terminated-exceptionally': flag }, programArgsList: ['--rate', '10'] });
    sim.clock.advance(30);
    const [job] = (await app(id)).jobs;
    const res = await fetch(`${sim.url}/v1/jobs/${job?.jid}?mode=cancel`, { method: 'PATCH' });
    expect(res.status).toBe(202);
    sim.clock.advance(200);
    expect((await app(id)).status).toBe(outcome);
  });

  it('a client-chosen application id is used; sequence-mode programs run their jobs one after another', async () => {
    await start();
    sim.programs.register('com.example.Pipeline', {
      jobs: [
        { name: 'extract', durationMs: 1_000 },
        { name: 'load', durationMs: 500 },
      ],
      mode: 'sequence',
    });
    const jarId = await uploadJarBytes(sim.url, 'pipeline.jar', buildJar({ mainClass: 'com.example.Pipeline' }));
    const appId = 'ffffffffffffffffffffffffffffffff';
    expect((await post(`/v1/jars/${jarId}/run-application`, { applicationId: appId })).body).toEqual({ applicationid: appId });
    sim.clock.advance(500);
    expect((await app(appId)).jobs.map((j) => [j.name, j.state])).toEqual([['extract', 'RUNNING']]);
    sim.clock.advance(1_000);
    expect((await app(appId)).jobs.map((j) => [j.name, j.state])).toEqual([
      ['load', 'RUNNING'],
      ['extract', 'FINISHED'],
    ]);
    sim.clock.advance(3_000);
    expect((await app(appId)).status).toBe('FINISHED');
    expect(sim.applications.get(appId).jobIds).toHaveLength(2);
  });

  it('an attached execute() whose job fails makes main() throw: the application FAILS and skips the rest', async () => {
    await start();
    sim.programs.register('com.example.Steps', {
      jobs: [
        { name: 'first', fail: { afterMs: 100 } },
        { name: 'never', durationMs: 100 },
      ],
      mode: 'sequence',
    });
    const jarId = await uploadJarBytes(sim.url, 'steps.jar', buildJar({ mainClass: 'com.example.Steps' }));
    const id = (await post(`/v1/jars/${jarId}/run-application`)).body.applicationid as string;
    sim.clock.advance(5_000);
    const details = await app(id);
    expect(details.status).toBe('FAILED');
    expect(details.jobs.map((j) => [j.name, j.state])).toEqual([['first', 'FAILED']]);
    const { exceptionHistory } = await get<{ exceptionHistory: { entries: Array<{ exceptionName: string; stacktrace: string }> } }>(`/v1/applications/${id}/exceptions`);
    expect(exceptionHistory.entries).toHaveLength(1);
    expect(exceptionHistory.entries[0]?.exceptionName).toBe('org.apache.flink.client.deployment.application.ApplicationExecutionException');
    expect(exceptionHistory.entries[0]?.stacktrace).toContain('Caused by: org.apache.flink.runtime.client.JobExecutionException: Job execution failed.');
  });

  it('wraps every /jars/:id/run job in a single-job application whose id is the job id', async () => {
    await start();
    const jar = fixtureJar('streaming');
    const jarId = await uploadJarBytes(sim.url, jar.filename, jar.bytes);
    const run = await post(`/v1/jars/${jarId}/run`);
    expect(run.body).toEqual({ jobid: run.body.jobid, applicationId: run.body.jobid });
    const id = run.body.jobid as string;
    sim.clock.advance(300);
    const details = await app(id);
    expect(details).toMatchObject({ id, name: 'SingleJobApplication(flink-client-fixture-streaming-counter)', status: 'RUNNING' });
    expect(keyPaths(details)).toEqual(keyPaths(recording('2.3.0', 'application-of-jars-run-job').body));
    // Cancelling the application cancels the job; the application follows it.
    expect((await post(`/v1/applications/${id}/cancel`)).status).toBe(202);
    sim.clock.advance(200);
    expect(await get(`/v1/jobs/${id}/status`)).toEqual({ status: 'CANCELED' });
    expect((await app(id)).status).toBe('CANCELED');
    expect(sim.applications.get(id).singleJob).toBe(true);
  });

  it('drives applications from the test as well (sim.applications)', async () => {
    await start();
    const id = await runApplication('twoJobs');
    const application = await sim.applications.waitFor({ status: 'CREATED' });
    expect(application.id).toBe(id);
    sim.clock.advance(10);
    application.cancel();
    const done = application.waitForStatus(['CANCELED', 'FAILED', 'FINISHED']);
    sim.clock.advance(5_000);
    expect(await done).toBe('CANCELED');
    expect(sim.applications.list({ status: 'CANCELED' }).map((a) => a.id)).toEqual([id]);
  });
});

describe('applications on 1.20.5', () => {
  it('has none: jobs carry no application id and run-application does not exist', async () => {
    sim = await createFlinkSimulator({ clock: 'virtual', flinkVersion: '1.20.5', programs: fixturePrograms });
    const jar = fixtureJar('bounded');
    const jarId = await uploadJarBytes(sim.url, jar.filename, jar.bytes);
    const run = await post(`/v1/jars/${jarId}/run`);
    expect(Object.keys(run.body)).toEqual(['jobid']);
    sim.clock.advance(1_000);
    const details = await get(`/v1/jobs/${run.body.jobid as string}`);
    expect(details['application-id']).toBeUndefined();
    expect(details.schedulerType).toBeUndefined();
    expect(sim.applications.list()).toEqual([]);
    expect((await fetch(`${sim.url}/v1/applications/overview`)).status).toBe(404);
  });
});

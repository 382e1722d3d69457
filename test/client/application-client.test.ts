import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicationClient,
  ApplicationFailedError,
  ApplicationNotFoundError,
  applicationStateOfJobStatus,
  ClusterClient,
  FlinkBadRequestError,
  FlinkConflictError,
  FlinkTimeoutError,
  isTerminalApplicationState,
  UnreachableStateError,
  UnsupportedFeatureError,
} from 'flink-client';
import { hexId } from '../support/ids.js';
import { type MswServer, startMswServer } from '../support/msw-server.js';
import { idFromPath, recorded, type RecordedExchange } from '../support/recorded.js';

type Body = Record<string, unknown>;
const replay = (ex: RecordedExchange, patch: Body = {}) => HttpResponse.json({ ...(ex.body as Body), ...patch }, { status: ex.status });
const config = (version: string) => http.get('*/v1/config', () => replay(recorded(version, 'config')));

let server: MswServer;
let cluster: ClusterClient;

beforeAll(async () => {
  server = await startMswServer([]);
});
afterEach(async () => {
  server.reset();
  await cluster?.close();
});
afterAll(async () => {
  await server.close();
});

function connect(version: string): ClusterClient {
  server.use(config(version));
  cluster = new ClusterClient({ url: server.url, validation: 'strict', retry: { initialDelayMs: 5, maxDelayMs: 10 } });
  return cluster;
}
const nonConfig = () => server.requests.filter((r) => !r.url.endsWith('/config'));

describe('application state helpers', () => {
  it('maps job statuses as Flink does and knows the terminal states', () => {
    expect(applicationStateOfJobStatus('FAILED')).toBe('FAILED');
    expect(applicationStateOfJobStatus('CANCELED')).toBe('CANCELED');
    expect(applicationStateOfJobStatus('FINISHED')).toBe('FINISHED');
    expect(applicationStateOfJobStatus('CANCELLING')).toBe('CANCELING');
    expect(applicationStateOfJobStatus('RESTARTING')).toBe('RUNNING');
    expect(['FINISHED', 'FAILED', 'CANCELED'].every(isTerminalApplicationState)).toBe(true);
    expect(['CREATED', 'RUNNING', 'FAILING', 'CANCELING'].some(isTerminalApplicationState)).toBe(false);
  });
});

describe('on Flink 2.3 (FLIP-549 endpoints)', () => {
  it('cluster.application(id) is a cheap handle', () => {
    const app = connect('2.3.0').application(hexId());
    expect(app).toBeInstanceOf(ApplicationClient);
    expect(server.requests).toHaveLength(0);
  });

  it('runApplication posts a client-chosen application id and returns the handle', async () => {
    const c = connect('2.3.0');
    let body: Body = {};
    server.use(
      http.post('*/v1/jars/:jar/run-application', async ({ request }) => {
        body = (await request.json()) as Body;
        return HttpResponse.json({ applicationid: body.applicationId }, { status: 202 });
      }),
    );
    const app = await c.runApplication('abc_two-jobs.jar', { entryClass: 'flinkclient.fixtures.TwoJobsMain', args: ['--count', '5'], configuration: { 'execution.terminate-application-on-any-job-terminated-exceptionally': 'false' } });
    expect(body).toMatchObject({ entryClass: 'flinkclient.fixtures.TwoJobsMain', programArgsList: ['--count', '5'], flinkConfiguration: { 'execution.terminate-application-on-any-job-terminated-exceptionally': 'false' } });
    expect(body.applicationId).toMatch(/^[0-9a-f]{32}$/);
    expect(app.applicationId).toBe(body.applicationId);
  });

  it('a retried runApplication that meets its own application resolves with it; a first collision is an error', async () => {
    const c = connect('2.3.0');
    const duplicate = recorded('2.3.0', 'jars-run-application-duplicate-id');
    let calls = 0;
    server.use(http.post('*/v1/jars/:jar/run-application', () => (++calls === 1 ? new HttpResponse(null, { status: 503 }) : replay(duplicate))));
    const applicationId = hexId();
    expect((await c.runApplication('abc_x.jar', { applicationId })).applicationId).toBe(applicationId);
    server.reset();
    server.use(config('2.3.0'), http.post('*/v1/jars/:jar/run-application', () => replay(duplicate)));
    await expect(c.runApplication('abc_x.jar', { applicationId })).rejects.toBeInstanceOf(FlinkBadRequestError);
  });

  it('describe() normalises the details: times, reached states only, jobs', async () => {
    const c = connect('2.3.0');
    const ex = recorded('2.3.0', 'application-finished-two-jobs');
    const id = idFromPath(ex);
    server.use(http.get(`*/v1/applications/${id}`, () => replay(ex)));
    const d = await c.application(id).describe();
    const wire = ex.body as { 'start-time': number; 'end-time': number; timestamps: Record<string, number>; jobs: unknown[] };
    expect(d).toMatchObject({ applicationId: id, name: 'flinkclient.fixtures.TwoJobsMain', status: 'FINISHED', startTime: wire['start-time'], endTime: wire['end-time'], emulated: false });
    expect(Object.keys(d.timestamps).sort()).toEqual(['CREATED', 'FINISHED', 'RUNNING']);
    expect(d.jobs).toHaveLength(2);
    expect((await c.application(id).jobs()).map((j) => j.jobId)).toEqual(d.jobs.map((j) => j.jid));
  });

  it('an unknown application is ApplicationNotFoundError although Flink answers 500', async () => {
    const c = connect('2.3.0');
    const ex = recorded('2.3.0', 'application-unknown');
    const id = idFromPath(ex);
    server.use(
      http.get(`*/v1/applications/${id}`, () => replay(ex)),
      http.get(`*/v1/applications/${id}/exceptions`, () => replay(recorded('2.3.0', 'application-exceptions-unknown'))),
    );
    const err = await c.application(id).status().catch((e) => e);
    expect(err).toBeInstanceOf(ApplicationNotFoundError);
    expect(err.status).toBe(500);
    expect(err.applicationId).toBe(id);
    await expect(c.application(id).exceptions()).rejects.toBeInstanceOf(ApplicationNotFoundError);
  });

  describe('cancel()', () => {
    it('resolves on 202', async () => {
      const c = connect('2.3.0');
      const ex = recorded('2.3.0', 'application-cancel-running');
      server.use(http.post(`*/v1/applications/${idFromPath(ex)}/cancel`, () => replay(ex)));
      await c.application(idFromPath(ex)).cancel();
    });

    it('Flink 404s a CANCELED application: the SDK looks it up and treats the cancel as done', async () => {
      const c = connect('2.3.0');
      const id = hexId();
      server.use(
        http.post(`*/v1/applications/${id}/cancel`, () => replay(recorded('2.3.0', 'application-cancel-finished'))),
        http.get(`*/v1/applications/${id}`, () => replay(recorded('2.3.0', 'application-canceled'), { id })),
      );
      await c.application(id).cancel();
    });

    it('a FINISHED or FAILED application gives FlinkConflictError', async () => {
      const c = connect('2.3.0');
      const id = hexId();
      server.use(
        http.post(`*/v1/applications/${id}/cancel`, () => replay(recorded('2.3.0', 'application-cancel-finished'))),
        http.get(`*/v1/applications/${id}`, () => replay(recorded('2.3.0', 'application-finished-two-jobs'), { id })),
      );
      const err = await c.application(id).cancel().catch((e) => e);
      expect(err).toBeInstanceOf(FlinkConflictError);
      expect(err.message).toContain('already reached terminal state FINISHED');
    });

    it('an unknown application gives ApplicationNotFoundError', async () => {
      const c = connect('2.3.0');
      const ex = recorded('2.3.0', 'application-cancel-unknown');
      const id = idFromPath(ex);
      server.use(
        http.post(`*/v1/applications/${id}/cancel`, () => replay(ex)),
        http.get(`*/v1/applications/${id}`, () => replay(recorded('2.3.0', 'application-unknown'))),
      );
      await expect(c.application(id).cancel()).rejects.toBeInstanceOf(ApplicationNotFoundError);
    });
  });

  it('result() resolves FINISHED with the final jobs', async () => {
    const c = connect('2.3.0');
    const done = recorded('2.3.0', 'application-finished-two-jobs');
    const id = idFromPath(done);
    let n = 0;
    server.use(http.get(`*/v1/applications/${id}`, () => (++n < 3 ? replay(recorded('2.3.0', 'application-running'), { id }) : replay(done))));
    const final = await c.application(id).result({ pollIntervalMs: 10 });
    expect(final.status).toBe('FINISHED');
    expect(final.jobs.every((j) => j.state === 'FINISHED')).toBe(true);
  });

  it('result() rejects FAILED with ApplicationFailedError carrying the exception of main()', async () => {
    const c = connect('2.3.0');
    const failed = recorded('2.3.0', 'application-failed-throwing');
    const id = idFromPath(failed);
    server.use(
      http.get(`*/v1/applications/${id}`, () => replay(failed)),
      http.get(`*/v1/applications/${id}/exceptions`, () => replay(recorded('2.3.0', 'application-exceptions-throwing'))),
    );
    const err = await c.application(id).result().catch((e) => e);
    expect(err).toBeInstanceOf(ApplicationFailedError);
    expect(err.status).toBe('FAILED');
    expect(err.exception).toContain('flink-client fixture: main() threw before submitting a job');
  });

  it('waitFor() fails fast on an unreachable state and times out with the last state', async () => {
    const c = connect('2.3.0');
    const failed = recorded('2.3.0', 'application-failed-throwing');
    const id = idFromPath(failed);
    server.use(http.get(`*/v1/applications/${id}`, () => replay(failed)));
    await expect(c.application(id).waitFor('FINISHED')).rejects.toBeInstanceOf(UnreachableStateError);
    const running = hexId();
    server.use(http.get(`*/v1/applications/${running}`, () => replay(recorded('2.3.0', 'application-running'), { id: running })));
    const err = await c.application(running).waitFor('CANCELED', { timeoutMs: 100, pollIntervalMs: 20 }).catch((e) => e);
    expect(err).toBeInstanceOf(FlinkTimeoutError);
    expect(err.lastValue).toBe('RUNNING');
  });

  it('listApplications() normalises the overview', async () => {
    const c = connect('2.3.0');
    const ex = recorded('2.3.0', 'applications-overview-with-running');
    server.use(http.get('*/v1/applications/overview', () => replay(ex)));
    const apps = await c.listApplications();
    const wire = (ex.body as { applications: { id: string; jobs: Record<string, number> }[] }).applications;
    expect(apps.map((a) => a.applicationId)).toEqual(wire.map((a) => a.id));
    expect(apps[0]?.jobCounts).toEqual(wire[0]?.jobs);
    expect(apps.every((a) => !a.emulated)).toBe(true);
  });

  it('job.applicationId() comes from the job details; runJar knows it without asking', async () => {
    const c = connect('2.3.0');
    const ex = recorded('2.3.0', 'job-of-application');
    const jobId = idFromPath(ex);
    server.use(
      http.get(`*/v1/jobs/${jobId}`, () => replay(ex)),
      http.post('*/v1/jars/:jar/run', async ({ request }) => {
        const b = (await request.json()) as Body;
        return HttpResponse.json({ jobid: b.jobId, applicationId: b.jobId });
      }),
    );
    const appId = await c.job(jobId).applicationId();
    expect(appId).toBe((ex.body as Body)['application-id']);
    expect((await c.job(jobId).application()).applicationId).toBe(appId);
    const job = await c.runJar('abc_x.jar');
    const before = server.requests.length;
    expect(await job.applicationId()).toBe(job.jobId);
    expect(server.requests.length).toBe(before);
  });
});

describe('on Flink 1.20 (no application endpoints: the emulated view)', () => {
  it('runApplication and exceptions() throw UnsupportedFeatureError before sending anything', async () => {
    const c = connect('1.20.5');
    const err = await c.runApplication('abc_x.jar').catch((e) => e);
    expect(err).toBeInstanceOf(UnsupportedFeatureError);
    expect(err).toMatchObject({ clusterVersion: '1.20.5', minimumVersion: '2.3.0' });
    expect(err.message).toContain('1.20.5');
    await expect(c.application(hexId()).exceptions()).rejects.toBeInstanceOf(UnsupportedFeatureError);
    expect(nonConfig()).toHaveLength(0);
  });

  it('a job is its own single-job application: status, describe, jobs, cancel', async () => {
    const c = connect('1.20.5');
    const ex = recorded('1.20.5', 'job-running');
    const id = idFromPath(ex);
    let canceled = false;
    server.use(
      http.get(`*/v1/jobs/${id}/status`, () => HttpResponse.json({ status: canceled ? 'CANCELLING' : 'RUNNING' })),
      http.get(`*/v1/jobs/${id}`, () => replay(ex)),
      http.patch(`*/v1/jobs/${id}`, () => {
        canceled = true;
        return HttpResponse.json({}, { status: 202 });
      }),
    );
    const app = c.application(id);
    expect(await app.status()).toBe('RUNNING');
    const d = await app.describe();
    expect(d).toMatchObject({ applicationId: id, status: 'RUNNING', emulated: true });
    expect(d.jobs).toHaveLength(1);
    expect(d.jobs[0]).toMatchObject({ jid: id, state: 'RUNNING' });
    expect(d.jobs[0]?.tasks.total).toBeGreaterThan(0);
    expect(d.timestamps.RUNNING).toBeGreaterThan(0);
    expect((await app.jobs()).map((j) => j.jobId)).toEqual([id]);
    await app.cancel();
    expect(await app.status()).toBe('CANCELING');
    expect(await c.job(id).applicationId()).toBe(id);
  });

  it('an unknown id is ApplicationNotFoundError', async () => {
    const c = connect('1.20.5');
    const ex = recorded('1.20.5', 'job-unknown');
    server.use(http.get(`*/v1/jobs/${idFromPath(ex)}/status`, () => replay(ex)));
    await expect(c.application(idFromPath(ex)).status()).rejects.toBeInstanceOf(ApplicationNotFoundError);
  });

  it('listApplications() lists every job as an emulated application', async () => {
    const c = connect('1.20.5');
    const ex = recorded('1.20.5', 'jobs-overview-mixed');
    server.use(http.get('*/v1/jobs/overview', () => replay(ex)));
    const apps = await c.listApplications();
    const jobs = (ex.body as { jobs: { jid: string; state: string }[] }).jobs;
    expect(apps.map((a) => a.applicationId)).toEqual(jobs.map((j) => j.jid));
    expect(apps.every((a) => a.emulated)).toBe(true);
    expect(apps.map((a) => a.status)).toEqual(jobs.map((j) => applicationStateOfJobStatus(j.state)));
  });

  it('result() on a failed job rejects with ApplicationFailedError naming the root cause', async () => {
    const c = connect('1.20.5');
    const id = hexId();
    server.use(
      http.get(`*/v1/jobs/${id}/status`, () => HttpResponse.json({ status: 'FAILED' })),
      http.get(`*/v1/jobs/${id}/exceptions`, () => replay(recorded('1.20.5', 'job-exceptions'))),
    );
    const err = await c.application(id).result().catch((e) => e);
    expect(err).toBeInstanceOf(ApplicationFailedError);
    expect(err.exception).toContain('flink-client fixture failure');
  });
});

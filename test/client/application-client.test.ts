import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicationNotFoundError,
  ApplicationStuckError,
  applicationStatusOfJobStatus,
  ClusterClient,
  FlinkConflictError,
  FlinkBadRequestError,
  isTerminalApplicationStatus,
  UnsupportedFeatureError,
} from 'flink-client';
import { hexId } from '../support/ids.js';
import { type MswServer, startMswServer } from '../support/msw-server.js';
import { idFromPath, recorded, type RecordedExchange } from '../support/recorded.js';

// The ApplicationClient against recorded Flink answers: exact wire mappings (the 500 Flink sends
// for an unknown application, the duplicate-submission body, the normalised details and
// overview) and checks made before sending. Flows that depend on cluster state (run-application,
// result, waitFor, cancel, the emulated single-job view) run against the Flink simulator in
// application-simulator.test.ts.

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
    expect(applicationStatusOfJobStatus('FAILED')).toBe('FAILED');
    expect(applicationStatusOfJobStatus('CANCELED')).toBe('CANCELED');
    expect(applicationStatusOfJobStatus('FINISHED')).toBe('FINISHED');
    expect(applicationStatusOfJobStatus('CANCELLING')).toBe('CANCELING');
    expect(applicationStatusOfJobStatus('RESTARTING')).toBe('RUNNING');
    expect(['FINISHED', 'FAILED', 'CANCELED'].every(isTerminalApplicationStatus)).toBe(true);
    expect(['CREATED', 'RUNNING', 'FAILING', 'CANCELING'].some(isTerminalApplicationStatus)).toBe(false);
  });
});

describe('on Flink 2.3 (FLIP-549 endpoints)', () => {
  it('cluster.application(id) is a cheap handle', () => {
    const id = hexId();
    const app = connect('2.3.0').application(id);
    expect(app.applicationId).toBe(id);
    expect(server.requests).toHaveLength(0);
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

describe('an application Flink 2.3.0 leaves CANCELING for good', () => {
  it('a wait cancels the job Flink left running and ends with ApplicationStuckError once it stopped', async () => {
    // The state real Flink 2.3.0 was seen in (FINDINGS.md, Applications): the cancel interrupted
    // main() while it submitted its job, the InterruptedException was recorded after CANCELING,
    // and Flink never cancelled the job nor left CANCELING.
    const c = connect('2.3.0');
    const base = recorded('2.3.0', 'application-canceled').body as Body & { timestamps: Record<string, number>; jobs: Body[] };
    const id = base.id as string;
    const jid = base.jobs[0]?.jid as string;
    const cancelingAt = base.timestamps.CANCELING as number;
    let jobState = 'RUNNING';
    const details = () => ({ ...base, status: 'CANCELING', 'end-time': -1, timestamps: { ...base.timestamps, CANCELED: 0 }, jobs: [{ ...base.jobs[0], state: jobState, 'end-time': -1 }] });
    const thrown = recorded('2.3.0', 'application-exceptions-throwing').body as { exceptionHistory: { entries: Body[] } };
    const exceptions = { exceptionHistory: { entries: [{ ...thrown.exceptionHistory.entries[0], timestamp: cancelingAt + 4 }] } };
    server.use(
      http.get(`*/v1/applications/${id}`, () => HttpResponse.json(details())),
      http.get(`*/v1/applications/${id}/exceptions`, () => HttpResponse.json(exceptions)),
      http.patch(`*/v1/jobs/${jid}`, () => {
        jobState = 'CANCELED';
        return HttpResponse.json({}, { status: 202 });
      }),
    );
    const err = await c.application(id).waitFor('CANCELED', { timeoutMs: 30_000, pollIntervalMs: 5, maxPollIntervalMs: 5 }).catch((e) => e);
    expect(err).toBeInstanceOf(ApplicationStuckError);
    expect(err).toMatchObject({ code: 'FLINK_UNREACHABLE_STATE', state: 'CANCELING', canceledJobs: [jid], jobs: [{ jid, state: 'CANCELED' }] });
    expect(err.message).toContain('stuck in CANCELING');
    expect(nonConfig().filter((r) => r.method === 'PATCH').map((r) => r.url)).toEqual([expect.stringContaining(`/v1/jobs/${jid}?mode=cancel`)]);
  });

  it('a normal cancel (no failure recorded after CANCELING, jobs being cancelled) is waited for as before', async () => {
    const c = connect('2.3.0');
    const done = recorded('2.3.0', 'application-canceled');
    const base = done.body as Body & { timestamps: Record<string, number>; jobs: Body[] };
    const id = base.id as string;
    let polls = 0;
    server.use(
      http.get(`*/v1/applications/${id}`, () =>
        ++polls < 4 ? HttpResponse.json({ ...base, status: 'CANCELING', timestamps: { ...base.timestamps, CANCELED: 0 }, jobs: [{ ...base.jobs[0], state: 'CANCELLING' }] }) : replay(done),
      ),
      http.get(`*/v1/applications/${id}/exceptions`, () => replay(recorded('2.3.0', 'application-exceptions-canceled'))),
    );
    expect(await c.application(id).waitFor('CANCELED', { timeoutMs: 30_000, pollIntervalMs: 5, maxPollIntervalMs: 5 })).toBe('CANCELED');
    expect(nonConfig().filter((r) => r.method !== 'GET')).toHaveLength(0);
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

  it('cancelling a FAILED single-job application gives FlinkConflictError (Flink 409 on the job)', async () => {
    const c = connect('1.20.5');
    const ex = recorded('1.20.5', 'job-cancel-failed');
    server.use(http.patch(`*/v1/jobs/${idFromPath(ex)}`, () => replay(ex)));
    const err = await c.application(idFromPath(ex)).cancel().catch((e) => e);
    expect(err).toBeInstanceOf(FlinkConflictError);
    expect(err.status).toBe(409);
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
    expect(apps.map((a) => a.status)).toEqual(jobs.map((j) => applicationStatusOfJobStatus(j.state)));
  });

});

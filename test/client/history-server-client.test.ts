import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationNotFoundError, ArchiveReadOnlyError, ClusterClient, FlinkArgumentError, FlinkConnectionError, FlinkValidationError, HistoryServerClient, JobFailedError, JobNotFoundError } from 'flink-client';
import { type MswServer, startMswServer } from '../support/msw-server.js';

// A HistoryServer serves precomputed JSON files at the REST paths without /v1, and 404
// `File not found.` for anything else (checked on Flink 2.3.0: test/fixtures/recorded/FINDINGS.md).
// Bodies below follow what a 2.3.0 HistoryServer served for one bounded application.

const APP = 'd2d9010363a82b9557f5831a4d4512f4';
const JOB = 'e351a549412216d130c1c222e09c41c4';
const OTHER_APP = 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
const FAILED_JOB = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const tasks = { running: 0, canceling: 0, canceled: 0, total: 1, created: 0, scheduled: 0, deploying: 0, reconciling: 0, finished: 1, initializing: 0, failed: 0 };
const jobOverview = (jid: string, state: string) => ({ jid, name: 'explore', jobType: 'STREAMING', 'start-time': 1000, 'end-time': 12034, duration: 11034, state, 'last-modification': 12034, tasks });
const jobDetails = (jid: string, state: string) => ({
  jid,
  'application-id': APP,
  name: 'explore',
  isStoppable: false,
  state,
  'job-type': 'STREAMING',
  'start-time': 1000,
  'end-time': 12034,
  duration: 11034,
  maxParallelism: -1,
  now: 12100,
  timestamps: { INITIALIZING: 1000, CREATED: 1100, RUNNING: 1400, [state]: 12034 },
  vertices: [],
  'status-counts': { FINISHED: 1 },
  plan: { jid, name: 'explore', type: 'STREAMING', nodes: [] },
});
const appDetails = (status: string) => ({
  id: APP,
  name: 'flinkclient.fixtures.BoundedAccumulatorJob',
  status,
  'start-time': 900,
  'end-time': 13000,
  duration: 12100,
  timestamps: { CREATED: 900, RUNNING: 950, FINISHED: status === 'FINISHED' ? 13000 : 0, FAILING: 0, FAILED: 0, CANCELING: 0, CANCELED: 0 },
  jobs: [jobOverview(JOB, 'FINISHED')],
});
const appOverview = (status: string) => ({ applications: [{ id: APP, name: 'flinkclient.fixtures.BoundedAccumulatorJob', 'start-time': 900, 'end-time': 13000, duration: 12100, status, jobs: { [status === 'FINISHED' ? 'FINISHED' : 'RUNNING']: 1 } }] });
const dashboard = (refresh: number, history: boolean) => ({
  'refresh-interval': refresh,
  'timezone-name': 'Coordinated Universal Time',
  'timezone-offset': 0,
  'flink-version': '2.3.0',
  'flink-revision': 'c0f8d1a @ 2026-06-14T16:29:03+02:00',
  features: { 'web-submit': !history, 'web-cancel': !history, 'web-rescale': false, 'web-history': history },
});
const notFound = () => HttpResponse.json({ errors: ['File not found.'] }, { status: 404 });

const archive = [
  http.get('*/jobs/overview', () => HttpResponse.json({ jobs: [jobOverview(JOB, 'FINISHED'), jobOverview(FAILED_JOB, 'FAILED')] })),
  http.get(`*/jobs/${JOB}`, () => HttpResponse.json(jobDetails(JOB, 'FINISHED'))),
  http.get(`*/jobs/${FAILED_JOB}`, () => HttpResponse.json(jobDetails(FAILED_JOB, 'FAILED'))),
  http.get(`*/jobs/${FAILED_JOB}/exceptions`, () =>
    HttpResponse.json({ exceptionHistory: { entries: [{ exceptionName: 'java.lang.IllegalStateException', stacktrace: 'java.lang.IllegalStateException: boom\n\tat x', timestamp: 12000, failureLabels: {}, concurrentExceptions: [] }], truncated: false } }),
  ),
  http.get('*/jobs/:jobid/accumulators', () => HttpResponse.json({ 'job-accumulators': [], 'user-task-accumulators': [{ name: 'records', type: 'IntCounter', value: '1000' }], 'serialized-user-task-accumulators': {} })),
  http.get(`*/jobs/${JOB}/config`, () => HttpResponse.json({ jid: JOB, name: 'explore', 'execution-config': { 'restart-strategy': 'Cluster level default restart strategy', 'job-parallelism': 1, 'object-reuse-mode': false, 'user-config': {} } })),
  http.get('*/applications/overview', () => HttpResponse.json(appOverview('FINISHED'))),
  http.get(`*/applications/${APP}`, () => HttpResponse.json(appDetails('FINISHED'))),
  http.get(`*/applications/${APP}/exceptions`, () => HttpResponse.json({ exceptionHistory: { entries: [] } })),
  http.get(`*/applications/${APP}/jobmanager/config`, () => HttpResponse.json([{ key: 'parallelism.default', value: '1' }])),
  // Last: `*/config` would also match `/jobs/:id/config`.
  http.get('*/config', () => HttpResponse.json(dashboard(10000, true))),
  http.all('*', notFound),
];

let hs: MswServer;
let history: HistoryServerClient;

beforeAll(async () => {
  hs = await startMswServer(archive);
  history = new HistoryServerClient({ url: hs.url, maxRetries: 0 });
});
afterEach(() => hs.reset());
afterAll(async () => {
  await history.close();
  await hs.close();
});

describe('HistoryServerClient', () => {
  it('reads archived jobs through the JobClient handle, at paths without /v1', async () => {
    expect((await history.listJobs()).map((j) => [j.jid, j.state])).toEqual([
      [JOB, 'FINISHED'],
      [FAILED_JOB, 'FAILED'],
    ]);
    const job = history.job(JOB);
    expect((await job.describe()).state).toBe('FINISHED');
    expect(await job.status()).toBe('FINISHED');
    expect((await job.config())?.['execution-config']?.['job-parallelism']).toBe(1);
    expect(await job.applicationId()).toBe(APP);
    expect(hs.requests.every((r) => !r.url.startsWith('/v1'))).toBe(true);
  });

  it('derives a job result from the archived details, exceptions and accumulators', async () => {
    const result = await history.job(JOB).result({ timeoutMs: 10_000 });
    expect(result).toMatchObject({ jobId: JOB, status: 'FINISHED', netRuntimeMs: 11034, accumulators: { records: { type: 'IntCounter', value: '1000' } }, applicationId: APP });
    const failed = await history.job(FAILED_JOB).result({ timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(JobFailedError);
    expect((failed as JobFailedError).status).toBe('FAILED');
    expect((failed as JobFailedError).stackTrace).toContain('boom');
  });

  it('a job the archive does not have is JobNotFoundError', async () => {
    await expect(history.job('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb').describe()).rejects.toBeInstanceOf(JobNotFoundError);
  });

  it('refuses what needs a live cluster before sending anything', async () => {
    const job = history.job(JOB);
    await expect(job.cancel()).rejects.toBeInstanceOf(ArchiveReadOnlyError);
    await expect(job.triggerSavepoint({ targetDirectory: '/tmp/x' })).rejects.toBeInstanceOf(ArchiveReadOnlyError);
    await expect(job.stopWithSavepoint({ targetDirectory: '/tmp/x' })).rejects.toBeInstanceOf(ArchiveReadOnlyError);
    await expect(job.rescale({ parallelism: 2 } as never)).rejects.toBeInstanceOf(ArchiveReadOnlyError);
    await expect(history.application(APP).cancel()).rejects.toBeInstanceOf(ArchiveReadOnlyError);
    // Reads a JobManager never archives are refused too, not answered with a misleading 404.
    await expect(job.metrics(['numRestarts'])).rejects.toBeInstanceOf(ArchiveReadOnlyError);
    await expect(job.resourceRequirements()).rejects.toBeInstanceOf(ArchiveReadOnlyError);
    const err = await job.cancel().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FLINK_ARCHIVE_READ_ONLY' });
    expect(hs.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('reads archived applications (Flink 2.3) and their result', async () => {
    expect((await history.listApplications()).map((a) => [a.applicationId, a.status])).toEqual([[APP, 'FINISHED']]);
    const app = history.application(APP);
    expect(await app.status()).toBe('FINISHED');
    expect((await app.result({ timeoutMs: 10_000 })).jobs.map((j) => j.jid)).toEqual([JOB]);
    expect((await app.exceptions()).exceptionHistory.entries).toEqual([]);
    expect(await app.jobManagerConfig()).toEqual([{ key: 'parallelism.default', value: '1' }]);
    expect((await app.jobs()).map((j) => j.jobId)).toEqual([JOB]);
    await expect(history.application('cccccccccccccccccccccccccccccccc').describe()).rejects.toBeInstanceOf(ApplicationNotFoundError);
  });

  it('reads again when a read raced the rewrite of an overview (an empty or cut 200), whatever maxRetries says', async () => {
    // A HistoryServer truncates its overview files and then writes them on every refresh that
    // found an archive; a read in between gets a 200 with an empty body (seen on 2.3.0).
    const torn = [new HttpResponse('', { status: 200, headers: { 'content-type': 'application/json' } }), new HttpResponse('{"applications":[{"id"', { status: 200, headers: { 'content-type': 'application/json' } })];
    hs.use(http.get('*/applications/overview', () => torn.shift()));
    // Read again even by a client without retries (watch polls send with none).
    expect((await history.listApplications()).map((a) => a.applicationId)).toEqual([APP]);
    expect(hs.requests.filter((r) => r.url === '/applications/overview')).toHaveLength(3);
    // A file that stays empty is a validation error that keeps the body, not a wrong answer.
    for (let i = 0; i < 5; i++) torn.push(new HttpResponse('', { status: 200, headers: { 'content-type': 'application/json' } }));
    await expect(history.listApplications()).rejects.toBeInstanceOf(FlinkValidationError);
    expect(torn).toHaveLength(0);
  });

  it('rejects historyServer as an option of its own', () => {
    expect(() => new HistoryServerClient({ url: hs.url, historyServer: hs.url } as never)).toThrow(FlinkArgumentError);
  });
});

describe('ClusterClient with historyServer', () => {
  it('prefers the cluster while it is up, then reads the archive once it is gone', async () => {
    let up = true;
    const cluster = await startMswServer([
      http.get('*/v1/config', () => HttpResponse.json(dashboard(3000, false))),
      http.get(`*/v1/applications/${APP}`, () => (up ? HttpResponse.json(appDetails('RUNNING')) : HttpResponse.error())),
      http.get('*/v1/applications/overview', () => {
        if (!up) return HttpResponse.error();
        const running = appOverview('RUNNING').applications;
        return HttpResponse.json({ applications: [...running, { ...running[0], id: OTHER_APP }] });
      }),
    ]);
    const client = new ClusterClient({ url: cluster.url, historyServer: hs.url, maxRetries: 0 });
    try {
      const app = client.application(APP);
      expect(await app.status()).toBe('RUNNING');
      expect((await client.listApplications()).map((a) => a.status)).toEqual(['RUNNING', 'RUNNING']);
      expect(hs.requests).toEqual([]);
      up = false;
      expect(await app.status()).toBe('FINISHED');
      expect((await app.result({ timeoutMs: 10_000 })).status).toBe('FINISHED');
      const seen: string[] = [];
      for await (const change of app.watch({ pollIntervalMs: 10 })) seen.push(change.status);
      expect(seen.at(-1)).toBe('FINISHED');
      // The archive's list over the cluster's last one: an application it does not have yet keeps its last state.
      expect((await client.listApplications()).map((a) => [a.applicationId, a.status])).toEqual([
        [APP, 'FINISHED'],
        [OTHER_APP, 'RUNNING'],
      ]);
    } finally {
      await client.close();
      await cluster.close();
    }
  });

  it('keeps the connection error while the archive does not have the application yet', async () => {
    const cluster = await startMswServer([http.all('*', () => HttpResponse.error())]);
    const client = new ClusterClient({ url: cluster.url, historyServer: hs.url, maxRetries: 0 });
    try {
      await expect(client.application('dddddddddddddddddddddddddddddddd').status()).rejects.toBeInstanceOf(FlinkConnectionError);
      // Writes never go to the archive.
      await expect(client.application(APP).cancel()).rejects.toBeInstanceOf(FlinkConnectionError);
    } finally {
      await client.close();
      await cluster.close();
    }
  });

  it('validates historyServer', () => {
    expect(() => new ClusterClient({ url: 'http://localhost:8081', historyServer: 42 as never })).toThrow(FlinkArgumentError);
    expect(() => new ClusterClient({ url: 'http://localhost:8081', historyServer: 'ftp://x' })).toThrow(FlinkArgumentError);
  });
});

import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ApplicationNotFoundError, type ApplicationChange, ArchiveReadOnlyError, ClusterClient, HistoryServerClient, JobFailedError, JobNotFoundError } from 'flink-client';
import { createFlinkSimulator, type FixtureKey, fixtureJar, fixturePrograms, type FlinkSimulator, type FlinkSimulatorOptions } from 'flink-client/testing';

// The simulator's HistoryServer profile: ended jobs and applications archived with the bodies the
// cluster served, visible from the HistoryServer's next refresh, read through the public SDK
// (HistoryServerClient, and ClusterClient's `historyServer` fallback once the cluster is gone).

let sim: FlinkSimulator | undefined;
const clients: Array<{ close(): Promise<void> }> = [];

async function start(options: FlinkSimulatorOptions = {}): Promise<FlinkSimulator> {
  sim = await createFlinkSimulator({ clock: 'virtual', timing: 'fast', programs: fixturePrograms, historyServer: { refreshIntervalMs: 1_000 }, ...options });
  return sim;
}

function client<T extends { close(): Promise<void> }>(c: T): T {
  clients.push(c);
  return c;
}

async function upload(cluster: ClusterClient, key: FixtureKey): Promise<string> {
  const { filename, bytes } = fixtureJar(key);
  return (await cluster.uploadJar(Readable.from([Buffer.from(bytes)]), { filename })).jarId;
}

function history(s: FlinkSimulator): HistoryServerClient {
  return client(new HistoryServerClient({ url: s.historyServer?.url as string, validation: 'strict', maxRetries: 0 }));
}

/** Runs the simulated clock until `done` holds (each step lets requests in flight finish). */
async function runUntil(s: FlinkSimulator, done: () => boolean, stepMs = 100, maxSteps = 600): Promise<void> {
  for (let i = 0; i < maxSteps && !done(); i++) await s.clock.runFor(stepMs);
  expect(done()).toBe(true);
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await sim?.close();
  sim = undefined;
});

describe('the simulated HistoryServer (2.3.0)', () => {
  it('serves ended jobs from its next refresh on, read through HistoryServerClient', async () => {
    const s = await start();
    const cluster = client(new ClusterClient({ url: s.url, maxRetries: 0 }));
    const hs = history(s);
    expect((await hs.config()).features['web-history']).toBe(true);
    expect(await hs.flinkVersion()).toBe('2.3.0');
    expect(await hs.listJobs()).toEqual([]);

    const bounded = await cluster.runJar(await upload(cluster, 'bounded'));
    const failing = await cluster.runJar(await upload(cluster, 'failing'));
    await runUntil(s, () => ['FINISHED', 'FAILED'].every((st) => s.jobs.list().some((j) => j.status === st)));
    // Archived at once, served only from the next refresh (historyserver.archive.fs.refresh-interval).
    const archived = s.historyServer?.archives.find((a) => a.id === bounded.jobId);
    expect(archived).toMatchObject({ kind: 'job', servedFrom: undefined });
    await expect(hs.job(bounded.jobId).describe()).rejects.toBeInstanceOf(JobNotFoundError);
    await s.clock.runFor(1_000);
    await s.historyServer?.waitForArchive(bounded.jobId);

    expect((await hs.listJobs()).map((j) => [j.jid, j.state]).sort()).toEqual(
      [
        [bounded.jobId, 'FINISHED'],
        [failing.jobId, 'FAILED'],
      ].sort(),
    );
    const job = hs.job(bounded.jobId);
    const details = await job.describe();
    expect(details['application-id']).toBe(bounded.jobId);
    expect(await job.status()).toBe('FINISHED');
    expect((await job.config()).name).toBe('flink-client-fixture-bounded-accumulators');
    expect((await job.exceptions()).exceptionHistory.entries).toEqual([]);
    const accumulators = await job.accumulators();
    expect(accumulators['user-task-accumulators'].map((a) => a.name).sort()).toEqual(['records', 'sum']);
    expect(Object.keys(accumulators['serialized-user-task-accumulators'] ?? {}).sort()).toEqual(['records', 'sum']);
    expect((await job.plan()).plan.nodes.length).toBe(details.vertices.length);
    expect(typeof (await job.checkpoints()).counts.completed).toBe('number');
    expect(typeof (await job.checkpointConfig()).mode).toBe('string');
    expect((await job.jobManagerConfig()).some((e) => e.key === 'jobmanager.archive.fs.dir')).toBe(true);
    const vertex = details.vertices[0];
    expect((await job.vertex(vertex?.id as string).describe()).id).toBe(vertex?.id);
    // Archived per attempt, as the real HistoryServer has them (the job's one chained vertex).
    expect((await job.vertex(vertex?.id as string).attemptAccumulators(0, 0))['user-accumulators'].map((a) => [a.name, a.value])).toEqual([
      ['records', '1000'],
      ['sum', '500500'],
    ]);
    expect(await job.result({ timeoutMs: 10_000 })).toMatchObject({ status: 'FINISHED', accumulators: { records: { value: '1000' }, sum: { value: '500500' } } });
    const failed = await hs.job(failing.jobId).result({ timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(JobFailedError);
    await expect(job.cancel()).rejects.toBeInstanceOf(ArchiveReadOnlyError);
    await expect(job.triggerSavepoint({ targetDirectory: '/tmp/never' })).rejects.toBeInstanceOf(ArchiveReadOnlyError);

    // Applications: every /jars/run job is its single-job application.
    expect((await hs.listApplications()).map((a) => a.applicationId).sort()).toEqual([bounded.jobId, failing.jobId].sort());
    const app = hs.application(bounded.jobId);
    expect((await app.result({ timeoutMs: 10_000 })).jobs.map((j) => j.jid)).toEqual([bounded.jobId]);
    expect((await app.exceptions()).exceptionHistory.entries).toEqual([]);
    expect((await app.jobManagerConfig()).length).toBeGreaterThan(0);
    await expect(hs.application('cccccccccccccccccccccccccccccccc').describe()).rejects.toBeInstanceOf(ApplicationNotFoundError);
  });

  it('answers what it does not serve as a real HistoryServer does', async () => {
    const s = await start();
    const cluster = client(new ClusterClient({ url: s.url, maxRetries: 0 }));
    const job = await cluster.runJar(await upload(cluster, 'bounded'));
    await runUntil(s, () => s.historyServer?.archives.some((a) => a.id === job.jobId) === true);
    s.historyServer?.refresh();
    const url = s.historyServer?.url as string;
    const get = async (path: string, init?: RequestInit) => {
      const res = await fetch(url + path, init);
      return { status: res.status, type: res.headers.get('content-type'), cors: res.headers.has('access-control-allow-origin'), text: await res.text() };
    };
    expect(await get(`/jobs/${job.jobId}`)).toMatchObject({ status: 200, type: 'application/json', cors: false });
    const notFound = { status: 404, type: 'application/json; charset=UTF-8', text: '{"errors":["File not found."]}' };
    for (const path of ['/v1/config', `/v1/jobs/${job.jobId}`, `/jobs/${job.jobId}/status`, `/jobs/${job.jobId}/execution-result`, `/jobs/${job.jobId}/metrics`, '/jobs', '/overview', '/taskmanagers', '/jars', '/jobs/not-an-id', `/jobs/${job.jobId.toUpperCase()}`, `/jobs/${job.jobId}/vertices`, `/applications/${job.jobId}/status`]) {
      expect(await get(path), path).toMatchObject(notFound);
    }
    expect(await get(`/jobs/${job.jobId}`, { method: 'DELETE' })).toMatchObject({ status: 404, text: `{"errors":["Not found: /jobs/${job.jobId}"]}` });
    const patch = await get(`/jobs/${job.jobId}`, { method: 'PATCH' });
    expect(patch).toMatchObject({ status: 500, type: 'text/plain' });
    expect(patch.text).toMatch(/^java\.io\.IOException: Unsupported HTTP method: PATCH/);
    // A POST is never answered, as on Flink's HistoryServer: the client's own deadline ends it.
    await expect(fetch(`${url}/jobs/${job.jobId}`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(200) })).rejects.toThrow();
  });

  it('follows an application whose cluster exited into the archive: result() and watch() through ClusterClient', async () => {
    const s = await start();
    // An application cluster: the JobManager exits 250 ms after the application ends.
    s.on('applicationStatus', (e) => {
      if (['FINISHED', 'FAILED', 'CANCELED'].includes(e.status)) void s.clock.sleep(250).then(() => s.shutdown());
    });
    const cluster = client(new ClusterClient({ url: s.url, historyServer: s.historyServer?.url, maxRetries: 0, validation: 'strict' }));
    const app = await cluster.runApplication(await upload(cluster, 'twoJobs'));
    await runUntil(s, () => s.applications.get(app.applicationId)?.status === 'RUNNING', 10);
    const changes: ApplicationChange[] = [];
    const watching = (async () => {
      for await (const change of app.watch({ pollIntervalMs: 10 })) changes.push(change);
    })();
    await runUntil(s, () => s.applications.get(app.applicationId)?.status === 'FINISHED');
    await s.clock.runFor(300);
    // The cluster is gone: nothing listens on its port any more.
    await expect(fetch(`${s.url}/v1/config`)).rejects.toThrow();
    await s.clock.runFor(1_000);
    await s.historyServer?.waitForArchive(app.applicationId);

    const result = await app.result({ timeoutMs: 10_000 });
    expect(result.status).toBe('FINISHED');
    expect(s.historyServer?.requests.some((r) => r.path === `/applications/${app.applicationId}` && r.status === 200)).toBe(true);
    expect(result.jobs.map((j) => [j.name, j.state]).sort()).toEqual([
      ['flink-client-fixture-two-jobs-1', 'FINISHED'],
      ['flink-client-fixture-two-jobs-2', 'FINISHED'],
    ]);
    await watching;
    expect(changes.at(-1)?.status).toBe('FINISHED');
    const jobs = await app.jobs();
    expect(jobs).toHaveLength(2);
    expect((await jobs[0]?.result({ timeoutMs: 10_000 }))?.status).toBe('FINISHED');
    // Writes go to the cluster only, and it is gone.
    await expect(app.cancel()).rejects.toThrow();
  });
});

describe('the historyServer option', () => {
  it('is validated, and without a server the HistoryServer is msw handlers on its base URL', async () => {
    await expect(createFlinkSimulator({ historyServer: 'yes' as never })).rejects.toThrow(RangeError);
    await expect(createFlinkSimulator({ historyServer: { refreshIntervalMs: 0 } })).rejects.toThrow(/refreshIntervalMs/);
    await expect(createFlinkSimulator({ historyServer: { baseUrl: 'not a url' } })).rejects.toThrow(/baseUrl/);
    const s = await start({ server: false, historyServer: { baseUrl: 'http://history.test:8082' } });
    expect(s.historyServer?.url).toBe('http://history.test:8082');
    expect(s.historyServer?.handlers.length).toBeGreaterThan(0);
    const plain = await createFlinkSimulator({ server: false });
    expect(plain.historyServer).toBeUndefined();
    await plain.close();
  });
});

describe('the simulated HistoryServer (1.20.5)', () => {
  it('archives jobs only; applications are the emulated single-job view', async () => {
    const s = await start({ flinkVersion: '1.20.5' });
    const cluster = client(new ClusterClient({ url: s.url, maxRetries: 0 }));
    const job = await cluster.runJar(await upload(cluster, 'bounded'));
    await runUntil(s, () => s.historyServer?.archives.some((a) => a.id === job.jobId && a.servedFrom !== undefined) === true);
    const hs = history(s);
    expect(await hs.flinkVersion()).toBe('1.20.5');
    expect((await hs.listJobs()).map((j) => j.jid)).toEqual([job.jobId]);
    expect((await hs.listApplications()).map((a) => [a.applicationId, a.emulated])).toEqual([[job.jobId, true]]);
    expect((await fetch(`${s.historyServer?.url}/applications/overview`)).status).toBe(404);
    expect((await hs.job(job.jobId).result({ timeoutMs: 10_000 })).status).toBe('FINISHED');
  });
});

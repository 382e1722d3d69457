import { Readable } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ArchiveReadOnlyError, type ApplicationChange, ClusterClient, HistoryServerClient, LocalClusterDescriptor } from 'flink-client';
import { createFlinkSimulator, fixtureJar, fixturePrograms } from 'flink-client/testing';
import { keyPaths } from '../contract/observe.js';
import { atLeast, eventually } from './support.js';

// An application cluster that exits by itself when its application ends
// (execution.shutdown-on-application-finish: true), followed to its end through the HistoryServer
// archive; then the archive read directly with HistoryServerClient. One cluster and HistoryServer
// (the descriptor sets historyserver.archive.fs.refresh-interval to 1 s). Flink 2.3 archives
// applications; older HistoryServers archive jobs only, so this runs on 2.3+.
const provided = inject('flink');
const versions = Object.keys(provided.homes).filter((v) => atLeast(v, '2.3.0'));

/** The ids an archive's paths are made of. */
interface ArchiveIds {
  app: string;
  job: string;
  vertex: string;
}

/** Every path a HistoryServer archives for one bounded application, and some it does not, by label. */
function archivePaths({ app, job, vertex }: ArchiveIds): Record<string, string> {
  const j = `/jobs/${job}`;
  const v = `${j}/vertices/${vertex}`;
  return {
    config: '/config',
    'jobs/overview': '/jobs/overview',
    'applications/overview': '/applications/overview',
    job: j,
    ...Object.fromEntries(['config', 'exceptions', 'accumulators', 'plan', 'checkpoints', 'checkpoints/config', 'jobmanager/config', 'jobmanager/environment', 'status', 'execution-result', 'metrics'].map((p) => [`job/${p}`, `${j}/${p}`])),
    vertex: v,
    ...Object.fromEntries(['subtasktimes', 'taskmanagers', 'subtasks/0/attempts/0', 'subtasks/0/attempts/0/accumulators', 'subtasks/0', 'accumulators', 'backpressure'].map((p) => [`vertex/${p}`, `${v}/${p}`])),
    application: `/applications/${app}`,
    'application/exceptions': `/applications/${app}/exceptions`,
    'application/jobmanager/config': `/applications/${app}/jobmanager/config`,
    'application/status': `/applications/${app}/status`,
    'v1/config': '/v1/config',
    unknown: '/nope',
  };
}

/** Maps whose keys are data (accumulator names, user config, job counts by state). */
const OPAQUE = ['serialized-user-task-accumulators', 'execution-config.user-config', 'applications[].jobs', 'user-task-accumulators'];

/** What a HistoryServer serves at each archive path: status, content type and the body's field paths. */
async function observeArchive(url: string, ids: ArchiveIds): Promise<Record<string, { status: number; type: string | null; fields: string[] }>> {
  const out: Record<string, { status: number; type: string | null; fields: string[] }> = {};
  for (const [label, path] of Object.entries(archivePaths(ids))) {
    const res = await fetch(url + path, { signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    // Keys of user-task accumulators are names, not fields: keep the entry shape only.
    out[label] = { status: res.status, type: res.headers.get('content-type'), fields: keyPaths(body, { opaque: OPAQUE }) };
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(versions)('the HistoryServer on real Flink %s', (version) => {
  const flinkHome = provided.homes[version] as string;
  const jars = provided.jars[version] as Record<string, string>;
  const local = new LocalClusterDescriptor({ flinkHome, slots: 1, historyServer: true });
  afterAll(() => local.shutdown());
  let realArchive: { url: string; ids: ArchiveIds } | undefined;

  it('gives the result and end state of an application cluster that exited by itself, then serves its archive', async () => {
    const started = performance.now();
    const app = await local.deployApplication({
      jar: jars.bounded as string,
      args: ['--job-name', 'archived-app'],
      config: { 'execution.shutdown-on-application-finish': 'true' },
    });
    const jobManager = local.processes.find((p) => p.name === 'jobmanager');
    const changes: ApplicationChange[] = [];
    // Settles to the watch's error (or undefined) so a failure earlier in the test cannot leave it unhandled.
    const watching = (async () => {
      for await (const change of app.watch({ pollIntervalMs: 500 })) changes.push(change);
    })().then(
      () => undefined,
      (err: unknown) => err,
    );

    // The cluster exits ~250 ms after the application ends, taking its REST API with it.
    const first = await app.result({ timeoutMs: 120_000 });
    expect(first.status).toBe('FINISHED');
    await eventually(() => alive(jobManager?.pid ?? -1), (up) => !up, 30_000, 'the application cluster to exit by itself');
    const exitedAt = performance.now();
    await expect(fetch(`${local.restUrl}/v1/config`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow(); // nothing listens there now
    // Now only the archive can answer: the wait rides out the connection errors until it has it.
    expect(await app.waitFor('FINISHED', { timeoutMs: 60_000 })).toBe('FINISHED');
    const archivedAt = performance.now();
    const result = await app.result({ timeoutMs: 10_000 });
    expect(result.status).toBe('FINISHED');
    expect(result.jobs.map((j) => [j.name, j.state])).toEqual([['archived-app', 'FINISHED']]);
    expect(await watching).toBeUndefined();
    expect(changes.at(-1)?.status).toBe('FINISHED');
    expect(changes.map((c) => c.status)).not.toContain('FAILED');
    const [job] = await app.jobs();
    expect((await job?.result({ timeoutMs: 30_000 }))?.accumulators).toMatchObject({ records: { value: '1000' }, sum: { value: '500500' } });

    // The archive, read directly.
    const history = new HistoryServerClient({ url: local.historyServerUrl as string });
    try {
      expect((await history.config()).features['web-history']).toBe(true);
      expect(await history.flinkVersion()).toBe(version);
      expect((await history.listApplications()).map((a) => [a.applicationId, a.status])).toEqual([[app.applicationId, 'FINISHED']]);
      const archivedApp = history.application(app.applicationId);
      expect((await archivedApp.describe()).timestamps.FINISHED).toBeGreaterThan(0);
      expect((await archivedApp.exceptions()).exceptionHistory.entries).toEqual([]);
      expect((await archivedApp.jobManagerConfig()).some((e) => e.key === 'execution.shutdown-on-application-finish')).toBe(true);

      const jobs = await history.listJobs();
      expect(jobs.map((j) => [j.jid, j.state])).toEqual([[job?.jobId, 'FINISHED']]);
      const archived = history.job(job?.jobId as string);
      const details = await archived.describe();
      expect(details['application-id']).toBe(app.applicationId);
      expect(await archived.status()).toBe('FINISHED');
      expect((await archived.config()).name).toBe('archived-app');
      expect((await archived.exceptions()).exceptionHistory.entries).toEqual([]);
      expect((await archived.accumulators())['user-task-accumulators'].map((a) => a.name).sort()).toEqual(['records', 'sum']);
      expect((await archived.plan()).plan.nodes.length).toBe(details.vertices.length);
      expect((await archived.checkpoints()).counts.completed).toBe(0);
      expect(typeof (await archived.checkpointConfig()).mode).toBe('string');
      expect((await archived.jobManagerConfig()).length).toBeGreaterThan(0);
      const vertex = details.vertices[0];
      expect((await archived.vertex(vertex?.id as string).describe()).id).toBe(vertex?.id);
      expect((await archived.result({ timeoutMs: 10_000 })).status).toBe('FINISHED');
      await expect(archived.cancel()).rejects.toBeInstanceOf(ArchiveReadOnlyError);
      await expect(archived.triggerSavepoint({ targetDirectory: '/tmp/never' })).rejects.toBeInstanceOf(ArchiveReadOnlyError);
      realArchive = { url: local.historyServerUrl as string, ids: { app: app.applicationId, job: job?.jobId as string, vertex: vertex?.id as string } };
    } finally {
      await history.close();
    }
    process.stderr.write(
      `[history-server] JobManager exit to the archived answer: ${Math.round(archivedAt - exitedAt)} ms; whole test ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  });

  // The contract of the simulator's HistoryServer profile: the same application run there,
  // archived and served, must answer every archive path with the real one's status, content
  // type and field paths.
  it('serves the shapes the simulated HistoryServer serves', async () => {
    if (!realArchive) throw new Error('needs the archive of the previous test');
    const sim = await createFlinkSimulator({ flinkVersion: version as '2.3.0', timing: 'fast', programs: fixturePrograms, historyServer: { refreshIntervalMs: 200 } });
    const client = new ClusterClient({ url: sim.url, maxRetries: 0 });
    try {
      const { filename, bytes } = fixtureJar('bounded');
      const { jarId } = await client.uploadJar(Readable.from([Buffer.from(bytes)]), { filename });
      const app = await client.runApplication(jarId, { args: ['--job-name', 'archived-app'] });
      expect((await app.result({ timeoutMs: 30_000 })).status).toBe('FINISHED');
      const [job] = await app.jobs();
      await sim.historyServer?.waitForArchive(app.applicationId, { timeoutMs: 30_000 });
      await sim.historyServer?.waitForArchive(job?.jobId as string, { timeoutMs: 30_000 });
      const vertex = (await job?.describe())?.vertices[0]?.id as string;
      const [real, simulated] = await Promise.all([observeArchive(realArchive.url, realArchive.ids), observeArchive(sim.historyServer?.url as string, { app: app.applicationId, job: job?.jobId as string, vertex })]);
      expect(simulated).toEqual(real);
    } finally {
      await client.close();
      await sim.close();
    }
  });
});

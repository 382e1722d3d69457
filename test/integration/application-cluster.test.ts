import { afterAll, describe, expect, inject, it } from 'vitest';
import { FlinkArgumentError, LocalClusterDescriptor } from 'flink-client';
import { atLeast, eventually } from './support.js';

// Application mode (bin/standalone-job.sh): the cluster's JobManager runs the jar's main().
// One application cluster per version; each test file's clusters are its own.
const provided = inject('flink');
const versions = Object.keys(provided.homes);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${url} → ${res.status}`);
  return res.json();
}

describe.each(versions)('application clusters on real Flink %s', (version) => {
  const flinkHome = provided.homes[version] as string;
  const jars = provided.jars[version] as Record<string, string>;
  const native = atLeast(version, '2.3.0');
  const descriptors: LocalClusterDescriptor[] = [];
  afterAll(async () => {
    await Promise.all(descriptors.map((d) => d.shutdown()));
  });

  it('runs the jar as the application, with its args and parallelism, and its result stays readable after it ends; the HistoryServer archives it', async () => {
    const local = new LocalClusterDescriptor({ flinkHome, slots: 2, historyServer: true });
    descriptors.push(local);
    const app = await local.deployApplication({ jar: jars.bounded as string, args: ['--job-name', 'app-mode-bounded'], parallelism: 2 });
    const pids = local.processes.map((p) => p.pid);
    expect(local.processes.map((p) => p.name)).toEqual(['jobmanager', 'taskmanager-1', 'historyserver']);

    const result = await app.result({ timeoutMs: 120_000 });
    expect(result.status).toBe('FINISHED');
    expect(result.emulated).toBe(!native);
    expect(result.jobs.map((j) => j.name)).toEqual(['app-mode-bounded']);
    const [job] = await app.jobs();
    const details = await job?.describe();
    expect(details?.vertices.every((v) => v.parallelism === 2)).toBe(true);
    // The cluster is still up after the end (shutdown-on-application-finish: false): ask again.
    expect(await app.status()).toBe('FINISHED');

    // The JobManager archived the job; the HistoryServer serves it from the archive directory.
    const archived = await eventually(
      () => getJson(`${local.historyServerUrl}/jobs/overview`).then((b) => (b as { jobs: { jid: string; state: string }[] }).jobs, () => []),
      (jobs) => jobs.length > 0,
      60_000,
      'the job in the HistoryServer',
    );
    expect(archived.map((j) => [j.jid, j.state])).toEqual([[job?.jobId, 'FINISHED']]);

    await local.shutdown();
    expect(pids.filter(alive)).toEqual([]);
  });

  it('refuses bad application options before starting anything', async () => {
    const local = new LocalClusterDescriptor({ flinkHome });
    await expect(local.deployApplication({ jar: '/nonexistent.jar' })).rejects.toBeInstanceOf(FlinkArgumentError);
    await expect(local.deployApplication({ jar: jars.bounded as string, parallelism: 0 })).rejects.toBeInstanceOf(FlinkArgumentError);
    await expect(local.deployApplication({ jar: jars.bounded as string, entryClass: 'not a class' })).rejects.toBeInstanceOf(FlinkArgumentError);
    expect(local.processes).toEqual([]);
  });
});

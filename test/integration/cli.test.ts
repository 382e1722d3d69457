import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Child, spawnCli } from '../cli/support.js';
import { eventually, localPath, realClusters, savepointDirs } from './support.js';

// The CLI as a process against the shared real clusters: deploy → savepoint → stop with a
// savepoint → deploy again from it, every step's JSON parsed; on 1.20 `apps list` shows the
// job as an emulated single-job application.

const done = async (child: Child): Promise<{ code: number; stdout: string; stderr: string }> => ({ code: await child.exited, stdout: child.stdout(), stderr: child.stderr() });

describe.each(realClusters())('flink-client CLI against real Flink $version', (flink) => {
  const dir = mkdtempSync(join(tmpdir(), 'flink-cli-it-'));
  const target = `file://${dir}`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (...args: string[]) => {
    const r = await done(spawnCli(['--url', flink.url, '-o', 'json', '--timeout', '3m', ...args]));
    expect(r.code, `flink-client ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  it('deploy → savepoint → stop → deploy from the savepoint', async () => {
    const deployed = await run('deploy', flink.jars.streaming, '-p', '2', '-a', '--rate', '-a', '20');
    const jobId = deployed.jobId as string;
    expect(deployed.jarDeleted).toBe(true);
    // The cluster is shared with other suites that keep their own jars: only this deploy's jar must be gone.
    const jars = (await run('jars', 'list')) as unknown as Array<{ id: string }>;
    expect(jars.map((j) => j.id)).not.toContain(deployed.jarId);

    const savepoint = await run('jobs', 'savepoint', jobId, '--dir', target);
    expect(savepoint.location).toMatch(/savepoint-/);
    expect(await savepointDirs(dir)).toContain(localPath(savepoint.location as string).split('/').at(-1));

    const stopped = await run('jobs', 'stop', jobId, '--dir', target);
    // Flink serves job details from its 3 s REST cache (web.refresh-interval): right after the stop
    // they may still say RUNNING, so describe until FINISHED (the deadline only guards against a hang).
    const details = await eventually(() => run('jobs', 'describe', jobId), (d) => d.state === 'FINISHED', 60_000, 'job described as FINISHED');
    expect(details.state).toBe('FINISHED');

    const resumed = await run('deploy', flink.jars.streaming, '-s', stopped.location as string, '--claim-mode', 'NO_CLAIM');
    const checkpoints = await run('jobs', 'checkpoints', resumed.jobId as string);
    expect((checkpoints.latest as { restored: { external_path: string } | null }).restored?.external_path).toBe(stopped.location);
    const apps = (await run('apps', 'list')) as unknown as Array<{ applicationId: string; emulated: boolean }>;
    expect(apps.find((a) => a.applicationId === resumed.jobId)?.emulated).toBe(flink.version.startsWith('1.'));
    expect((await run('jobs', 'cancel', resumed.jobId as string, '--wait')).state).toBe('CANCELED');

    const gone = await done(spawnCli(['--url', flink.url, 'jobs', 'savepoint', resumed.jobId as string, '--dir', target]));
    expect(gone.code).toBe(4);
  });
  it('jobs metrics of a running job, and the JobManager log (tail, list, follow until SIGINT)', async () => {
    const { jobId } = (await run('deploy', flink.jars.streaming, '-p', '1')) as { jobId: string };
    try {
      // Metrics reach the REST API with the JobManager's metric fetcher (every 10 s by default): right
      // after the start even the job's metric names can be empty, so list until they appear.
      const names = (await eventually(() => run('jobs', 'metrics', jobId), (n) => (n as unknown as string[]).includes('numRestarts'), 60_000, 'job metric names')) as unknown as string[];
      expect(names).toContain('numRestarts');
      expect(await run('jobs', 'metrics', jobId, '--get', 'numRestarts')).toEqual({ numRestarts: 0 });
      const perVertex = (await run('jobs', 'metrics', jobId, '--vertex', 'all', '--get', 'numRecordsOut', '--agg', 'sum')) as unknown as Array<{ vertexId: string; metrics: Record<string, { sum?: number }> }>;
      // Task metrics reach the REST API with the JobManager's metric fetcher (every 10 s by default),
      // so right after the start a vertex may report none yet: only the shape is certain.
      expect(perVertex.length).toBeGreaterThan(0);
      for (const v of perVertex) {
        expect(v.vertexId).toMatch(/^[0-9a-f]{32}$/);
        if (v.metrics.numRecordsOut) expect(typeof v.metrics.numRecordsOut.sum).toBe('number');
      }
    } finally {
      await run('jobs', 'cancel', jobId, '--wait');
    }

    const list = (await run('logs', '--list')) as unknown as Array<{ name: string; size: number }>;
    expect(list.some((f) => f.name.endsWith('.log'))).toBe(true);
    const tail = await done(spawnCli(['--url', flink.url, 'logs', '--tail', '5']));
    expect(tail.code, tail.stderr).toBe(0);
    expect(tail.stdout.split('\n').slice(0, -1).length).toBeLessThanOrEqual(5);
    const follow = spawnCli(['--url', flink.url, 'logs', '-f', '--tail', '1', '--interval', '200']);
    await follow.line(/./);
    follow.process.kill('SIGINT');
    expect(await follow.exited).toBe(0);
  }, 300_000);
});

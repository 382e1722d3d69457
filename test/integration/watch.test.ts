import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ApplicationChange, type JobChange, type WatchChange, type WatchErrorEvent } from 'flink-client';
import { hexId } from '../support/ids.js';
import { eventually, readCount, realClusters, sharedCluster } from './support.js';

describe.each(realClusters())('watching a job on real Flink $version', (flink) => {
  const { cluster, jarIds } = sharedCluster(flink, ['streaming']);
  const scratch = mkdtempSync(join(flink.workDir, 'watch-'));

  it('sees a job run, stop with a savepoint and end: RUNNING, then FINISHED, then the iterators end', async () => {
    // The job id is chosen here, so the watchers start before the job exists.
    const jobId = hexId();
    const requests: string[] = [];
    cluster.on('request', (e) => requests.push(`${e.method} ${e.path}`));

    const clusterChanges: WatchChange[] = [];
    const terminal: WatchChange[] = [];
    const errors: WatchErrorEvent[] = [];
    // changes: 'all' also reports task-level progress, which tells when the job really runs.
    const watcher = cluster.watch({ jobs: 'all', pollIntervalMs: 200, changes: 'all' });
    watcher.on('added', (c) => clusterChanges.push(c));
    watcher.on('status', (c) => clusterChanges.push(c));
    watcher.on('terminal', (c) => terminal.push(c));
    watcher.on('error', (e) => errors.push(e));
    watcher.start();

    const jobChanges: JobChange[] = [];
    const jobDone = (async () => {
      for await (const c of cluster.job(jobId).watch({ pollIntervalMs: 200 })) jobChanges.push(c);
    })();
    const appChanges: ApplicationChange[] = [];
    const appDone = (async () => {
      for await (const c of cluster.application(jobId).watch({ pollIntervalMs: 200 })) appChanges.push(c);
    })();

    const out = join(scratch, 'counter');
    const job = await cluster.runJar(jarIds.streaming, { jobId, args: ['--out', out, '--rate', '50'], parallelism: 1 });
    expect(job.jobId).toBe(jobId);
    await eventually(() => jobChanges.map((c) => c.status), (s) => s.includes('RUNNING'), 60_000, 'the watcher saw RUNNING');
    // The job is RUNNING seconds before its tasks are, and a savepoint needs them all running.
    const allTasksRunning = (c: WatchChange) => c.resource === 'job' && c.jobId === jobId && c.details.tasks.running === c.details.tasks.total;
    await eventually(() => clusterChanges.some(allTasksRunning), (ok) => ok, 60_000, 'all tasks running');
    await eventually(() => readCount(out), (c) => (c ?? 0) > 0, 60_000, 'the counter written');

    const savepoint = await (await job.stopWithSavepoint({ targetDirectory: `file://${join(scratch, 'savepoints')}` })).result({ timeoutMs: 60_000 });
    expect(savepoint).toMatch(/savepoint-/);
    await Promise.race([Promise.all([jobDone, appDone]), new Promise((_, reject) => setTimeout(() => reject(new Error('watchers did not end')), 60_000))]);
    watcher.stop();

    // The job iterator: first sighting, RUNNING on the way, FINISHED last, each change chained to the one before.
    const statuses = jobChanges.map((c) => c.status);
    expect(jobChanges[0]?.type).toBe('added');
    expect(statuses).toContain('RUNNING');
    expect(statuses.at(-1)).toBe('FINISHED');
    expect(new Set(statuses).size).toBe(statuses.length);
    jobChanges.slice(1).forEach((c, i) => expect(c.previousStatus).toBe(statuses[i]));
    expect(jobChanges.at(-1)?.details).toMatchObject({ jid: jobId, state: 'FINISHED' });

    // Its single-job application (native on 2.3, derived from the job before) ends FINISHED too.
    expect(appChanges.map((c) => c.status).at(-1)).toBe('FINISHED');
    expect(appChanges.every((c) => c.details.emulated === !flink.version.startsWith('2.3'))).toBe(true);

    // The cluster watcher saw the same status changes (among task-level ones), a terminal notice, and no error.
    const mine = clusterChanges.filter((c): c is JobChange => c.resource === 'job' && c.jobId === jobId);
    expect(mine.filter((c) => c.previousStatus !== c.status).map((c) => c.status)).toEqual(statuses);
    // changes: 'all' carried task-level progress: some change showed every task running (it may be
    // the first sighting itself when the tasks deploy before the first poll sees the job).
    expect(mine.some(allTasksRunning)).toBe(true);
    expect(terminal.filter((c) => c.resource === 'job' && c.jobId === jobId).map((c) => c.status)).toEqual(['FINISHED']);
    expect(errors).toEqual([]);

    // Watching cost overview polls only: never a per-job status or details request.
    expect(requests.filter((r) => r.startsWith('GET /jobs/') && r !== 'GET /jobs/overview' && !r.includes('/savepoints/'))).toEqual([]);
    expect(cluster.watchPollers().length).toBe(0);
  });
});

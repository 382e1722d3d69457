import { afterEach, describe, expect, it } from 'vitest';
import { ClusterClient, type JobChange, type WatchChange, type WatchErrorEvent } from 'flink-client';
import { createFlinkSimulator, type FlinkSimulator } from 'flink-client/testing';

// Watchers against the Flink simulator: a JobManager that restarts (with and without its state)
// and an overview route that fails for a while. The simulator runs on a virtual clock, so jobs
// change state only when the test says so; only the JobManager's downtime is wall time.

let sim: FlinkSimulator | undefined;
let cluster: ClusterClient | undefined;

afterEach(async () => {
  await cluster?.close();
  await sim?.close();
  cluster = undefined;
  sim = undefined;
});

async function until(ok: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Statuses a watcher reported for one job, checking they chain (each previous is the last reported). */
function chain(changes: WatchChange[], jobId: string): string[] {
  const mine = changes.filter((c): c is JobChange => c.resource === 'job' && c.jobId === jobId);
  const statuses: string[] = [];
  for (const c of mine) {
    if (c.type === 'added') expect(c.previousStatus).toBeUndefined();
    else if (c.type === 'status') expect(c.previousStatus).toBe(statuses.at(-1));
    statuses.push(c.type === 'removed' ? `removed(${c.status})` : c.status);
  }
  return statuses;
}

async function start(keep: { flinkVersion?: '2.3.0' | '1.20.5' } = {}) {
  sim = await createFlinkSimulator({ clock: 'virtual', timing: 'fast', flinkVersion: keep.flinkVersion });
  cluster = new ClusterClient({ url: sim.url, maxRetries: 0 });
  return { sim, cluster };
}

describe('watching through a JobManager restart (simulator)', () => {
  it('resumes the stream with state kept: no change lost, none twice', async () => {
    const { sim, cluster } = await start();
    const a = sim.jobs.submit({ name: 'bounded' });
    const b = sim.jobs.submit({ name: 'streaming' });
    sim.clock.advance(100);
    const changes: WatchChange[] = [];
    const errors: WatchErrorEvent[] = [];
    const watcher = cluster.watch({ jobs: 'all', pollIntervalMs: 20 });
    watcher.on('added', (c) => changes.push(c)).on('status', (c) => changes.push(c)).on('removed', (c) => changes.push(c)).on('error', (e) => errors.push(e));
    watcher.start();
    const seenByIterator: string[] = [];
    const iteration = (async () => {
      for await (const c of cluster.job(a.id).watch({ pollIntervalMs: 20 })) seenByIterator.push(c.status);
    })();
    await until(() => changes.length === 2 && seenByIterator.length === 1, 'initial state');

    // Job a ends as the JobManager goes down: no poll has seen FINISHED before it is away.
    a.finish();
    const restart = sim.faults.restartJobManager({ downMs: 1_000, keepState: true });
    await until(() => errors.length > 0, 'a failed poll while the JobManager is down');
    await restart;
    await iteration;
    // b recovers: INITIALIZING until the clock moves, then RUNNING again.
    await until(() => chain(changes, b.id).at(-1) === 'INITIALIZING', 'b recovering');
    sim.clock.advance(100);
    await until(() => chain(changes, b.id).at(-1) === 'RUNNING', 'b running again');
    watcher.stop();

    expect(chain(changes, a.id)).toEqual(['RUNNING', 'FINISHED']);
    expect(seenByIterator).toEqual(['RUNNING', 'FINISHED']);
    expect(chain(changes, b.id)).toEqual(['RUNNING', 'INITIALIZING', 'RUNNING']);
    expect(errors.every((e) => !e.fatal && e.error.code === 'FLINK_CONNECTION_ERROR')).toBe(true);
  });

  it('reports every job removed when the JobManager comes back without its state', async () => {
    const { sim, cluster } = await start();
    const a = sim.jobs.submit({ name: 'one' });
    const b = sim.jobs.submit({ name: 'two' });
    sim.clock.advance(100);
    const changes: WatchChange[] = [];
    const watcher = cluster.watch({ jobs: [a.id, b.id], pollIntervalMs: 20 });
    watcher.on('added', (c) => changes.push(c)).on('removed', (c) => changes.push(c)).start();
    const ended: JobChange[] = [];
    const iteration = (async () => {
      for await (const c of cluster.job(b.id).watch({ pollIntervalMs: 20 })) ended.push(c);
    })();
    await until(() => changes.length === 2, 'initial state');
    await sim.faults.restartJobManager({ downMs: 200, keepState: false });
    await iteration;
    await until(() => changes.length === 4, 'removals');
    watcher.stop();
    expect(chain(changes, a.id)).toEqual(['RUNNING', 'removed(RUNNING)']);
    expect(chain(changes, b.id)).toEqual(['RUNNING', 'removed(RUNNING)']);
    expect(ended.map((c) => c.type)).toEqual(['added', 'removed']);
  });

  it('reports a cancellation that happened while the overview route failed', async () => {
    const { sim, cluster } = await start();
    const job = sim.jobs.submit({ name: 'victim' });
    sim.clock.advance(100);
    const errors: WatchErrorEvent[] = [];
    const seen: JobChange[] = [];
    const iteration = (async () => {
      for await (const c of cluster.job(job.id).watch({ pollIntervalMs: 20, onError: (e) => errors.push(e) })) seen.push(c);
    })();
    await until(() => seen.length === 1, 'initial state');
    const fault = sim.faults.leaderElection({ path: '/jobs/overview' });
    await until(() => errors.length >= 2, 'polls failing with 503');
    job.cancel();
    sim.clock.advance(100);
    fault.remove();
    await iteration;
    expect(seen.map((c) => `${c.previousStatus ?? '-'}>${c.status}`)).toEqual(['->RUNNING', 'RUNNING>CANCELED']);
    expect(errors.every((e) => !e.fatal && e.error.code === 'FLINK_SERVER_ERROR')).toBe(true);
  });

  it('follows an application to its end on Flink 2.3 and, emulated, on 1.20', async () => {
    for (const flinkVersion of ['2.3.0', '1.20.5'] as const) {
      const { sim, cluster } = await start({ flinkVersion });
      const job = sim.jobs.submit({ name: 'app-job' });
      const appId = job.applicationId ?? job.id;
      sim.clock.advance(100);
      const seen: string[] = [];
      const iteration = (async () => {
        for await (const c of cluster.application(appId).watch({ pollIntervalMs: 20 })) seen.push(`${c.status}${c.details.emulated ? ' emulated' : ''}`);
      })();
      await until(() => seen.length === 1, 'initial state');
      job.finish();
      sim.clock.advance(5_000);
      await iteration;
      const suffix = flinkVersion === '1.20.5' ? ' emulated' : '';
      expect(seen).toEqual([`RUNNING${suffix}`, `FINISHED${suffix}`]);
      await cluster.close();
      await sim.close();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ApplicationChange,
  ClusterClient,
  type JobChange,
  type JobClient,
  LocalClusterDescriptor,
  type LocalJobManager,
  OperationLostError,
  OperationNotFoundError,
} from 'flink-client';
import { atLeast, eventually, localPath, readCount } from './support.js';

// The HA fault matrix (issue 13): one HA cluster per version (two JobManagers under the
// descriptor's own ZooKeeper, one TaskManager) for the whole file. The leader is SIGKILLed during
// a runJar, a watch, a savepoint, a stop-with-savepoint and an application run, in that order;
// after each kill the killed JobManager is started again as the standby for the next one.
// The SDK is configured as a user would: both JobManagers' URLs, default retries.
const provided = inject('flink');
const versions = Object.keys(provided.homes);

/** Flink's default session timeout is 60 s (the ZooKeeper caps it at 20 ticks, 40 s); 8 s here. */
const SESSION_TIMEOUT_MS = 8_000;
/** Guards against hangs only: a failover takes a session timeout plus the recovery. */
const FAILOVER_DEADLINE_MS = 150_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const newId = (): string => randomBytes(16).toString('hex');

/** An error as one line for the report: class, code, message head. */
const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name} ${(error as { code?: string }).code ?? ''}: ${error.message.replace(/\s+/g, ' ').slice(0, 400)}` : String(error);

/** What one kill measured, printed at the end of the file. */
interface Measured {
  scenario: string;
  killed: string;
  /** Kill to the first answer from the new leader (an overview with a TaskManager). */
  firstAnswerMs: number;
  /** Kill to the first change a watcher reported. */
  firstWatchChangeMs: number | undefined;
  /** Kill to the first poll failure a watcher reported (`onError`): how it tells of the outage. */
  firstWatchErrorMs: number | undefined;
  /** Kill to the job (or application) RUNNING again. */
  runningAgainMs: number | undefined;
  note: string;
}

/** Collects a watch's changes with the time each arrived; `done` settles when the iterator ends. */
function collect<C>(iterator: AsyncIterable<C>): { changes: { change: C; at: number }[]; done: Promise<void> } {
  const changes: { change: C; at: number }[] = [];
  const done = (async () => {
    for await (const change of iterator) changes.push({ change, at: Date.now() });
  })();
  return { changes, done };
}

describe.each(versions)('the HA fault matrix on real Flink %s', (version) => {
  const flinkHome = provided.homes[version] as string;
  const jars = provided.jars[version] as Record<string, string>;
  const native = atLeast(version, '2.3.0');
  const measured: Measured[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  let descriptor: LocalClusterDescriptor;
  let cluster: ClusterClient;
  let pids: number[] = [];
  let scratch = '';
  let jarId = '';
  let job: JobClient;
  let jobWatch: { changes: { change: JobChange; at: number }[]; done: Promise<void> };
  /** The transient poll failures the job's watcher rode out, with when. */
  const watchErrors: { error: string; at: number }[] = [];
  /** Every savepoint path the SDK handed out: each must exist on disk at the end. */
  const savepointPaths: string[] = [];
  /** The JobManager killed last, to be started again before the next kill. */
  let restarting: Promise<LocalJobManager> | undefined;

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    descriptor = new LocalClusterDescriptor({
      flinkHome,
      jobManagers: 2,
      taskManagers: 1,
      slots: 4,
      configuration: { 'high-availability.zookeeper.client.session-timeout': String(SESSION_TIMEOUT_MS) },
      // Only a guard: three JVMs starting at once on two shared cores took over 2 min once.
      startupTimeoutMs: 300_000,
    });
    await descriptor.deploy();
    pids = descriptor.processes.map((p) => p.pid);
    cluster = new ClusterClient({ url: descriptor.restUrls });
    scratch = mkdtempSync(join(descriptor.workDir as string, 'ha-'));
    jarId = (await cluster.uploadJar(jars.streaming as string)).jarId;
  }, 360_000);

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await restarting?.catch(() => undefined);
    await cluster?.close();
    const all = [...pids, ...(descriptor?.processes.map((p) => p.pid) ?? [])];
    await descriptor?.shutdown();
    process.stderr.write(
      `[ha ${version}] session timeout ${SESSION_TIMEOUT_MS} ms\n` +
        measured
          .map(
            (m) =>
              `[ha ${version}] ${m.scenario}: killed ${m.killed}; first answer ${m.firstAnswerMs} ms, first watch error ${m.firstWatchErrorMs ?? '-'} ms, ` +
              `first watch change ${m.firstWatchChangeMs ?? '-'} ms, running again ${m.runningAgainMs ?? '-'} ms; ${m.note}\n`,
          )
          .join(''),
    );
    expect(all.filter(alive)).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 120_000);

  /** Waits for the standby started after the last kill, then SIGKILLs the leader. */
  async function killLeader(): Promise<{ leader: LocalJobManager; killedAt: number }> {
    await restarting;
    const leader = (await eventually(() => descriptor.leaderJobManager(), (l) => l !== undefined, 60_000, 'a leader')) as LocalJobManager;
    const killedAt = Date.now();
    process.kill(leader.pid, 'SIGKILL');
    return { leader, killedAt };
  }

  /** Polls (through the SDK's failover) until the new leader answers; then starts the killed JobManager again as the standby. */
  async function awaitNewLeader(leader: LocalJobManager, killedAt: number): Promise<number> {
    await eventually(
      () => cluster.overview({ timeoutMs: 5_000 }).then((o) => o.taskmanagers, () => -1),
      (tms) => tms >= 1,
      FAILOVER_DEADLINE_MS,
      'an answer from the new leader',
    );
    const firstAnswerMs = Date.now() - killedAt;
    const next = await eventually(() => descriptor.leaderJobManager(), (l) => l !== undefined && l.name !== leader.name, FAILOVER_DEADLINE_MS, 'a new leader');
    expect(next?.name).not.toBe(leader.name);
    await eventually(() => !alive(leader.pid), (gone) => gone, 10_000, 'the killed JobManager gone');
    restarting = descriptor.restartJobManager(descriptor.restUrls.indexOf(leader.restUrl));
    return firstAnswerMs;
  }

  const firstErrorAfter = (killedAt: number): number | undefined => {
    const first = watchErrors.find((e) => e.at > killedAt);
    return first && first.at - killedAt;
  };
  const firstChangeAfter = <C>(changes: { change: C; at: number }[], killedAt: number): number | undefined => {
    const first = changes.find((c) => c.at > killedAt);
    return first && first.at - killedAt;
  };

  it('deploys ZooKeeper, two JobManagers and a TaskManager on 127.0.0.1; a standby answers too (it forwards to the leader)', async () => {
    expect(descriptor.processes.map((p) => p.name)).toEqual(['zookeeper', 'jobmanager-1', 'jobmanager-2', 'taskmanager-1']);
    expect(descriptor.restUrls.every((u) => new URL(u).hostname === '127.0.0.1')).toBe(true);
    for (const url of descriptor.restUrls) {
      const one = new ClusterClient({ url });
      try {
        expect((await one.overview())['slots-total']).toBe(4);
      } finally {
        await one.close();
      }
    }
    const leader = await eventually(() => descriptor.leaderJobManager(), (l) => l !== undefined, 30_000, 'a leader');
    expect(descriptor.restUrls).toContain(leader?.restUrl);
    await expect(descriptor.restartJobManager(0)).rejects.toThrow(/still running/);
  });

  it('runJar: a SIGKILL of the leader while the run request is in flight submits the job once, under the id the client chose', async () => {
    const jobId = newId();
    const out = join(scratch, 'counter');
    job = cluster.job(jobId);
    // The watcher starts before the job exists: it reports the job when it appears.
    jobWatch = collect(job.watch({ pollIntervalMs: 250, onError: (e) => watchErrors.push({ error: e.error.code, at: Date.now() }) }));
    const wire: string[] = [];
    let kill: Promise<{ leader: LocalJobManager; killedAt: number }> | undefined;
    const onRequest = (e: { method: string; path: string; url: string; attempt: number }): void => {
      if (e.method !== 'POST' || !e.path.endsWith('/run')) return;
      wire.push(`→ ${new URL(e.url).port} attempt ${e.attempt}`);
      kill ??= killLeader();
    };
    const onResponse = (e: { method: string; path: string; url: string; status: number }): void => {
      if (e.method === 'POST' && e.path.endsWith('/run')) wire.push(`← ${new URL(e.url).port} ${e.status}`);
    };
    const onRetry = (e: { path: string; error: Error }): void => {
      if (e.path.endsWith('/run')) wire.push(`retry after ${(e.error as { code?: string }).code}`);
    };
    cluster.on('request', onRequest).on('response', onResponse).on('retry', onRetry);
    await restarting;
    const run = await cluster
      .runJar(jarId, { jobId, args: ['--out', out, '--rate', '50', '--checkpoint-interval', '500'], parallelism: 1 })
      .then((j) => ({ job: j }), (error: unknown) => ({ error }));
    cluster.off('request', onRequest).off('response', onResponse).off('retry', onRetry);
    const { leader, killedAt } = await (kill as Promise<{ leader: LocalJobManager; killedAt: number }>);
    const firstAnswerMs = await awaitNewLeader(leader, killedAt);
    let note = `wire: ${wire.join(', ')}`;
    if ('error' in run) {
      // The run failed typed; the same job id makes running it again safe: Flink rejects a
      // second submission of a known id, which the client resolves to that job.
      note += `; first run rejected: ${describeError(run.error)}`;
      const again = await cluster.runJar(jarId, { jobId, args: ['--out', out, '--rate', '50', '--checkpoint-interval', '500'], parallelism: 1 });
      expect(again.jobId).toBe(jobId);
    } else {
      expect(run.job.jobId).toBe(jobId);
    }
    await job.ready({ timeoutMs: FAILOVER_DEADLINE_MS });
    const runningAgainMs = Date.now() - killedAt;
    // One job, under the chosen id: no second submission.
    expect((await cluster.listJobs()).map((j) => j.jid)).toEqual([jobId]);
    measured.push({ scenario: 'runJar', killed: leader.name, firstAnswerMs, firstWatchErrorMs: firstChangeAfter(watchErrors.map((e) => ({ change: e, at: e.at })), killedAt), firstWatchChangeMs: firstChangeAfter(jobWatch.changes, killedAt), runningAgainMs, note });
  }, 300_000);

  it('watch: after a SIGKILL of the leader the same job comes back RUNNING from its last checkpoint and the watch reports it', async () => {
    const out = join(scratch, 'counter');
    await eventually(async () => (await job.checkpoints()).counts.completed, (n) => n >= 2, 60_000, 'two completed checkpoints');
    // A savepoint completed before the kill: its path survives; the new leader will not know its trigger id.
    const before = await job.triggerSavepoint({ targetDirectory: `file://${join(scratch, 'savepoints')}` });
    savepointPaths.push(await before.result({ timeoutMs: 60_000 }));
    const seenBefore = jobWatch.changes.length;
    const countAtKill = readCount(out) ?? 0;
    const { leader, killedAt } = await killLeader();
    const firstAnswerMs = await awaitNewLeader(leader, killedAt);
    await job.ready({ timeoutMs: FAILOVER_DEADLINE_MS });
    const runningAgainMs = Date.now() - killedAt;
    // The watcher tells of the outage (its polls fail and it rides them out) and carries on.
    expect(watchErrors.filter((e) => e.at > killedAt).length).toBeGreaterThan(0);
    expect((await cluster.listJobs()).map((j) => j.jid)).toEqual([job.jobId]);
    // Restored from a checkpoint, the count goes on; a fresh start would begin again at 1.
    await eventually(() => readCount(out) ?? 0, (c) => c > countAtKill, 60_000, 'the counter moving on');
    expect(readCount(out)).toBeGreaterThan(1);
    const lost = await job.savepointOperation(before.triggerId).status().catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(OperationNotFoundError);
    const after = jobWatch.changes.slice(seenBefore).map((c) => c.change.status);
    const errorsAfter = watchErrors.filter((e) => e.at > killedAt);
    measured.push({
      scenario: 'watch',
      killed: leader.name,
      firstAnswerMs,
      firstWatchErrorMs: errorsAfter[0] && errorsAfter[0].at - killedAt,
      firstWatchChangeMs: firstChangeAfter(jobWatch.changes, killedAt),
      runningAgainMs,
      note: `watch after the kill: statuses [${after.join(' → ')}], errors ridden out: ${[...new Set(errorsAfter.map((e) => e.error))].join(', ')} (${errorsAfter.length})`,
    });
  }, 300_000);

  /**
   * Triggers `kind` with its own trigger id, kills the leader at once, and follows the operation:
   * either its result survived, or the SDK says it was lost (typed) and the same trigger id takes it
   * again, safely (the new leader would answer a trigger id it knew with that operation).
   */
  async function operationAcrossFailover(kind: 'savepoint' | 'stop'): Promise<{ path: string; leader: LocalJobManager; killedAt: number; firstAnswerMs: number; note: string }> {
    const targetDirectory = `file://${join(scratch, 'savepoints')}`;
    await restarting;
    await job.ready({ timeoutMs: 60_000 });
    const trigger = (triggerId?: string) => (kind === 'savepoint' ? job.triggerSavepoint({ targetDirectory, triggerId }) : job.stopWithSavepoint({ targetDirectory, triggerId }));
    const operation = await trigger();
    const { leader, killedAt } = await killLeader();
    const outcome = await operation.result({ timeoutMs: FAILOVER_DEADLINE_MS }).then((path) => ({ path }), (error: unknown) => ({ error }));
    const firstAnswerMs = await awaitNewLeader(leader, killedAt);
    if ('path' in outcome) {
      savepointPaths.push(outcome.path);
      return { path: outcome.path, leader, killedAt, firstAnswerMs, note: 'the result survived the failover' };
    }
    expect(outcome.error, describeError(outcome.error)).toBeInstanceOf(OperationLostError);
    const lost = outcome.error as OperationLostError;
    expect(lost).toBeInstanceOf(OperationNotFoundError);
    expect(lost.code).toBe('FLINK_OPERATION_LOST');
    expect(lost.triggerId).toBe(operation.triggerId);
    expect(lost.jobId).toBe(job.jobId);
    // The documented way on: the same trigger id again, once the job runs.
    await job.ready({ timeoutMs: FAILOVER_DEADLINE_MS });
    const again = await trigger(lost.triggerId);
    expect(again.triggerId).toBe(lost.triggerId);
    const path = await again.result({ timeoutMs: 120_000 });
    savepointPaths.push(path);
    return { path, leader, killedAt, firstAnswerMs, note: `lost, typed (${lost.code}); taken again under the same trigger id` };
  }

  it('savepoint: a SIGKILL of the leader during a savepoint loses no path: the result, or a typed OperationLostError and a safe re-trigger', async () => {
    const seenBefore = jobWatch.changes.length;
    const { path, leader, killedAt, firstAnswerMs, note } = await operationAcrossFailover('savepoint');
    expect(existsSync(join(localPath(path), '_metadata'))).toBe(true);
    await job.ready({ timeoutMs: FAILOVER_DEADLINE_MS });
    const runningAgainMs = Date.now() - killedAt;
    expect((await cluster.listJobs()).map((j) => j.jid)).toEqual([job.jobId]);
    const after = jobWatch.changes.slice(seenBefore).map((c) => c.change.status);
    measured.push({ scenario: 'savepoint', killed: leader.name, firstAnswerMs, firstWatchErrorMs: firstErrorAfter(killedAt), firstWatchChangeMs: firstChangeAfter(jobWatch.changes, killedAt), runningAgainMs, note: `${note}; watch: ${after.join(' → ')}` });
  }, 300_000);

  it('stop-with-savepoint: a SIGKILL of the leader during the stop ends the job once, with its savepoint; the watch reports FINISHED once and ends', async () => {
    const seenBefore = jobWatch.changes.length;
    const { path, leader, killedAt, firstAnswerMs, note } = await operationAcrossFailover('stop');
    expect(existsSync(join(localPath(path), '_metadata'))).toBe(true);
    expect(await job.waitFor('FINISHED', { timeoutMs: 60_000 })).toBe('FINISHED');
    await jobWatch.done;
    const statuses = jobWatch.changes.map((c) => c.change.status);
    expect(statuses.filter((s) => s === 'FINISHED')).toHaveLength(1);
    expect(statuses.at(-1)).toBe('FINISHED');
    // Every savepoint the SDK reported is on disk.
    for (const p of savepointPaths) expect(existsSync(join(localPath(p), '_metadata')), p).toBe(true);
    const after = jobWatch.changes.slice(seenBefore).map((c) => c.change.status);
    measured.push({ scenario: 'stop-with-savepoint', killed: leader.name, firstAnswerMs, firstWatchErrorMs: firstErrorAfter(killedAt), firstWatchChangeMs: firstChangeAfter(jobWatch.changes, killedAt), runningAgainMs: undefined, note: `${note}; watch: ${after.join(' → ')}; all statuses: ${statuses.join(' → ')}` });
  }, 300_000);

  it(`application run${native ? '' : ' (the emulated single-job view)'}: a SIGKILL of the leader while the application runs starts nothing twice`, async () => {
    const out = join(scratch, 'app-counter');
    const args = ['--out', out, '--rate', '50', '--checkpoint-interval', '500'];
    await restarting;
    const app = native ? await cluster.runApplication(jarId, { args, parallelism: 1 }) : cluster.application((await cluster.runJar(jarId, { args, parallelism: 1 })).jobId);
    const appErrors: number[] = [];
    const appWatch = collect<ApplicationChange>(app.watch({ pollIntervalMs: 250, onError: () => appErrors.push(Date.now()) }));
    await eventually(() => app.describe().then((d) => d.status), (s) => s === 'RUNNING', 90_000, 'the application RUNNING');
    const [appJob] = await eventually(() => app.jobs(), (j) => j.length === 1, 90_000, "the application's job");
    const appJobClient = cluster.job((appJob as { jobId: string }).jobId);
    await appJobClient.ready({ timeoutMs: 90_000 });
    await eventually(async () => (await appJobClient.checkpoints()).counts.completed, (n) => n >= 1, 60_000, 'a completed checkpoint');
    const countAtKill = readCount(out) ?? 0;
    const seenBefore = appWatch.changes.length;
    const { leader, killedAt } = await killLeader();
    const firstAnswerMs = await awaitNewLeader(leader, killedAt);
    // The new leader answers before it has recovered the application: its job is 404 until then.
    await eventually(
      () => appJobClient.status().then((st) => st as string, (e: unknown) => (e instanceof Error && (e as { code?: string }).code === 'FLINK_JOB_NOT_FOUND' ? 'NOT_YET_RECOVERED' : Promise.reject(e))),
      (st) => st !== 'NOT_YET_RECOVERED',
      FAILOVER_DEADLINE_MS,
      "the application's job recovered by the new leader",
    );
    await appJobClient.ready({ timeoutMs: FAILOVER_DEADLINE_MS });
    const runningAgainMs = Date.now() - killedAt;
    // The same application and job, once each: nothing submitted again.
    const apps = await cluster.listApplications();
    expect(apps.filter((a) => a.applicationId === app.applicationId).map((a) => a.status)).toEqual(['RUNNING']);
    expect(apps.filter((a) => a.status === 'RUNNING').map((a) => a.applicationId)).toEqual([app.applicationId]);
    expect((await app.jobs()).map((j) => j.jobId)).toEqual([appJobClient.jobId]);
    expect((await cluster.listJobs()).filter((j) => j.state === 'RUNNING').map((j) => j.jid)).toEqual([appJobClient.jobId]);
    await eventually(() => readCount(out) ?? 0, (c) => c > countAtKill, 60_000, 'the counter moving on');
    await app.cancel();
    expect(await app.waitFor('CANCELED', { timeoutMs: 60_000 })).toBe('CANCELED');
    await appWatch.done;
    const statuses = appWatch.changes.map((c) => c.change.status);
    expect(statuses.filter((s) => s === 'CANCELED')).toHaveLength(1);
    expect(statuses.at(-1)).toBe('CANCELED');
    const after = appWatch.changes.slice(seenBefore).map((c) => c.change.status);
    const firstAppError = appErrors.find((at) => at > killedAt);
    measured.push({ scenario: 'application run', killed: leader.name, firstAnswerMs, firstWatchErrorMs: firstAppError && firstAppError - killedAt, firstWatchChangeMs: firstChangeAfter(appWatch.changes, killedAt), runningAgainMs, note: `application watch after the kill: ${after.join(' → ')}` });
  }, 300_000);
});

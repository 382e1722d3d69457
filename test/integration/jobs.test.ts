import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FlinkConflictError,
  JarNotFoundError,
  JobFailedError,
  JobNotFoundError,
  OperationNotFoundError,
} from 'flink-client';
import { hexId } from '../support/ids.js';
import { eventually, localPath, readCount, realClusters, savepointDirs, sharedCluster } from './support.js';

describe.each(realClusters())('FLIP-74 job lifecycle against real Flink $version', (flink) => {
  const { cluster, jarIds } = sharedCluster(flink, ['streaming', 'bounded', 'failing']);
  const scratch = mkdtempSync(join(flink.workDir, 'test-'));

  it('reports the cluster: version, overview, task managers, configuration', async () => {
    expect(await cluster.flinkVersion()).toBe(flink.version);
    const overview = await cluster.overview();
    expect(overview['slots-total']).toBeGreaterThanOrEqual(8);
    expect(await cluster.listTaskManagers()).toHaveLength(1);
    expect((await cluster.jobManagerConfig()).find((e) => e.key === 'rest.port')?.value).toBe(new URL(flink.url).port);
  });

  it('uploads, lists, plans and deletes a jar', async () => {
    const { jarId } = await cluster.uploadJar(flink.jars.bounded, { filename: 'plan-me.jar' });
    expect(jarId).toMatch(/_plan-me\.jar$/);
    const listed = await cluster.listJars();
    const entry = listed.find((f) => f.id === jarId);
    expect(entry?.name).toBe('plan-me.jar');
    expect(entry?.entry[0]?.name).toBe('flinkclient.fixtures.BoundedAccumulatorJob');
    const plan = await cluster.planJar(jarId, { parallelism: 2 });
    expect(plan.plan.nodes.length).toBeGreaterThan(0);
    expect(plan.plan.nodes.every((n) => n.parallelism === 2)).toBe(true);
    await cluster.deleteJar(jarId);
    expect((await cluster.listJars()).some((f) => f.id === jarId)).toBe(false);
    // Flink answers a second delete with 400 "File ... does not exist": the SDK names the jar.
    await expect(cluster.deleteJar(jarId)).rejects.toBeInstanceOf(JarNotFoundError);
    await expect(cluster.runJar(jarId)).rejects.toBeInstanceOf(JarNotFoundError);
  });

  it('runs the bounded job: result() gives the net runtime and the user accumulators', async () => {
    const job = await cluster.runJar(jarIds.bounded as string, { parallelism: 2 });
    const result = await job.result({ timeoutMs: 60_000 });
    expect(result.status).toBe('FINISHED');
    expect(result.netRuntimeMs).toBeGreaterThan(0);
    expect(result.accumulators).toEqual({ records: { type: 'IntCounter', value: '1000' }, sum: { type: 'LongCounter', value: '500500' } });
    expect(await job.status()).toBe('FINISHED');
    const acc = await job.accumulators();
    expect(acc['user-task-accumulators'].find((a) => a.name === 'sum')?.value).toBe('500500');
    const details = await job.describe();
    expect(details.jid).toBe(job.jobId);
    expect(details.name).toBe('flink-client-fixture-bounded-accumulators');
    // Cancelling a FINISHED job: Flink answers 409.
    await expect(job.cancel()).rejects.toBeInstanceOf(FlinkConflictError);
  });

  it('the failing job: result() rejects with JobFailedError naming the exception, exceptions() has it', async () => {
    const job = await cluster.runJar(jarIds.failing as string);
    const err = await job.result({ timeoutMs: 60_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect(err.status).toBe('FAILED');
    expect(err.jobId).toBe(job.jobId);
    expect(err.message).toContain('java.lang.IllegalStateException: flink-client fixture failure');
    const history = await job.exceptions();
    expect(history.exceptionHistory.entries[0]?.stacktrace).toContain('flink-client fixture failure');
  });

  it('unknown job, trigger and jar give the typed not-found errors', async () => {
    const ghost = cluster.job(hexId());
    await expect(ghost.status()).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(ghost.describe()).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(ghost.result()).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(ghost.cancel()).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(ghost.savepointOperation(hexId()).status()).rejects.toBeInstanceOf(OperationNotFoundError);
    await expect(cluster.savepointDisposalOperation(hexId()).status()).rejects.toBeInstanceOf(OperationNotFoundError);
    await expect(cluster.runJar(`${hexId()}_missing.jar`)).rejects.toBeInstanceOf(JarNotFoundError);
    // Flink accepts a savepoint trigger for an unknown job (202) and reports the missing job when
    // polled: the SDK says so with JobNotFoundError, not an operation failure.
    const op = await ghost.triggerSavepoint();
    await expect(op.result({ timeoutMs: 30_000 })).rejects.toBeInstanceOf(JobNotFoundError);
    await expect((await ghost.stopWithSavepoint()).result({ timeoutMs: 30_000 })).rejects.toBeInstanceOf(JobNotFoundError);
    await expect((await ghost.triggerCheckpoint()).result({ timeoutMs: 30_000 })).rejects.toBeInstanceOf(JobNotFoundError);
  });

  describe('a streaming job with state', () => {
    const out = join(scratch, 'counter');
    const target = join(scratch, 'savepoints');
    let savepointAtStop = '';
    let countAtStop = 0;

    it('runs and follows its status to RUNNING, with details, checkpoints and a checkpoint trigger', async () => {
      const job = await cluster.runJar(jarIds.streaming as string, { args: ['--out', out, '--rate', '50'], parallelism: 2 });
      expect(await job.waitFor('RUNNING', { timeoutMs: 60_000 })).toBe('RUNNING');
      await eventually(() => readCount(out), (c) => (c ?? 0) > 10, 60_000, 'counter written');
      const details = await job.describe();
      expect(details.vertices.map((v) => v.name).join(' ')).toContain('keyed-counter');
      const checkpointId = await (await job.triggerCheckpoint()).result({ timeoutMs: 60_000 });
      expect(checkpointId).toBeGreaterThan(0);
      const stats = await job.checkpoints();
      expect(stats.counts.completed).toBeGreaterThanOrEqual(1);
      expect((await job.checkpointConfig()).interval).toBe(1000);
      expect((await job.config()).jid).toBe(job.jobId);
      expect((await job.plan()).plan.nodes.length).toBeGreaterThan(0);

      // triggerSavepoint gives a path that exists on disk.
      const location = await (await job.triggerSavepoint({ targetDirectory: `file://${target}` })).result({ timeoutMs: 60_000 });
      expect(existsSync(join(localPath(location), '_metadata'))).toBe(true);

      // Triggering twice with the same trigger id gives one savepoint.
      const triggerId = hexId();
      const twin = join(scratch, 'twin');
      const first = await job.triggerSavepoint({ targetDirectory: `file://${twin}`, triggerId });
      const second = await job.triggerSavepoint({ targetDirectory: `file://${twin}`, triggerId });
      expect(first.triggerId).toBe(triggerId);
      expect(second.triggerId).toBe(triggerId);
      const twinLocation = await second.result({ timeoutMs: 60_000 });
      expect(await first.result()).toBe(twinLocation);
      expect(await savepointDirs(twin)).toHaveLength(1);

      // disposeSavepoint removes it.
      await (await cluster.disposeSavepoint(twinLocation)).result({ timeoutMs: 60_000 });
      expect(existsSync(localPath(twinLocation))).toBe(false);

      // stopWithSavepoint ends the job and gives a savepoint.
      countAtStop = readCount(out) ?? 0;
      savepointAtStop = await (await job.stopWithSavepoint({ targetDirectory: `file://${target}` })).result({ timeoutMs: 60_000 });
      expect(existsSync(join(localPath(savepointAtStop), '_metadata'))).toBe(true);
      expect(await job.waitFor(['FINISHED'], { timeoutMs: 60_000 })).toBe('FINISHED');
      countAtStop = Math.max(countAtStop, readCount(out) ?? 0);
      expect(countAtStop).toBeGreaterThan(10);
    });

    it('resumes from the stop savepoint with its state, then cancels', async () => {
      expect(savepointAtStop).not.toBe('');
      const restoredOut = join(scratch, 'counter-restored');
      const job = await cluster.runJar(jarIds.streaming as string, {
        args: ['--out', restoredOut, '--rate', '50'],
        parallelism: 2,
        savepointPath: savepointAtStop,
        claimMode: 'NO_CLAIM',
      });
      await job.waitFor('RUNNING', { timeoutMs: 60_000 });
      // A fresh start would count from 1; the restored keyed state continues from the saved total.
      const firstAfterRestore = await eventually(() => readCount(restoredOut), (c) => c !== undefined, 60_000, 'restored counter written');
      expect(firstAfterRestore).toBeGreaterThan(countAtStop);
      const history = await job.checkpoints();
      expect(history.latest.restored?.external_path ?? '').toContain(localPath(savepointAtStop).split('/').pop() as string);

      await job.cancel();
      expect(await job.waitFor('CANCELED', { timeoutMs: 60_000 })).toBe('CANCELED');
      // Cancelling an already CANCELED job is accepted again (Flink answers 202).
      await job.cancel();
      await expect(job.result()).rejects.toMatchObject({ code: 'FLINK_JOB_FAILED', status: 'CANCELED' });
    });
  });

  it('a NATIVE savepoint without a target directory goes to the cluster default directory', async () => {
    const job = await cluster.runJar(jarIds.streaming as string, { args: ['--rate', '20'], parallelism: 1 });
    try {
      await job.waitFor('RUNNING', { timeoutMs: 60_000 });
      await eventually(async () => (await job.describe())['status-counts']?.RUNNING ?? 0, (n) => n >= 3, 60_000, 'all tasks running');
      const location = await (await job.triggerSavepoint({ formatType: 'NATIVE' })).result({ timeoutMs: 60_000 });
      expect(localPath(location).startsWith(flink.savepointDir)).toBe(true);
      expect(existsSync(join(localPath(location), '_metadata'))).toBe(true);
    } finally {
      await job.cancel();
      await job.waitFor('CANCELED', { timeoutMs: 60_000 });
    }
  });
});

import { mkdtempSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ClusterClient, type JobChange, LocalClusterDescriptor, OperationNotFoundError } from 'flink-client';
import { eventually, localPath, readCount } from './support.js';

// One HA cluster (two JobManagers under the descriptor's own ZooKeeper, one TaskManager) for
// the whole file: starting it takes ~20 s, and a leader failover ~40 s, so the kill is made once
// with every kind of call in flight at that moment.
const version = '2.3.0';
const provided = inject('flink');
const flinkHome = provided.homes[version];
const jars = provided.jars[version];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(flinkHome)(`ZooKeeper HA with two JobManagers on real Flink ${version}`, () => {
  let descriptor: LocalClusterDescriptor;
  let cluster: ClusterClient;
  let pids: number[] = [];

  beforeAll(async () => {
    // A 15 s ZooKeeper session instead of Flink's 60 s (which the ZooKeeper caps at 20 ticks,
    // 40 s): the killed leader's session, and with it its leadership, expires sooner.
    descriptor = new LocalClusterDescriptor({
      flinkHome,
      jobManagers: 2,
      taskManagers: 1,
      slots: 2,
      configuration: { 'high-availability.zookeeper.client.session-timeout': '15000' },
    });
    await descriptor.deploy();
    pids = descriptor.processes.map((p) => p.pid);
    // The SDK as a user would configure it: every JobManager's URL, default retries.
    cluster = new ClusterClient({ url: descriptor.restUrls });
  });
  afterAll(async () => {
    await cluster?.close();
    await descriptor?.shutdown();
    expect(pids.filter(alive)).toEqual([]);
  });

  it('deploys ZooKeeper, two JobManagers and a TaskManager on 127.0.0.1, one of them the leader', async () => {
    expect(descriptor.processes.map((p) => p.name)).toEqual(['zookeeper', 'jobmanager-1', 'jobmanager-2', 'taskmanager-1']);
    expect(descriptor.restUrls.every((u) => new URL(u).hostname === '127.0.0.1')).toBe(true);
    // A standby's REST endpoint answers too: it forwards to the leader.
    for (const url of descriptor.restUrls) {
      const one = new ClusterClient({ url });
      try {
        expect((await one.overview())['slots-total']).toBe(2);
      } finally {
        await one.close();
      }
    }
    const leader = await eventually(() => descriptor.leaderJobManager(), (l) => l !== undefined, 30_000, 'a leader');
    expect(descriptor.restUrls).toContain(leader?.restUrl);
  });

  it('carries on through a SIGKILL of the leader: same job from its last checkpoint, watch sees the recovery, savepoints typed', async () => {
    const scratch = mkdtempSync(join(descriptor.workDir as string, 'ha-'));
    const out = join(scratch, 'counter');
    const { jarId } = await cluster.uploadJar(jars?.streaming as string);
    const job = await cluster.runJar(jarId, { args: ['--out', out, '--rate', '50', '--checkpoint-interval', '500'], parallelism: 1 });
    await job.ready({ timeoutMs: 90_000 });
    await eventually(async () => (await job.checkpoints()).counts.completed, (n) => n >= 2, 60_000, 'two completed checkpoints');

    // A savepoint completed before the kill: its path must survive, its trigger id will be unknown to the new leader.
    const before = await job.triggerSavepoint({ targetDirectory: `file://${join(scratch, 'savepoints')}` });
    const beforePath = await before.result({ timeoutMs: 60_000 });

    const changes: { change: JobChange; at: number }[] = [];
    const watching = (async () => {
      for await (const change of job.watch({ pollIntervalMs: 250 })) changes.push({ change, at: Date.now() });
    })();
    await eventually(() => changes.length, (n) => n >= 1, 30_000, 'the watch started');

    const leader = descriptor.leaderJobManager();
    expect(leader).toBeDefined();
    const countAtKill = readCount(out) ?? 0;
    const killedAt = Date.now();
    process.kill(leader?.pid as number, 'SIGKILL');

    // The first answer from the new leader, through the SDK's failover (polled, not slept on).
    await eventually(
      () => cluster.overview({ timeoutMs: 5_000 }).then((o) => o.taskmanagers, () => -1),
      (tms) => tms >= 1,
      150_000,
      'an answer from the new leader',
    );
    const firstAnswerMs = Date.now() - killedAt;
    const next = await eventually(() => descriptor.leaderJobManager(), (l) => l !== undefined, 150_000, 'a new leader');
    expect(next?.name).not.toBe(leader?.name);

    // The same job id comes back RUNNING on the new leader, restored from its last checkpoint.
    await job.ready({ timeoutMs: 150_000 });
    const recoveredMs = Date.now() - killedAt;
    const jobs = await cluster.listJobs();
    expect(jobs.map((j) => j.jid)).toEqual([job.jobId]);
    await eventually(() => readCount(out) ?? 0, (c) => c > countAtKill, 60_000, 'the counter moving on');
    // A restore from the checkpoint continues the count; a fresh start would begin again at 1.
    expect(readCount(out)).toBeGreaterThan(1);

    // The savepoint from before the kill is still on disk; the new leader does not know its trigger id, and says so, typed.
    expect(existsSync(localPath(beforePath))).toBe(true);
    const lost = await job.savepointOperation(before.triggerId).status().catch((e) => e);
    expect(lost).toBeInstanceOf(OperationNotFoundError);
    // Triggering again is safe: a fresh savepoint on the new leader.
    const again = await (await job.triggerSavepoint({ targetDirectory: `file://${join(scratch, 'savepoints')}` })).result({ timeoutMs: 60_000 });
    expect(again).not.toBe(beforePath);

    // Stop-with-savepoint on the new leader ends the job; the watch reports the end once and ends.
    const stopped = await (await job.stopWithSavepoint({ targetDirectory: `file://${join(scratch, 'savepoints')}` })).result({ timeoutMs: 60_000 });
    expect(existsSync(localPath(stopped))).toBe(true);
    await watching;
    const statuses = changes.map((c) => c.change.status);
    expect(statuses.filter((s) => s === 'FINISHED')).toHaveLength(1);
    expect(statuses.at(-1)).toBe('FINISHED');
    const firstChangeAfterKill = changes.find((c) => c.at > killedAt);
    process.stderr.write(
      `[ha] leader ${leader?.name} killed: first answer from the new leader after ${firstAnswerMs} ms, ` +
        `first watch change after ${(firstChangeAfterKill?.at ?? NaN) - killedAt} ms (${firstChangeAfterKill?.change.status}), ` +
        `job RUNNING again after ${recoveredMs} ms; statuses seen: ${statuses.join(' → ')}\n`,
    );
  });
});

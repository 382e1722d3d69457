import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterClient, FlinkServerError, LocalClusterDescriptor } from 'flink-client';
import { eventually, realClusters } from './support.js';

// Rescaling in place needs the adaptive scheduler; the shared clusters run the default one, whose
// refusal is tested here too. The cool-down keys differ between 1.20 (scaling-interval) and 2.x
// (executing.cooldown-after-rescaling); each version ignores the other's.
const ADAPTIVE = {
  'jobmanager.scheduler': 'adaptive',
  'jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling': '0 s',
  'jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout': '0 s',
  'jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout': '0 s',
  'jobmanager.adaptive-scheduler.scaling-interval.min': '0 s',
  'jobmanager.adaptive-scheduler.resource-stabilization-timeout': '0 s',
};

describe.each(realClusters())('rescale() against real Flink $version', (flink) => {
  let descriptor: LocalClusterDescriptor;
  let adaptive: ClusterClient;

  beforeAll(async () => {
    descriptor = new LocalClusterDescriptor({ flinkHome: flink.flinkHome, slots: 4, configuration: ADAPTIVE });
    adaptive = await descriptor.deploy();
  });
  afterAll(async () => {
    await descriptor?.shutdown();
  });

  it('changes the parallelism of a running job with the adaptive scheduler', async () => {
    const { jarId } = await adaptive.uploadJar(flink.jars.streaming);
    const job = await adaptive.runJar(jarId, { args: ['--rate', '20'], parallelism: 2 });
    await job.waitFor('RUNNING', { timeoutMs: 60_000 });
    const before = await job.resourceRequirements();
    const bounds = Object.values(before).map((r) => r.parallelism.upperBound);
    expect(bounds.length).toBeGreaterThan(0);
    expect(Math.max(...bounds)).toBe(2);

    await job.rescale({ parallelism: 1 });
    const after = await job.resourceRequirements();
    expect(Object.values(after).every((r) => r.parallelism.upperBound === 1)).toBe(true);
    await eventually(
      async () => (await job.describe()).vertices.map((v) => v.parallelism),
      (ps) => ps.every((p) => p === 1),
      90_000,
      'every vertex at parallelism 1',
    );
    await job.cancel();
    await job.waitFor('CANCELED', { timeoutMs: 60_000 });
  });

  it('surfaces the default scheduler refusing to rescale', async () => {
    const { ClusterClient } = await import('flink-client');
    const shared = new ClusterClient({ url: flink.url });
    try {
      const { jarId } = await shared.uploadJar(flink.jars.streaming);
      const job = await shared.runJar(jarId, { args: ['--rate', '20'], parallelism: 1 });
      await job.waitFor('RUNNING', { timeoutMs: 60_000 });
      const err = await job.rescale({ parallelism: 2 }).catch((e) => e);
      expect(err).toBeInstanceOf(FlinkServerError);
      expect(err.message).toContain('AdaptiveScheduler');
      await job.cancel();
      await shared.deleteJar(jarId);
    } finally {
      await shared.close();
    }
  });
});

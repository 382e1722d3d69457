import { afterEach, describe, expect, it } from 'vitest';
import { ClusterClient } from 'flink-client';
import { createFlinkSimulator, type FlinkSimulator } from 'flink-client/testing';
import { assertSimulatorBodiesStrict } from './support/wire.js';

// The JobManager and aggregated metric routes of the simulator, through the SDK, in strict validation.
let sim: FlinkSimulator;
let cluster: ClusterClient;

afterEach(async () => {
  await cluster?.close();
  await sim?.close();
});

describe.each(['2.3.0', '1.20.5'] as const)('the simulator (Flink %s) serves the JobManager and metric routes', (flinkVersion) => {
  it('answers environment, thread dump, logs and metrics as Flink does', async () => {
    sim = await createFlinkSimulator({ flinkVersion, clock: 'virtual' });
    cluster = new ClusterClient({ url: sim.url, validation: 'strict' });
    const jm = cluster.jobManager();
    expect((await jm.environment()).jvm.arch).toBe('amd64');
    expect((await jm.threadDump()).threadInfos[0]?.threadName).toBe('main');
    expect((await jm.logs()).logs).toEqual([]);
    expect(await jm.metricNames()).toContain('taskSlotsTotal');
    const values = await jm.metrics(['taskSlotsTotal', 'no.such.metric']);
    expect(Object.keys(values)).toEqual(['taskSlotsTotal']);
    expect(typeof values.taskSlotsTotal).toBe('number');
    const heap = await cluster.aggregatedTaskManagerMetrics(['Status.JVM.Memory.Heap.Used'], { agg: ['max'] });
    expect(heap).toEqual({ 'Status.JVM.Memory.Heap.Used': { max: 48409272 } });
    // `/jobs/metrics` is a metrics route (it used to be read as a job id and answer 400).
    expect(await cluster.jobMetricNames()).toEqual([]);
    assertSimulatorBodiesStrict(sim);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { ClusterClient, FeatureDisabledError, FlinkNotFoundError, TaskManagerNotFoundError } from 'flink-client';
import { createFlinkSimulator, fixtureJar, fixturePrograms, type FlinkSimulator, uploadJarBytes } from 'flink-client/testing';
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
    expect((await jm.logs()).logs.map((l) => l.name)).toEqual(['flink--standalonesession-0-simulator.log', 'flink--taskexecutor-0-simulator.log']);
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

describe.each(['2.3.0', '1.20.5'] as const)('the simulator (Flink %s) serves a job\'s vertices', (flinkVersion) => {
  async function runningStreamingJob(configuration: Record<string, string> = {}) {
    sim = await createFlinkSimulator({ flinkVersion, clock: 'virtual', programs: fixturePrograms, configuration });
    cluster = new ClusterClient({ url: sim.url, validation: 'strict' });
    const jar = fixtureJar('streaming');
    const job = await cluster.runJar(await uploadJarBytes(sim.url, jar.filename, jar.bytes), { parallelism: 2 });
    sim.clock.advance(2_000);
    const details = await job.describe();
    return { job, vertices: details.vertices };
  }

  it('answers details, subtasks, attempts, times, TaskManagers and watermarks from the job\'s graph', async () => {
    const { job, vertices } = await runningStreamingJob();
    const [source, counter] = vertices as [(typeof vertices)[number], (typeof vertices)[number]];
    const v = job.vertex(source.id);
    const details = await v.describe();
    expect(details.parallelism).toBe(source.parallelism);
    expect(details.subtasks.map((s) => s.subtask)).toEqual(Array.from({ length: source.parallelism }, (_, i) => i));
    expect(details.subtasks.every((s) => s.status === 'RUNNING')).toBe(true);
    expect((await v.subtask(1)).subtask).toBe(1);
    expect((await v.attempt(0, 0)).attempt).toBe(0);
    expect((await v.attemptAccumulators(0, 0))['user-accumulators']).toEqual([]);
    expect((await v.subtaskAccumulators()).subtasks).toHaveLength(source.parallelism);
    expect((await v.accumulators()).id).toBe(source.id);
    expect((await v.subtaskTimes()).subtasks[0]?.timestamps.RUNNING).toBeGreaterThan(0);
    const tms = (await v.taskManagers()).taskmanagers;
    expect(tms[0]?.['status-counts'].RUNNING).toBe(source.parallelism);
    // A source has no input watermark; the counter reports "none yet" for every subtask.
    expect(await v.watermarks()).toEqual([]);
    expect(await job.vertex(counter.id).watermarks()).toEqual(Array.from({ length: counter.parallelism }, (_, subtask) => ({ subtask, watermark: null })));
    assertSimulatorBodiesStrict(sim);
  });

  it('counts records as the job runs on the simulator clock', async () => {
    const { job, vertices } = await runningStreamingJob();
    const counter = job.vertex((vertices[1] as { id: string }).id);
    const before = (await counter.subtask(0)).metrics['read-records'];
    sim.clock.advance(10_000);
    const after = (await counter.subtask(0)).metrics['read-records'] ?? 0;
    expect(after).toBeGreaterThan(before ?? 0);
    expect((await counter.describe()).aggregated?.metrics?.['read-records']?.sum).toBe(after * (vertices[1] as { parallelism: number }).parallelism);
  });

  it('answers Flink\'s 404s for an unknown vertex, subtask or attempt', async () => {
    const { job, vertices } = await runningStreamingJob();
    const source = job.vertex((vertices[0] as { id: string }).id);
    await expect(job.vertex('5db9e063e859dfb97ed836854af3b0ec').describe()).rejects.toBeInstanceOf(FlinkNotFoundError);
    await expect(source.subtask(99)).rejects.toMatchObject({ status: 404, message: expect.stringContaining('Invalid subtask index') });
    await expect(source.attempt(0, 3)).rejects.toMatchObject({ status: 404 });
  });
});

describe.each(['2.3.0', '1.20.5'] as const)('the simulator (Flink %s) samples back pressure and flame graphs', (flinkVersion) => {
  async function runningSource(configuration: Record<string, string> = {}) {
    sim = await createFlinkSimulator({ flinkVersion, clock: 'virtual', programs: fixturePrograms, configuration });
    cluster = new ClusterClient({ url: sim.url, validation: 'strict' });
    const jar = fixtureJar('streaming');
    const job = await cluster.runJar(await uploadJarBytes(sim.url, jar.filename, jar.bytes), { parallelism: 2 });
    sim.clock.advance(2_000);
    const source = (await job.describe()).vertices[0] as { id: string };
    return { job, source: job.vertex(source.id), path: `/jobs/${job.jobId}/vertices/${source.id}` };
  }

  it('answers back pressure "deprecated" until the metric fetch it started is in, then "ok" with levels', async () => {
    const { source } = await runningSource();
    expect((await source.backpressure({ wait: false })).status).toBe('deprecated');
    sim.clock.advance(1_000);
    const ok = await source.backpressure({ wait: false });
    expect(ok.status).toBe('ok');
    expect(ok.backpressureLevel).toBe('ok');
    expect(ok.subtasks?.map((s) => s.subtask)).toEqual([0, 1]);
    // A waiting read returns at once now that the fetch is in.
    expect((await source.backpressure()).status).toBe('ok');
    assertSimulatorBodiesStrict(sim);
  });

  it('answers flame graphs with a typed error while rest.flamegraph.enabled is off (the default)', async () => {
    const { source } = await runningSource();
    await expect(source.flameGraph()).rejects.toBeInstanceOf(FeatureDisabledError);
  });

  it('samples a flame graph when enabled: -3 while sampling, then the graph', async () => {
    const { source, path } = await runningSource({ 'rest.flamegraph.enabled': 'true' });
    expect(await cluster.request({ method: 'GET', path: `${path}/flamegraph`, query: { type: 'ON_CPU' } })).toEqual({ endTimestamp: -3 });
    sim.clock.advance(2_000);
    const graph = await source.flameGraph({ type: 'ON_CPU' });
    expect(graph.endTimestamp).toBeGreaterThan(0);
    expect(graph.data?.name).toBe('root');
    expect(graph.data?.value).toBe(200);
    await expect(cluster.request({ method: 'GET', path: `${path}/flamegraph`, query: { type: 'SIDEWAYS' } })).rejects.toMatchObject({ status: 400 });
    assertSimulatorBodiesStrict(sim);
  });
});

describe.each(['2.3.0', '1.20.5'] as const)('the simulator (Flink %s) serves checkpoint details', (flinkVersion) => {
  it('answers a completed checkpoint with an entry per vertex and per subtask, and Flink\'s 404 for an unknown one', async () => {
    sim = await createFlinkSimulator({ flinkVersion, clock: 'virtual', programs: fixturePrograms });
    cluster = new ClusterClient({ url: sim.url, validation: 'strict' });
    const jar = fixtureJar('streaming');
    const job = await cluster.runJar(await uploadJarBytes(sim.url, jar.filename, jar.bytes), { parallelism: 2 });
    sim.clock.advance(2_000);
    const vertices = (await job.describe()).vertices;
    const operation = await job.triggerCheckpoint();
    sim.clock.advance(1_000);
    const id = await operation.result();
    const details = await job.checkpointDetails(id);
    expect(details.status).toBe('COMPLETED');
    expect(Object.keys(details.tasks ?? {}).sort()).toEqual(vertices.map((v) => v.id).sort());
    const counter = vertices[1] as { id: string; parallelism: number };
    const task = await job.vertex(counter.id).checkpointDetails(id);
    expect(task.subtasks?.map((s) => s.index)).toEqual(Array.from({ length: counter.parallelism }, (_, i) => i));
    expect(task.num_acknowledged_subtasks).toBe(counter.parallelism);
    await expect(job.checkpointDetails(999_999)).rejects.toMatchObject({ status: 404, message: expect.stringContaining('Could not find checkpointing statistics for checkpoint 999999') });
    assertSimulatorBodiesStrict(sim);
  });
});

describe.each(['2.3.0', '1.20.5'] as const)('the simulator (Flink %s) serves one TaskManager', (flinkVersion) => {
  it('answers details with the slots its jobs hold, logs, metrics that move with the clock, and a thread dump', async () => {
    sim = await createFlinkSimulator({ flinkVersion, clock: 'virtual', programs: fixturePrograms });
    cluster = new ClusterClient({ url: sim.url, validation: 'strict' });
    const jar = fixtureJar('streaming');
    const job = await cluster.runJar(await uploadJarBytes(sim.url, jar.filename, jar.bytes), { parallelism: 2 });
    sim.clock.advance(2_000);
    const [first] = await cluster.listTaskManagers();
    const tm = cluster.taskManager((first as { id: string }).id);
    const details = await tm.describe();
    expect(details.allocatedSlots?.map((s) => s.jobId)).toEqual([job.jobId, job.jobId]);
    expect(details.metrics.nettyShuffleMemorySegmentsTotal).toBe(2048);
    expect((await tm.logs()).logs.map((l) => l.name)).toContain('flink--taskexecutor-0-simulator.log');
    expect((await tm.threadDump()).threadInfos.map((t) => t.threadName)).toContain('main');
    expect(await tm.metricNames()).toContain('Status.JVM.CPU.Time');
    const before = (await tm.metrics(['Status.JVM.CPU.Time']))['Status.JVM.CPU.Time'];
    sim.clock.advance(60_000);
    const after = (await tm.metrics(['Status.JVM.CPU.Time']))['Status.JVM.CPU.Time'];
    expect(after).toBeGreaterThan(before as number);
    assertSimulatorBodiesStrict(sim);
  });

  it('answers an unknown TaskManager with Flink\'s 500 UnknownTaskExecutorException, typed by the SDK', async () => {
    sim = await createFlinkSimulator({ flinkVersion, clock: 'virtual' });
    cluster = new ClusterClient({ url: sim.url, validation: 'strict' });
    await expect(cluster.taskManager('no-such-tm').describe()).rejects.toBeInstanceOf(TaskManagerNotFoundError);
  });
});

describe.each(['2.3.0', '1.20.5'] as const)('the simulator (Flink %s) serves vertex, subtask and job metrics', (flinkVersion) => {
  it('reports task metrics whose counters grow as the job runs on the simulator clock', async () => {
    sim = await createFlinkSimulator({ flinkVersion, clock: 'virtual', programs: fixturePrograms });
    cluster = new ClusterClient({ url: sim.url, validation: 'strict' });
    const jar = fixtureJar('streaming');
    const job = await cluster.runJar(await uploadJarBytes(sim.url, jar.filename, jar.bytes), { parallelism: 2 });
    sim.clock.advance(2_000);
    const counterVertex = (await job.describe()).vertices[1] as { id: string };
    const counter = job.vertex(counterVertex.id);
    expect(await counter.metricNames()).toContain('1.numRecordsIn');
    expect(await counter.subtaskMetricNames()).toContain('numRecordsIn');
    const before = (await counter.subtaskMetrics(0, ['numRecordsIn']))['numRecordsIn'] as number;
    sim.clock.advance(10_000);
    const after = (await counter.subtaskMetrics(0, ['numRecordsIn']))['numRecordsIn'] as number;
    expect(after).toBeGreaterThan(before);
    expect((await counter.metrics(['0.numRecordsIn']))['0.numRecordsIn']).toBe(after);
    const agg = await counter.aggregatedSubtaskMetrics(['numRecordsIn'], { agg: ['sum', 'max'], subtasks: [0, 1] });
    expect(agg).toEqual({ numRecordsIn: { sum: after * 2, max: after } });
    expect(await counter.jobManagerOperatorMetricNames()).toEqual([]);
    expect((await job.metrics(['numRestarts', 'numberOfCompletedCheckpoints'])).numRestarts).toBe(0);
    assertSimulatorBodiesStrict(sim);
  });
});

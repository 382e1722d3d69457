import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient, FeatureDisabledError, FlinkNotFoundError, type JobClient, TaskManagerNotFoundError, UnsupportedFeatureError } from 'flink-client';
import { z } from 'zod';
import { atLeast, eventually, realClusters } from './support.js';

// The rest of the REST API (issue 12) on the shared cluster of each version: one streaming job
// (source → keyed-counter → reporter/discard, checkpoints every second), read through every new
// handle. Metrics come from Flink's metric fetcher (every 10 s), so reads of them wait for values.
describe.each(realClusters())('the rest of the REST API against real Flink $version', (flink) => {
  let cluster: ClusterClient;
  let job: JobClient;
  let vertices: { id: string; name: string }[];

  beforeAll(async () => {
    cluster = new ClusterClient({ url: flink.url });
    const { jarId } = await cluster.uploadJar(flink.jars.streaming);
    job = await cluster.runJar(jarId, { args: ['--rate', '200'], parallelism: 2 });
    vertices = (await job.ready({ timeoutMs: 120_000 })).vertices.map((v) => ({ id: v.id, name: v.name }));
  });
  afterAll(async () => {
    await job?.cancel().catch(() => undefined);
    await job?.waitFor('CANCELED', { timeoutMs: 60_000 }).catch(() => undefined);
    await cluster?.close();
  });

  it('reads the JobManager: environment, thread dump, metrics, log list and log file', async () => {
    const jm = cluster.jobManager();
    expect((await jm.environment()).jvm.options.length).toBeGreaterThan(0);
    expect((await jm.threadDump()).threadInfos.some((t) => t.threadName === 'main')).toBe(true);
    const names = await jm.metricNames();
    expect(names).toContain('taskSlotsTotal');
    const values = await jm.metrics(['taskSlotsTotal', 'no.such.metric']);
    expect(values).toEqual({ taskSlotsTotal: 8 });
    const { logs } = await jm.logs();
    expect(logs.length).toBeGreaterThan(0);
    const tail = await jm.log().text({ tailLines: 5 });
    expect(tail.split('\n').length).toBeLessThanOrEqual(5);
    let first: string | undefined;
    for await (const line of jm.log().lines()) {
      first = line;
      break;
    }
    expect(first).toMatch(/^\d{4}-\d\d-\d\d /);
    await expect(jm.log().text({ maxBytes: 100 })).rejects.toMatchObject({ code: 'FLINK_RESPONSE_TOO_LARGE' });
    await expect(jm.logFile('no-such.log').text()).rejects.toBeInstanceOf(FlinkNotFoundError);
  });

  it('reads a TaskManager and aggregated TaskManager metrics', async () => {
    const [info] = await cluster.listTaskManagers();
    const tm = cluster.taskManager(info!.id);
    const details = await tm.describe();
    expect(details.allocatedSlots.length).toBeGreaterThan(0);
    expect(details.metrics.heapMax).toBeGreaterThan(0);
    expect((await tm.threadDump()).threadInfos.length).toBeGreaterThan(0);
    expect((await tm.logs()).logs.length).toBeGreaterThan(0);
    expect((await tm.log().text({ tailLines: 3 })).length).toBeGreaterThan(0);
    const heap = await cluster.aggregatedTaskManagerMetrics(['Status.JVM.Memory.Heap.Used'], { agg: ['max', 'sum'], taskManagers: [info!.id] });
    expect(heap['Status.JVM.Memory.Heap.Used']?.max).toBeGreaterThan(0);
    await expect(cluster.taskManager('no-such-tm').describe()).rejects.toBeInstanceOf(TaskManagerNotFoundError);
    expect((await job.taskManagerLogUrl(info!.id)).url).toContain(info!.id);
  });

  it('reads job metrics, vertex metrics of every vertex, and aggregated job metrics', async () => {
    const names = await eventually(() => job.metricNames(), (n) => n.includes('numRestarts'), 60_000, 'job metrics');
    expect(names.length).toBeGreaterThan(0);
    expect(await job.metrics(['numRestarts'])).toEqual({ numRestarts: 0 });
    const all = await eventually(
      () => job.vertexMetrics(['numRecordsOut', 'busyTimeMsPerSecond'], { agg: ['sum', 'max'] }),
      (vs) => vs.some((v) => (v.metrics.numRecordsOut?.sum ?? 0) > 0),
      60_000,
      'records counted',
    );
    expect(all.map((v) => v.vertexId).sort()).toEqual(vertices.map((v) => v.id).sort());
    const agg = await cluster.aggregatedJobMetrics(['numRestarts'], { jobs: [job.jobId] });
    expect(agg.numRestarts).toMatchObject({ min: 0, max: 0, sum: 0 });
    expect(await cluster.jobMetricNames()).toContain('numRestarts');
    expect((await cluster.listJobIds()).some((j) => j.id === job.jobId)).toBe(true);
  });

  it('reads a vertex: details, subtasks, attempts, accumulators, times, TaskManagers, watermarks, back pressure', async () => {
    const source = job.vertex(vertices[0]!.id);
    const counter = job.vertex(vertices[1]!.id);
    const details = await source.describe();
    expect(details.subtasks).toHaveLength(2);
    expect((await source.subtask(1)).subtask).toBe(1);
    expect((await source.attempt(0, 0)).attempt).toBe(0);
    expect((await source.attemptAccumulators(0, 0))['user-accumulators']).toEqual([]);
    expect((await source.accumulators()).id).toBe(source.vertexId);
    expect((await source.subtaskAccumulators()).subtasks).toHaveLength(2);
    expect((await source.subtaskTimes()).subtasks[0]!.timestamps.RUNNING).toBeGreaterThan(0);
    expect((await source.taskManagers()).taskmanagers.length).toBeGreaterThan(0);
    expect(await source.watermarks()).toEqual([]);
    const marks = await eventually(() => counter.watermarks(), (w) => w.length === 2, 60_000, 'watermarks');
    // The fixture job emits no watermarks: Flink reports Long.MIN_VALUE, the SDK null.
    expect(marks).toEqual([{ subtask: 0, watermark: null }, { subtask: 1, watermark: null }]);
    const bp = await source.backpressure({ timeoutMs: 60_000 });
    expect(bp.status).toBe('ok');
    expect(bp.subtasks).toHaveLength(2);
    const busy = await eventually(() => counter.aggregatedSubtaskMetrics(['busyTimeMsPerSecond'], { subtasks: [0, 1] }), (m) => m.busyTimeMsPerSecond !== undefined, 60_000, 'busy time');
    expect(Object.keys(busy.busyTimeMsPerSecond!).sort()).toEqual(['avg', 'max', 'min', 'skew', 'sum']);
    expect(await counter.subtaskMetricNames()).toContain('numRecordsIn');
    expect(typeof (await counter.subtaskMetrics(0, ['numRecordsIn'])).numRecordsIn).toBe('number');
    expect((await counter.metricNames()).some((n) => n.startsWith('0.'))).toBe(true);
    expect(await source.jobManagerOperatorMetricNames()).toBeInstanceOf(Array);
    await expect(source.subtask(99)).rejects.toBeInstanceOf(FlinkNotFoundError);
    await expect(job.vertex('0123456789abcdef0123456789abcdef').describe()).rejects.toBeInstanceOf(FlinkNotFoundError);
    // The shared cluster runs without rest.flamegraph.enabled.
    await expect(source.flameGraph()).rejects.toBeInstanceOf(FeatureDisabledError);
  });

  it('reads checkpoint details, per vertex and subtask', async () => {
    const latest = await eventually(async () => (await job.checkpoints()).latest.completed, (c) => c != null, 60_000, 'a completed checkpoint');
    const details = await job.checkpointDetails(latest!.id);
    expect(Object.keys(details.tasks).sort()).toEqual(expect.arrayContaining(vertices.map((v) => v.id)));
    const sub = await job.vertex(vertices[1]!.id).checkpointDetails(latest!.id);
    expect(sub.subtasks).toHaveLength(2);
  });

  it('reads the job-scoped JobManager routes, heartbeat, datasets, rescales and request()', async () => {
    expect((await job.jobManagerConfig()).length).toBeGreaterThan(0);
    expect((await job.jobManagerEnvironment()).classpath.length).toBeGreaterThan(0);
    expect((await job.jobManagerLogUrl()).url).toMatch(/^http/);
    await job.heartbeat(Date.now() + 60_000);
    expect(await cluster.listDataSets()).toEqual([]);
    if (atLeast(flink.version, '2.3.0')) {
      // The shared cluster runs the default scheduler; the rescale records are the adaptive one's.
      await expect(job.rescaleConfig()).rejects.toBeInstanceOf(FeatureDisabledError);
      await expect(job.rescaleConfig()).rejects.toMatchObject({ setting: 'jobmanager.scheduler: adaptive' });
      await expect(job.rescaleHistory()).rejects.toMatchObject({ setting: expect.stringContaining('web.adaptive-scheduler.rescale-history.size') });
    } else {
      await expect(job.rescaleConfig()).rejects.toBeInstanceOf(UnsupportedFeatureError);
    }
    const overview = await cluster.request({ method: 'GET', path: '/jobs/overview', schema: z.object({ jobs: z.array(z.object({ jid: z.string() })) }) });
    expect(overview.jobs.some((j) => j.jid === job.jobId)).toBe(true);
    expect(await cluster.request({ method: 'GET', path: `/jobs/${job.jobId}/status` })).toEqual({ status: 'RUNNING' });
  });
});

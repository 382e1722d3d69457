import { afterEach, describe, expect, it } from 'vitest';
import { ClusterClient, FeatureDisabledError, FlinkError, FlinkNotFoundError, type JobClient, TaskManagerNotFoundError, UnsupportedFeatureError } from 'flink-client';
import { createFlinkSimulator, fixtureJar, fixturePrograms, type FlinkSimulator, type FlinkSimulatorOptions, uploadJarBytes } from 'flink-client/testing';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { Capture, nextRequest, ROOT } from '../cli/support.js';
import { hexId } from '../support/ids.js';
import { assertSimulatorBodiesStrict } from './support/wire.js';

// The simulator's log files, rescale records, job-scoped JobManager views, client heartbeat, data
// sets and route precedence (issue 12), through the public SDK in strict validation.

let sim: FlinkSimulator;
let cluster: ClusterClient;

afterEach(async () => {
  await cluster?.close();
  await sim?.close();
});

async function start(options: FlinkSimulatorOptions = {}): Promise<void> {
  sim = await createFlinkSimulator({ clock: 'virtual', programs: fixturePrograms, ...options });
  cluster = new ClusterClient({ url: sim.url, validation: 'strict' });
}

async function runStreaming(parallelism = 2): Promise<JobClient> {
  const jar = fixtureJar('streaming');
  const job = await cluster.runJar(await uploadJarBytes(sim.url, jar.filename, jar.bytes), { parallelism });
  sim.clock.advance(2_000);
  return job;
}

const LOG4J = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO |WARN |ERROR) \S+\s+\[\] - /;

describe.each(['2.3.0', '1.20.5'] as const)('the simulator (Flink %s) serves log files', (flinkVersion) => {
  it('writes the JobManager and TaskManager logs as jobs run: log4j lines that only grow', async () => {
    await start({ flinkVersion });
    const jm = cluster.jobManager();
    const before = (await jm.log().text()).split('\n');
    expect(before[0]).toMatch(LOG4J);
    expect(before.some((l) => l.includes('Starting StandaloneSessionClusterEntrypoint'))).toBe(true);
    const job = await runStreaming();
    sim.clock.advance(3_000);
    const running = (await jm.log().text()).split('\n');
    // Append-only: what was there stays, new lines come after it.
    expect(running.slice(0, before.length)).toEqual(before);
    expect(running.some((l) => l.includes(`Received ${flinkVersion === '2.3.0' ? 'job' : 'JobGraph'} submission`) && l.includes(job.jobId))).toBe(true);
    expect(running.some((l) => l.includes(`switched from state CREATED to RUNNING.`))).toBe(true);
    expect(running.some((l) => /Completed checkpoint \d+ for job/.test(l))).toBe(true);
    expect(running.filter((l) => l !== '' && !l.startsWith(' ') && !l.startsWith('\t')).every((l) => LOG4J.test(l))).toBe(true);

    const [tm] = await cluster.listTaskManagers();
    const tmLog = cluster.taskManager(tm!.id).log();
    expect(await tmLog.text()).toContain('switched from INITIALIZING to RUNNING.');
    await job.cancel();
    sim.clock.advance(1_000);
    expect(await tmLog.text()).toContain('switched from RUNNING to CANCELED.');
    expect(await jm.log().text({ tailLines: 1 })).toContain(`Job ${job.jobId} reached terminal state CANCELED.`);
    assertSimulatorBodiesStrict(sim);
  });

  it('lists the shared log directory with sizes and times that match the files, and serves each by name', async () => {
    await start({ flinkVersion, taskManagers: 2 });
    await runStreaming();
    const jm = cluster.jobManager();
    const { logs } = await jm.logs();
    expect(logs.map((l) => l.name)).toEqual(['flink--standalonesession-0-simulator.log', 'flink--taskexecutor-0-simulator.log', 'flink--taskexecutor-1-simulator.log']);
    const text = await jm.logFile(logs[0]!.name).text();
    expect(logs[0]!.size).toBe(Buffer.byteLength(`${text}\n`));
    expect(logs[0]!.mtime).toBeLessThanOrEqual(sim.clock.now());
    const tms = await cluster.listTaskManagers();
    // Each TaskManager lists the same directory and serves any file of it; its `log` is its own.
    const second = cluster.taskManager(tms[1]!.id);
    expect((await second.logs()).logs).toEqual((await jm.logs()).logs);
    expect(await second.log().text()).toBe(await second.logFile('flink--taskexecutor-1-simulator.log').text());
    expect(await second.logFile(logs[0]!.name).text()).toBe(await jm.log().text());
    assertSimulatorBodiesStrict(sim);
  });

  it('answers missing files and unknown TaskManagers as Flink does, and ignores Range', async () => {
    await start({ flinkVersion });
    const jm = cluster.jobManager();
    await expect(jm.stdout().text()).rejects.toBeInstanceOf(FlinkNotFoundError);
    await expect(jm.logFile('no-such.log').text()).rejects.toBeInstanceOf(FlinkNotFoundError);
    const [tm] = await cluster.listTaskManagers();
    // A TaskManager without a stdout file: 200, a JSON content type around a sentence.
    await expect(cluster.taskManager(tm!.id).stdout().text()).rejects.toMatchObject({ code: 'FLINK_LOG_FILE_NOT_FOUND' });
    const stdout = await fetch(`${sim.url}/v1/taskmanagers/${encodeURIComponent(tm!.id)}/stdout`);
    expect(stdout.status).toBe(200);
    expect(stdout.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(await stdout.text()).toMatch(/^The file STDOUT does not exist on the TaskExecutor/);
    await expect(cluster.taskManager('no-such-tm').log().text()).rejects.toBeInstanceOf(TaskManagerNotFoundError);
    await expect(cluster.taskManager(tm!.id).logFile('no-such.log').text()).rejects.toMatchObject({ status: 500 });
    const whole = await fetch(`${sim.url}/v1/jobmanager/log`);
    const ranged = await fetch(`${sim.url}/v1/jobmanager/log`, { headers: { range: 'bytes=0-9' } });
    expect(ranged.status).toBe(200);
    expect(ranged.headers.get('accept-ranges')).toBeNull();
    expect(ranged.headers.get('content-type')).toBe('text/plain');
    expect((await ranged.text()).length).toBe((await whole.text()).length);
  });

  it('serves TaskManager files from Flink\'s blob cache for web.refresh-interval when the REST caches are on', async () => {
    await start({ flinkVersion, jobDetailsCache: true, refreshIntervalMs: 3000 });
    const [tm] = await cluster.listTaskManagers();
    const tmLog = cluster.taskManager(tm!.id).log();
    const first = await tmLog.text();
    await runStreaming();
    expect(first).not.toContain('Received task');
    expect(await tmLog.text()).toBe(first);
    sim.clock.advance(3_000);
    expect(await tmLog.text()).toContain('Received task');
  });

  it('lets `flink-client logs -f` follow the JobManager log: each new line printed once', async () => {
    await start({ flinkVersion });
    const job = await runStreaming();
    const stdout = new Capture();
    const stderr = new Capture();
    const interrupt = new AbortController();
    const io: CliIo = { stdout, stderr, env: { FLINK_CLIENT_CONFIG: '/nonexistent/flink-client-test.json' }, cwd: ROOT, interrupt: interrupt.signal };
    const isLogRead = (r: { route?: string | undefined }): boolean => r.route === '/jobmanager/log';
    const firstRead = nextRequest(sim, isLogRead);
    const code = runCli(['--url', sim.url, 'logs', '-f', '--tail', '2', '--interval', '20'], io);
    await firstRead;
    await job.cancel();
    sim.clock.advance(1_000);
    // Two more polls: the one after the cancel has read (and printed) the new lines.
    await nextRequest(sim, isLogRead, 2);
    interrupt.abort();
    expect(await code).toBe(0);
    const printed = stdout.text.split('\n').filter((l) => l !== '');
    expect(printed.filter((l) => l.includes(`switched from state RUNNING to CANCELLING.`))).toHaveLength(1);
    expect(printed.filter((l) => l.includes(`reached terminal state CANCELED.`))).toHaveLength(1);
    expect(new Set(printed.filter((l) => LOG4J.test(l))).size).toBe(printed.filter((l) => LOG4J.test(l)).length);
  });
});

describe.each(['2.3.0', '1.20.5'] as const)('the simulator (Flink %s) serves the job-scoped JobManager routes, heartbeat and data sets', (flinkVersion) => {
  it('answers environment and log URLs for any job id, heartbeats with 202 and data sets as Flink does', async () => {
    await start({ flinkVersion });
    const job = await runStreaming(1);
    expect((await job.jobManagerEnvironment()).jvm.arch).toBe('amd64');
    expect(await cluster.job(hexId()).jobManagerEnvironment()).toEqual(await cluster.jobManager().environment());
    expect((await job.jobManagerLogUrl()).url).toBe(`${sim.url}/#/job-manager/logs`);
    const [tm] = await cluster.listTaskManagers();
    expect((await job.taskManagerLogUrl(tm!.id)).url).toBe(`${sim.url}/#/task-manager/${tm!.id}/logs`);
    // Flink's GeneratedLogUrlHandler never parses the job id.
    expect((await fetch(`${sim.url}/v1/jobs/nope/jobmanager/log-url`)).status).toBe(200);

    await job.heartbeat(sim.clock.now() + 60_000);
    const unknown = hexId();
    await cluster.job(unknown).heartbeat(sim.clock.now() + 60_000);
    expect(await cluster.jobManager().log().text({ tailLines: 1 })).toContain(`Fail to find job ${unknown} for client.`);
    const bad = await fetch(`${sim.url}/v1/jobs/${job.jobId}/clientHeartbeat`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"expiredTimestamp":"soon"}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: string[] }).errors[0]).toContain('JobClientHeartbeatRequestBody');

    expect(await cluster.listDataSets()).toEqual([]);
    const deletion = await cluster.deleteDataSet(hexId());
    await deletion.result();
    expect(sim.operations.find(deletion.triggerId)?.kind).toBe('dataset-deletion');
    await expect(cluster.dataSetDeletionOperation(hexId()).result()).rejects.toBeInstanceOf(FlinkError);
    sim.operations.failNext('dataset-deletion');
    await expect((await cluster.deleteDataSet(hexId())).result()).rejects.toBeInstanceOf(FlinkError);
    assertSimulatorBodiesStrict(sim);
  });

  it('routes literal segments before ids, as Flink does (GET /jobs/metrics, /jobs/overview, /taskmanagers/metrics)', async () => {
    await start({ flinkVersion });
    await runStreaming(1);
    for (const path of ['/jobs/metrics', '/jobs/overview', '/taskmanagers/metrics', '/jobmanager/logs', '/datasets']) {
      const res = await fetch(`${sim.url}/v1${path}`);
      expect(res.status, path).toBe(200);
      expect(sim.requests.at(-1)?.route, path).toBe(path);
    }
    expect(await cluster.jobMetricNames()).toContain('numRestarts');
    expect((await cluster.listJobs()).length).toBe(1);
    expect(await cluster.taskManagerMetricNames()).toContain('Status.JVM.Memory.Heap.Used');
    // The legacy rescaling trigger and its status stay disabled.
    const status = await fetch(`${sim.url}/v1/jobs/${hexId()}/rescaling/${hexId()}`);
    expect(status.status).toBe(503);
    expect(((await status.json()) as { errors: string[] }).errors[0]).toContain('Rescaling is temporarily disabled. See FLINK-12312.');
  });
});

describe('the simulator (Flink 2.3.0) serves the adaptive scheduler\'s rescale records', () => {
  it('refuses them for a job of the default scheduler, with the errors real 2.3.0 sends', async () => {
    await start({ flinkVersion: '2.3.0' });
    const job = await runStreaming(1);
    await expect(job.rescaleConfig()).rejects.toMatchObject({ setting: 'jobmanager.scheduler: adaptive' });
    await expect(job.rescalesOverview()).rejects.toBeInstanceOf(FeatureDisabledError);
    await expect(job.rescaleDetails(hexId())).rejects.toBeInstanceOf(FlinkNotFoundError);
    await expect(job.rescaleHistory()).rejects.toBeInstanceOf(FeatureDisabledError);
    await expect(job.rescaleSummary()).rejects.toMatchObject({ setting: expect.stringContaining('web.adaptive-scheduler.rescale-history.size') });
    await expect(cluster.job(hexId()).rescaleConfig()).rejects.toBeInstanceOf(FlinkNotFoundError);
  });

  it('answers empty records with a history size of 0', async () => {
    await start({ flinkVersion: '2.3.0', scheduler: 'adaptive' });
    const job = await runStreaming(1);
    expect((await job.rescaleConfig()).rescaleHistoryMax).toBe(0);
    expect(await job.rescaleHistory()).toEqual([]);
    expect((await job.rescalesOverview()).latest).toEqual({ completed: null, failed: null, ignored: null });
    expect((await job.rescaleSummary()).rescalesDurationStatsInMillis.p50).toBe('NaN');
    await expect(job.rescaleDetails(hexId())).rejects.toBeInstanceOf(FlinkNotFoundError);
    assertSimulatorBodiesStrict(sim);
  });

  it('records the initial schedule and a rescale: history newest first, details with vertices, slots and states, summary', async () => {
    await start({
      flinkVersion: '2.3.0',
      scheduler: 'adaptive',
      configuration: { 'web.adaptive-scheduler.rescale-history.size': '4', 'jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling': '0 s' },
    });
    const job = await runStreaming(2);
    expect((await job.rescaleConfig())).toMatchObject({ rescaleHistoryMax: 4, executingCooldownTimeoutInMillis: 0, schedulerExecutionMode: null });
    const initial = await job.rescaleHistory();
    expect(initial.map((r) => [r.triggerCause, r.terminalState, r.terminatedReason])).toEqual([['INITIAL_SCHEDULE', 'COMPLETED', 'SUCCEEDED']]);
    const putAt = sim.clock.now();
    await job.rescale({ parallelism: 1 });
    expect((await job.rescalesOverview()).rescalesCounts).toEqual({ ignored: 0, inProgress: 1, completed: 1, failed: 0 });
    sim.clock.advance(60_000);
    const history = await job.rescaleHistory();
    expect(history.map((r) => r.triggerCause)).toEqual(['UPDATE_REQUIREMENT', 'INITIAL_SCHEDULE']);
    const [update] = history;
    expect(update).toMatchObject({ vertices: {}, slots: {}, schedulerStates: [], startTimestampInMillis: putAt, terminalState: 'COMPLETED' });
    const details = await job.rescaleDetails(update!.rescaleUuid);
    const vertices = Object.values(details.vertices);
    expect(vertices.length).toBe((await job.describe()).vertices.length);
    expect(vertices.every((v) => v.desiredParallelism === 1 && v.postRescaleParallelism === 1)).toBe(true);
    expect(vertices.some((v) => v.preRescaleParallelism === 2)).toBe(true);
    expect(Object.values(details.slots)[0]).toMatchObject({ desiredSlots: 1, preRescaleSlots: 2, postRescaleSlots: 1 });
    expect(details.schedulerStates.map((s) => s.state)).toEqual(['Executing', 'Restarting', 'CreatingExecutionGraph', 'Executing']);
    const overview = await job.rescalesOverview();
    expect(overview.latest.completed?.rescaleUuid).toBe(update!.rescaleUuid);
    const summary = await job.rescaleSummary();
    expect(summary.rescalesCounts.completed).toBe(2);
    const durations = history.map((r) => r.endTimestampInMillis! - r.startTimestampInMillis).sort((a, b) => a - b);
    expect(summary.completedRescalesDurationStatsInMillis).toMatchObject({ min: durations[0], max: durations[1], p50: (durations[0]! + durations[1]!) / 2 });
    assertSimulatorBodiesStrict(sim);
  });

  it('has no rescale routes on the 1.20.5 profile (the SDK refuses before sending)', async () => {
    await start({ flinkVersion: '1.20.5', scheduler: 'adaptive' });
    const job = await runStreaming(1);
    await expect(job.rescaleConfig()).rejects.toBeInstanceOf(UnsupportedFeatureError);
    expect((await fetch(`${sim.url}/v1/jobs/${job.jobId}/rescales/config`)).status).toBe(404);
  });
});

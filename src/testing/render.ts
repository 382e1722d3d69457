import { renderThrowable, serializedAccumulator, serializedThrowable } from './java.js';
import type { CheckpointRecord, ExceptionEntry, JobModel, TaskFailure } from './job-model.js';
import { APPLICATION_STATES, type ApplicationModel, type ClusterModel, type OperationModel } from './model.js';

/**
 * The JSON bodies of every route, field for field as the recorded Flink 2.3.0 / 1.20.5 clusters
 * sent them (field order included where it was easy to keep).
 */

type Json = Record<string, unknown>;

const EXECUTION_STATES = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'RUNNING', 'FINISHED', 'CANCELING', 'CANCELED', 'FAILED', 'RECONCILING', 'INITIALIZING'] as const;

/** Flink writes `Long.MAX_VALUE` as the interval when periodic checkpointing is off. */
const LONG_MAX = 9223372036854775807;

function duration(start: number, end: number, now: number): number {
  if (start <= 0) return -1;
  return (end > 0 ? end : now) - start;
}

/** Newest first; jobs submitted in the same millisecond: the later submission first. */
function sortNewestFirst(jobs: Iterable<JobModel>): JobModel[] {
  return [...jobs].reverse().sort((a, b) => b.startTime - a.startTime);
}

// ---------------------------------------------------------------------------------------------
// Cluster

/** `GET /config`. @internal */
export function renderDashboardConfig(model: ClusterModel, refreshIntervalMs: number): Json {
  return {
    'refresh-interval': refreshIntervalMs,
    'timezone-name': 'Coordinated Universal Time',
    'timezone-offset': 0,
    'flink-version': model.profile.version,
    'flink-revision': model.profile.revision,
    features: { 'web-submit': true, 'web-cancel': true, 'web-rescale': false, 'web-history': false },
  };
}

/** `GET /overview`. @internal */
export function renderClusterOverview(model: ClusterModel): Json {
  const total = model.config.taskManagers * model.config.slotsPerTaskManager;
  let running = 0;
  let finished = 0;
  let cancelled = 0;
  let failed = 0;
  for (const job of model.jobs.values()) {
    if (job.status === 'FINISHED') finished++;
    else if (job.status === 'CANCELED') cancelled++;
    else if (job.status === 'FAILED') failed++;
    else running++;
  }
  return {
    taskmanagers: model.config.taskManagers,
    'slots-total': total,
    'slots-available': total - model.usedSlots(),
    'jobs-running': running,
    'jobs-finished': finished,
    'jobs-cancelled': cancelled,
    'jobs-failed': failed,
    'flink-version': model.profile.version,
    'flink-commit': model.profile.commit,
  };
}

/** `GET /jobmanager/config` and friends: the cluster configuration as key/value strings. @internal */
export function renderClusterConfiguration(model: ClusterModel, extra: Readonly<Record<string, string>> = {}): Array<{ key: string; value: string }> {
  const c = model.config;
  const address = new URL(c.address());
  const entries: Record<string, string> = {
    'blob.server.port': String(model.dataPort + 2),
    'jobmanager.execution.failover-strategy': 'region',
    'jobmanager.rpc.address': '127.0.0.1',
    'jobmanager.memory.jvm-overhead.min': '201326592b',
    'jobmanager.bind-host': '127.0.0.1',
    'io.tmp.dirs': c.uploadDir,
    ...(c.savepointDir ? { 'execution.checkpointing.savepoint-dir': c.savepointDir } : {}),
    'taskmanager.host': '127.0.0.1',
    'parallelism.default': String(c.defaultParallelism),
    'taskmanager.numberOfTaskSlots': String(c.slotsPerTaskManager),
    'execution.checkpointing.dir': c.checkpointDir,
    'taskmanager.memory.process.size': '1024m',
    'taskmanager.bind-host': '127.0.0.1',
    'jobmanager.memory.off-heap.size': '134217728b',
    'jobmanager.memory.process.size': '1024m',
    'jobmanager.rpc.port': String(model.dataPort + 3),
    'taskmanager.rpc.port': '0',
    'rest.bind-address': address.hostname,
    'web.upload.dir': c.uploadDir,
    'rest.port': address.port || '80',
    'rest.address': address.hostname,
    'jobmanager.memory.jvm-metaspace.size': '268435456b',
    'jobmanager.memory.heap.size': '469762048b',
    'jobmanager.memory.jvm-overhead.max': '201326592b',
    ...(c.scheduler === 'adaptive' ? { 'jobmanager.scheduler': 'adaptive' } : {}),
    ...c.configuration,
    ...extra,
  };
  return Object.entries(entries).map(([key, value]) => ({ key, value }));
}

/** `GET /taskmanagers`. @internal */
export function renderTaskManagers(model: ClusterModel): Json {
  const c = model.config;
  let usedLeft = model.usedSlots();
  let tasksLeft = 0;
  for (const job of model.jobs.values()) {
    if (job.isGloballyTerminal || job.status === 'SUSPENDED') continue;
    for (const v of job.vertices) tasksLeft += v.parallelism;
  }
  const managers = [];
  for (let i = 0; i < c.taskManagers; i++) {
    const used = Math.min(usedLeft, c.slotsPerTaskManager);
    usedLeft -= used;
    const assigned = i === c.taskManagers - 1 ? tasksLeft : Math.min(tasksLeft, used * 4);
    tasksLeft -= assigned;
    const free = c.slotsPerTaskManager - used;
    const share = (n: number): number => Math.round((n * free * 100) / c.slotsPerTaskManager) / 100;
    const [host, rest] = model.taskManagerId.split(':') as [string, string];
    const [port, suffix] = rest.split('-') as [string, string];
    const id = i === 0 ? model.taskManagerId : `${host}:${Number(port) + i * 10}-${suffix.slice(0, 4)}${String(i).padStart(2, '0')}`;
    managers.push({
      id,
      path: `pekko.tcp://flink@${id.split('-')[0]}/user/rpc/taskmanager_0`,
      dataPort: model.dataPort + i * 10,
      jmxPort: -1,
      timeSinceLastHeartbeat: 0,
      slotsNumber: c.slotsPerTaskManager,
      freeSlots: free,
      ...(model.profile.assignedTasks ? { assignedTasks: assigned } : {}),
      totalResource: { cpuCores: c.slotsPerTaskManager, taskHeapMemory: 25, taskOffHeapMemory: 0, managedMemory: 230, networkMemory: 64, extendedResources: {} },
      freeResource: { cpuCores: share(c.slotsPerTaskManager), taskHeapMemory: share(25), taskOffHeapMemory: 0, managedMemory: share(230), networkMemory: share(64), extendedResources: {} },
      hardware: { cpuCores: 2, physicalMemory: 25276514304, freeMemory: 161480704, managedMemory: 241591914 },
      memoryConfiguration: {
        frameworkHeap: 134217728,
        taskHeap: 26843542,
        frameworkOffHeap: 134217728,
        taskOffHeap: 0,
        networkMemory: 67108864,
        managedMemory: 241591914,
        jvmMetaspace: 268435456,
        jvmOverhead: 201326592,
        totalFlinkMemory: 603979776,
        totalProcessMemory: 1073741824,
      },
    });
  }
  return { taskmanagers: managers };
}

/** `GET /jars`. @internal */
export function renderJarList(model: ClusterModel): Json {
  const files = [...model.jars.values()]
    .sort((a, b) => b.uploaded - a.uploaded)
    .map((jar) => ({ id: jar.id, name: jar.name, uploaded: jar.uploaded, entry: jar.mainClass ? [{ name: jar.mainClass, description: null }] : [] }));
  return { address: model.config.address(), files };
}

// ---------------------------------------------------------------------------------------------
// Jobs

function taskCounts(job: JobModel): Record<string, number> {
  const counts: Record<string, number> = { running: 0, canceling: 0, canceled: 0, total: 0, created: 0, scheduled: 0, deploying: 0, reconciling: 0, finished: 0, initializing: 0, failed: 0 };
  job.vertices.forEach((v, i) => {
    const state = job.vertexState(i).toLowerCase();
    counts[state] = (counts[state] ?? 0) + v.parallelism;
    counts.total = (counts.total ?? 0) + v.parallelism;
  });
  return counts;
}

/** One entry of `GET /jobs/overview` (and of an application's `jobs`). @internal */
export function renderJobOverview(model: ClusterModel, job: JobModel): Json {
  const now = model.clock.now();
  const v2 = model.profile.jobFields2x;
  return {
    jid: job.id,
    name: job.name,
    ...(v2 ? { jobType: job.jobType, schedulerType: job.restoreFailure !== undefined ? null : job.adaptive ? 'Adaptive' : 'Default' } : {}),
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: duration(job.startTime, job.endTime, now),
    state: job.status,
    'last-modification': job.lastModification,
    tasks: taskCounts(job),
    ...(v2 ? { 'pending-operators': 0 } : {}),
  };
}

/** `GET /jobs/overview`. @internal */
export function renderJobsOverview(model: ClusterModel): Json {
  return { jobs: sortNewestFirst(model.jobs.values()).map((j) => renderJobOverview(model, j)) };
}

/** `GET /jobs`. @internal */
export function renderJobIds(model: ClusterModel): Json {
  return { jobs: sortNewestFirst(model.jobs.values()).map((j) => ({ id: j.id, status: j.status })) };
}

function planGraph(job: JobModel, jid: string): Json {
  const nodes = job.vertices
    .map((v, i) => {
      const previous = job.vertices[i - 1];
      return {
        id: v.id,
        operator: '',
        parallelism: v.parallelism,
        operator_strategy: '',
        description: v.description,
        optimizer_properties: {},
        ...(previous ? { inputs: [{ id: previous.id, num: 0, exchange: 'pipelined_bounded', ship_strategy: v.shipStrategy }] } : {}),
      };
    })
    .reverse();
  return { jid, name: job.name, type: job.jobType, nodes };
}

/** `GET /jobs/:id/plan` and `/jars/:id/plan` (with the plan's own job id). @internal */
export function renderPlan(job: JobModel, jid: string = job.id): Json {
  return { plan: planGraph(job, jid) };
}

/** `GET /jobs/:id`. @internal */
export function renderJobDetails(model: ClusterModel, job: JobModel): Json {
  const now = model.clock.now();
  const v2 = model.profile.jobFields2x;
  const statusCounts: Record<string, number> = Object.fromEntries(EXECUTION_STATES.map((s) => [s, 0]));
  const terminal = job.isGloballyTerminal;
  const vertices = job.vertices.map((v, i) => {
    const state = job.vertexState(i);
    statusCounts[state] = (statusCounts[state] ?? 0) + 1;
    const start = state === 'CREATED' ? -1 : job.tasksStartTime;
    const end = terminal ? job.endTime : -1;
    const tasks: Record<string, number> = Object.fromEntries(EXECUTION_STATES.map((s) => [s, 0]));
    tasks[state] = v.parallelism;
    return {
      id: v.id,
      slotSharingGroupId: v.slotSharingGroupId,
      name: v.name,
      maxParallelism: v.maxParallelism,
      parallelism: v.parallelism,
      status: state,
      'start-time': start,
      'end-time': end,
      duration: start > 0 ? (end > 0 ? end : now) - start : -1,
      tasks,
      metrics: {
        'read-bytes': 0,
        'read-bytes-complete': terminal,
        'write-bytes': 0,
        'write-bytes-complete': terminal,
        'read-records': 0,
        'read-records-complete': terminal,
        'write-records': 0,
        'write-records-complete': terminal,
        'accumulated-backpressured-time': 0,
        'accumulated-idle-time': 0,
        'accumulated-busy-time': 0,
      },
    };
  });
  return {
    jid: job.id,
    ...(v2 && job.applicationId ? { 'application-id': job.applicationId } : {}),
    name: job.name,
    isStoppable: false,
    state: job.status,
    'job-type': job.jobType,
    ...(v2 ? { schedulerType: job.restoreFailure !== undefined ? null : job.adaptive ? 'Adaptive' : 'Default' } : {}),
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: duration(job.startTime, job.endTime, now),
    maxParallelism: -1,
    now,
    timestamps: { ...job.timestamps },
    vertices,
    'status-counts': statusCounts,
    plan: planGraph(job, job.id),
    ...(v2 ? { 'pending-operators': 0 } : {}),
  };
}

/** `GET /jobs/:id/execution-result`. @internal */
export function renderExecutionResult(model: ClusterModel, job: JobModel): Json {
  if (!job.isGloballyTerminal) return { status: { id: 'IN_PROGRESS' } };
  const outcome = job.status === 'FINISHED' ? 'SUCCEEDED' : job.status;
  const accumulators = job.status === 'FINISHED' ? Object.fromEntries([...job.accumulatorValues].map(([k, v]) => [k, serializedAccumulator(v.type, v.value)])) : {};
  const v23 = model.profile.resultFields23;
  return {
    status: { id: 'COMPLETED' },
    'job-execution-result': {
      id: job.id,
      ...(v23 ? { name: job.name } : {}),
      'application-status': outcome,
      'accumulator-results': accumulators,
      'net-runtime': job.endTime - job.startTime,
      ...(job.status === 'FAILED' && job.failureCause ? { 'failure-cause': serializedThrowable(job.failureCause) } : {}),
      ...(v23 && job.applicationId ? { 'application-id': job.applicationId } : {}),
      ...(v23 ? { 'start-time': job.startTime, 'end-time': job.endTime } : {}),
    },
  };
}

/** `GET /jobs/:id/accumulators`. @internal */
export function renderAccumulators(job: JobModel, includeSerialized: boolean): Json {
  const entries = job.reportedAccumulators;
  return {
    'job-accumulators': [],
    'user-task-accumulators': entries.map(([name, v]) => ({ name, type: v.type, value: v.value })),
    'serialized-user-task-accumulators': includeSerialized ? Object.fromEntries(entries.map(([name, v]) => [name, serializedAccumulator(v.type, v.value)])) : {},
  };
}

function taskInfo(model: ClusterModel, task: TaskFailure): Json {
  return {
    exceptionName: task.throwable.className,
    stacktrace: renderThrowable(task.throwable),
    timestamp: task.timestamp,
    failureLabels: {},
    taskName: task.taskName,
    ...(model.profile.legacyExceptions ? { location: model.taskManagerEndpoint } : {}),
    endpoint: model.taskManagerEndpoint,
    taskManagerId: model.taskManagerId,
  };
}

function exceptionEntry(model: ClusterModel, entry: ExceptionEntry): Json {
  if (entry.task) return { ...taskInfo(model, entry.task), concurrentExceptions: [] };
  return {
    exceptionName: entry.root.className,
    stacktrace: renderThrowable(entry.root),
    timestamp: entry.timestamp,
    failureLabels: {},
    concurrentExceptions: entry.concurrent.map((t) => taskInfo(model, t)),
  };
}

/** `GET /jobs/:id/exceptions`. @internal */
export function renderExceptions(model: ClusterModel, job: JobModel, maxExceptions: number): Json {
  const all = job.exceptions;
  const history = { entries: all.slice(0, maxExceptions).map((e) => exceptionEntry(model, e)), truncated: all.length > maxExceptions };
  if (!model.profile.legacyExceptions) return { exceptionHistory: history };
  const latest = all[0];
  const tasks = latest ? (latest.task ? [latest.task] : latest.concurrent) : [];
  return {
    'root-exception': latest ? renderThrowable(latest.root) : null,
    timestamp: latest ? latest.timestamp : null,
    'all-exceptions': tasks.map((t) => ({
      exception: renderThrowable(t.throwable),
      task: t.taskName.replace(/ - execution #\d+$/, ''),
      location: model.taskManagerEndpoint,
      endpoint: model.taskManagerEndpoint,
      timestamp: t.timestamp,
      taskManagerId: model.taskManagerId,
    })),
    truncated: false,
    exceptionHistory: history,
  };
}

/** `GET /jobs/:id/config`. @internal */
export function renderJobConfig(model: ClusterModel, job: JobModel): Json {
  return {
    jid: job.id,
    name: job.name,
    'execution-config': {
      ...(model.profile.executionMode ? { 'execution-mode': 'PIPELINED' } : {}),
      'restart-strategy': 'Cluster level default restart strategy',
      'job-parallelism': job.parallelism,
      'object-reuse-mode': false,
      'user-config': {},
    },
  };
}

/** `GET /jobs/:id/checkpoints/config`. @internal */
export function renderCheckpointConfig(job: JobModel): Json {
  const interval = job.checkpointInterval;
  return {
    mode: interval === undefined ? 'at_least_once' : 'exactly_once',
    interval: interval ?? LONG_MAX,
    timeout: 600000,
    min_pause: 0,
    max_concurrent: 1,
    externalization: { enabled: false, delete_on_cancellation: true },
    state_backend: 'HashMapStateBackend',
    checkpoint_storage: 'FileSystemCheckpointStorage',
    unaligned_checkpoints: false,
    tolerable_failed_checkpoints: 0,
    aligned_checkpoint_timeout: 0,
    checkpoints_after_tasks_finish: true,
    state_changelog_enabled: false,
    changelog_periodic_materialization_interval: 600000,
    changelog_storage: 'memory',
  };
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] as number;
}

function stats(values: number[], zeroWhenEmpty = false): Json {
  if (values.length === 0) {
    const empty = zeroWhenEmpty ? 0 : 'NaN';
    return { min: 0, max: 0, avg: 0, p50: empty, p90: empty, p95: empty, p99: empty, p999: empty };
  }
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0],
    max: sorted[sorted.length - 1],
    avg: Math.floor(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    p999: percentile(sorted, 0.999),
  };
}

function checkpointEntry(job: JobModel, c: CheckpointRecord, latestCompletedId: number | undefined): Json {
  const subtasks = job.vertices.reduce((n, v) => n + v.parallelism, 0);
  const className = c.status === 'COMPLETED' ? 'completed' : c.status === 'FAILED' ? 'failed' : 'in_progress';
  const base: Json = {
    className,
    id: c.id,
    status: c.status,
    is_savepoint: c.kind !== 'checkpoint',
    savepointFormat: c.kind === 'checkpoint' ? null : c.format,
    trigger_timestamp: c.triggerTimestamp,
    latest_ack_timestamp: c.ackTimestamp,
    checkpointed_size: c.status === 'COMPLETED' ? c.size : 0,
    state_size: c.status === 'COMPLETED' ? c.size : 0,
    end_to_end_duration: c.ackTimestamp - c.triggerTimestamp,
    alignment_buffered: 0,
    processed_data: 0,
    persisted_data: 0,
    num_subtasks: subtasks,
    num_acknowledged_subtasks: c.status === 'COMPLETED' ? subtasks : 0,
    checkpoint_type: c.kind === 'checkpoint' ? 'CHECKPOINT' : c.kind === 'savepoint' ? 'SAVEPOINT' : 'SYNC_SAVEPOINT',
    tasks: {},
  };
  if (c.status === 'COMPLETED') return { ...base, external_path: c.externalPath, discarded: c.kind === 'checkpoint' && c.id !== latestCompletedId };
  if (c.status === 'FAILED') return { ...base, failure_timestamp: c.ackTimestamp, failure_message: c.failureMessage };
  return base;
}

/** `GET /jobs/:id/checkpoints`. @internal */
export function renderCheckpointStats(job: JobModel): Json {
  const all = job.checkpointHistory();
  const completed = all.filter((c) => c.status === 'COMPLETED');
  const failed = all.filter((c) => c.status === 'FAILED');
  const latestOf = (pred: (c: CheckpointRecord) => boolean): CheckpointRecord | undefined => [...all].reverse().find(pred);
  const latestCompleted = latestOf((c) => c.status === 'COMPLETED' && c.kind === 'checkpoint');
  const latestSavepoint = latestOf((c) => c.status === 'COMPLETED' && c.kind !== 'checkpoint');
  const latestFailed = latestOf((c) => c.status === 'FAILED');
  const sizes = completed.map((c) => c.size);
  const durations = completed.map((c) => c.ackTimestamp - c.triggerTimestamp);
  const zeros = completed.map(() => 0);
  return {
    counts: {
      restored: job.restored ? 1 : 0,
      total: all.length,
      in_progress: all.filter((c) => c.status === 'IN_PROGRESS').length,
      completed: completed.length,
      failed: failed.length,
    },
    summary: {
      checkpointed_size: stats(sizes),
      state_size: stats(sizes),
      end_to_end_duration: stats(durations),
      alignment_buffered: stats(zeros, true),
      processed_data: stats(zeros),
      persisted_data: stats(zeros),
    },
    latest: {
      completed: latestCompleted ? checkpointEntry(job, latestCompleted, latestCompleted.id) : null,
      savepoint: latestSavepoint ? checkpointEntry(job, latestSavepoint, latestCompleted?.id) : null,
      failed: latestFailed ? checkpointEntry(job, latestFailed, latestCompleted?.id) : null,
      restored: job.restored ? { id: job.restored.checkpointId, restore_timestamp: job.restored.at, is_savepoint: job.restored.isSavepoint, external_path: job.restored.path } : null,
    },
    history: [...all]
      .sort((a, b) => b.id - a.id)
      .slice(0, 10)
      .map((c) => checkpointEntry(job, c, latestCompleted?.id)),
  };
}

/** `GET /jobs/:id/resource-requirements` (adaptive scheduler). @internal */
export function renderResourceRequirements(job: JobModel): Json {
  return Object.fromEntries(job.vertices.map((v) => {
    const req = job.requirements.get(v.id) ?? { lowerBound: 1, upperBound: v.parallelism };
    return [v.id, { parallelism: { lowerBound: req.lowerBound, upperBound: req.upperBound } }];
  }));
}

// ---------------------------------------------------------------------------------------------
// Asynchronous operations

/** `GET /jobs/:id/savepoints/:triggerid`. @internal */
export function renderSavepointStatus(op: OperationModel): Json {
  if (op.status !== 'COMPLETED') return { status: { id: 'IN_PROGRESS' }, operation: null };
  const operation = op.failureCause ? { 'failure-cause': serializedThrowable(op.failureCause) } : { location: op.result?.location };
  return { status: { id: 'COMPLETED' }, operation };
}

/** `GET /jobs/:id/checkpoints/:triggerid`. @internal */
export function renderCheckpointStatus(op: OperationModel): Json {
  if (op.status !== 'COMPLETED') return { status: { id: 'IN_PROGRESS' }, operation: null };
  const operation = op.failureCause ? { failureCause: serializedThrowable(op.failureCause) } : { checkpointId: op.result?.checkpointId };
  return { status: { id: 'COMPLETED' }, operation };
}

/** `GET /savepoint-disposal/:triggerid`. @internal */
export function renderDisposalStatus(op: OperationModel): Json {
  if (op.status !== 'COMPLETED') return { status: { id: 'IN_PROGRESS' }, operation: null };
  return { status: { id: 'COMPLETED' }, operation: op.failureCause ? { 'failure-cause': serializedThrowable(op.failureCause) } : {} };
}

// ---------------------------------------------------------------------------------------------
// Applications

function jobCounts(app: ApplicationModel): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const job of app.jobs()) counts[job.status] = (counts[job.status] ?? 0) + 1;
  return counts;
}

/** `GET /applications/overview`. @internal */
export function renderApplicationsOverview(model: ClusterModel): Json {
  const now = model.clock.now();
  const apps = [...model.applications.values()].reverse().sort((a, b) => b.createdAt - a.createdAt);
  return {
    applications: apps.map((app) => ({
      id: app.id,
      name: app.name,
      'start-time': app.createdAt,
      'end-time': app.endTime,
      duration: duration(app.createdAt, app.endTime, now),
      status: app.status,
      jobs: jobCounts(app),
    })),
  };
}

/** `GET /applications/:id`. @internal */
export function renderApplicationDetails(model: ClusterModel, app: ApplicationModel): Json {
  const now = model.clock.now();
  return {
    id: app.id,
    name: app.name,
    status: app.status,
    'start-time': app.runningAt,
    'end-time': app.endTime,
    duration: duration(app.runningAt, app.endTime, now),
    timestamps: Object.fromEntries(APPLICATION_STATES.map((s) => [s, app.timestamps[s]])),
    jobs: sortNewestFirst(app.jobs()).map((j) => renderJobOverview(model, j)),
  };
}

/** `GET /applications/:id/exceptions`. @internal */
export function renderApplicationExceptions(app: ApplicationModel): Json {
  return {
    exceptionHistory: {
      entries: app.exceptions.map((e) => ({
        exceptionName: e.exceptionName,
        stacktrace: renderThrowable(e.stacktrace),
        timestamp: e.timestamp,
        ...(e.jobId ? { jobId: e.jobId } : {}),
      })),
    },
  };
}


import { renderThrowable, serializedAccumulator } from '../java.js';
import type { ExceptionEntry, JobModel, TaskFailure } from '../job-model.js';
import type { ClusterModel } from '../model.js';
import { defineRoute, isResult, ok, param, type Route, type RouteSettings } from '../route-kit.js';
import { duration, jobOf, type Json } from './shared.js';

/**
 * A job's execution graph, as Flink's ExecutionGraphCache serves it: `/jobs/:id`, `/accumulators`,
 * `/exceptions`, `/config`, `/plan` and `/checkpoints/config` are all answered from one snapshot
 * until it expires (with `jobDetailsCache` on). The renderers of those bodies live here; the routes
 * in jobs.ts and checkpoints.ts.
 */

const EXECUTION_STATES = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'RUNNING', 'FINISHED', 'CANCELING', 'CANCELED', 'FAILED', 'RECONCILING', 'INITIALIZING'] as const;

/** Flink writes `Long.MAX_VALUE` as the interval when periodic checkpointing is off. */
const LONG_MAX = 9223372036854775807;

/** One snapshot of a job's execution graph. @internal */
export interface ExecutionGraphSnapshot {
  details: unknown;
  accumulators: unknown;
  accumulatorsSerialized: unknown;
  /** `/exceptions` with every entry; a request's `maxExceptions` is applied when serving. */
  exceptions: Record<string, unknown> & { exceptionHistory: { entries: unknown[]; truncated: boolean } };
  config: unknown;
  plan: unknown;
  checkpointConfig: unknown;
}

/** How each part of an execution-graph snapshot is rendered from the job as it is now. */
function renderers(model: ClusterModel, job: JobModel): { [P in keyof ExecutionGraphSnapshot]: () => ExecutionGraphSnapshot[P] } {
  return {
    details: () => renderJobDetails(model, job),
    accumulators: () => renderAccumulators(job, false),
    accumulatorsSerialized: () => renderAccumulators(job, true),
    exceptions: () => renderExceptions(model, job, Number.MAX_SAFE_INTEGER) as ExecutionGraphSnapshot['exceptions'],
    config: () => renderJobConfig(model, job),
    plan: () => renderPlan(job),
    checkpointConfig: () => renderCheckpointConfig(job),
  };
}

/**
 * A part of a job's execution graph as the execution-graph routes serve it: with the cache on, the
 * snapshot taken by the first such request stays for `web.refresh-interval` (every route of the job
 * answers from it, as Flink's shared ExecutionGraphCache does); with it off, the job as it is now.
 * @internal
 */
export function executionGraph<K extends keyof ExecutionGraphSnapshot>(model: ClusterModel, settings: RouteSettings, job: JobModel, part: K): ExecutionGraphSnapshot[K] {
  const render = renderers(model, job);
  if (!settings.jobDetailsCache) return render[part]();
  const now = model.clock.now();
  const cached = settings.jobDetailsCacheStore.get(job.id) as { at: number; snapshot: ExecutionGraphSnapshot } | undefined;
  if (cached && now - cached.at < settings.refreshIntervalMs) return cached.snapshot[part];
  const snapshot = Object.fromEntries(Object.entries(render).map(([name, fn]) => [name, fn()])) as unknown as ExecutionGraphSnapshot;
  settings.jobDetailsCacheStore.set(job.id, { at: now, snapshot });
  return snapshot[part];
}

/**
 * A `GET` route that serves one part of a job's execution graph as it is (the 404 of `/jobs/:id`
 * for an unknown job). @internal
 */
export function executionGraphRoute(path: '/jobs/:jobid' | '/jobs/:jobid/config' | '/jobs/:jobid/plan' | '/jobs/:jobid/checkpoints/config', part: keyof ExecutionGraphSnapshot): Route {
  return defineRoute({
    method: 'GET',
    path,
    params: { jobid: param.flinkId },
    handle: ({ model, settings, params }) => {
      const job = jobOf(model, params.jobid);
      return isResult(job) ? job : ok(executionGraph(model, settings, job, part));
    },
  });
}

/** `/jobs/:id/exceptions` from a full snapshot, cut to `maxExceptions` entries. @internal */
export function limitExceptions(full: ExecutionGraphSnapshot['exceptions'], max: number): unknown {
  const entries = full.exceptionHistory.entries;
  return { ...full, exceptionHistory: { ...full.exceptionHistory, entries: entries.slice(0, max), truncated: entries.length > max } };
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

import { badPathParameter, restHandlerError, throwableError } from '../java.js';
import type { JobModel, VertexModel } from '../job-model.js';
import type { ClusterModel } from '../model.js';
import { defineRoute, fail, isResult, ok, param, type ParamParser, type Route, type RouteResult } from '../route-kit.js';
import { requestTaskMetrics } from './metric-fetcher.js';
import { jobOf, type Json } from './shared.js';

/**
 * A job's vertices (issue 12): `/jobs/:jobid/vertices/:vertexid` with its subtasks, attempts,
 * accumulators, subtask times, TaskManagers and watermarks. Everything is derived from the job's
 * vertices (parallelism, state) and the simulator clock: the I/O counters grow while a subtask
 * runs, so a poller sees records flow. The simulator runs one attempt (0) of every subtask on its
 * first TaskManager.
 */

const SUBTASK_STATES = ['SCHEDULED', 'DEPLOYING', 'RECONCILING', 'CREATED', 'RUNNING', 'CANCELED', 'FAILED', 'INITIALIZING', 'CANCELING', 'FINISHED'] as const;

/** Records a simulated subtask emits per simulated second while it runs. */
const RECORDS_PER_SECOND = 10;
/** Bytes per simulated record. */
const BYTES_PER_RECORD = 16;
/** The share of a running subtask's time it is busy (the rest idle; never backpressured). */
const BUSY_SHARE = 0.1;

/** `Long.MIN_VALUE`, the watermark of an input that has seen none. */
const NO_WATERMARK = '-9223372036854775808';

/** A vertex of a job with its index in the job graph. @internal */
export interface VertexRef {
  readonly job: JobModel;
  readonly vertex: VertexModel;
  readonly index: number;
}

/** The 404 Flink's vertex handlers give for a vertex the job does not have. @internal */
export function vertexNotFound(vertexId: string): RouteResult {
  return fail({ status: 404, body: throwableError({ className: 'org.apache.flink.runtime.rest.NotFoundException', message: `JobVertex ${vertexId} not found` }) });
}

/** The vertex of validated `:jobid`/`:vertexid`, or the 404 of the job or of the vertex. @internal */
export function vertexOf(model: ClusterModel, jobId: string, vertexId: string): VertexRef | RouteResult {
  const job = jobOf(model, jobId);
  if (isResult(job)) return job;
  const index = job.vertices.findIndex((v) => v.id === vertexId);
  const vertex = job.vertices[index];
  return vertex ? { job, vertex, index } : vertexNotFound(vertexId);
}

/** A non-negative integer path parameter (subtask index, attempt), else Flink's 400. */
const indexParam: ParamParser = (value, name) => (/^\d+$/.test(value) && Number(value) <= 2147483647 ? String(Number(value)) : fail({ status: 400, body: badPathParameter(name, value) }));

/** How long subtasks of a vertex have been running (0 before they run), in simulated ms. */
function runningMs(model: ClusterModel, ref: VertexRef): number {
  const start = ref.job.tasksStartTime;
  if (start <= 0) return 0;
  const end = ref.job.isGloballyTerminal && ref.job.endTime > 0 ? ref.job.endTime : model.clock.now();
  return Math.max(0, end - start - model.timing.deployMs);
}

/** The I/O counters of one subtask now, as the execution graph reports them. @internal */
export function subtaskIoMetrics(model: ClusterModel, ref: VertexRef): Record<string, number> {
  const ms = runningMs(model, ref);
  const records = Math.floor((ms * RECORDS_PER_SECOND) / 1000);
  const isSource = ref.index === 0;
  const isSink = ref.index === ref.job.vertices.length - 1 && ref.job.vertices.length > 1;
  return {
    'read-bytes': isSource ? 0 : records * BYTES_PER_RECORD,
    'write-bytes': isSink ? 0 : records * BYTES_PER_RECORD,
    'read-records': isSource ? 0 : records,
    'write-records': isSink ? 0 : records,
    'accumulated-backpressured-time': 0,
    'accumulated-idle-time': Math.round(ms * (1 - BUSY_SHARE)),
    'accumulated-busy-time': Math.round(ms * BUSY_SHARE),
  };
}

function metricsBody(model: ClusterModel, ref: VertexRef): Json {
  const m = subtaskIoMetrics(model, ref);
  const complete = ref.job.isGloballyTerminal;
  return {
    'read-bytes': m['read-bytes'],
    'read-bytes-complete': complete,
    'write-bytes': m['write-bytes'],
    'write-bytes-complete': complete,
    'read-records': m['read-records'],
    'read-records-complete': complete,
    'write-records': m['write-records'],
    'write-records-complete': complete,
    'accumulated-backpressured-time': m['accumulated-backpressured-time'],
    'accumulated-idle-time': m['accumulated-idle-time'],
    'accumulated-busy-time': m['accumulated-busy-time'],
  };
}

/** When one subtask entered each execution state (0 for states it never entered). */
function subtaskTimestamps(model: ClusterModel, ref: VertexRef): Record<string, number> {
  const t: Record<string, number> = Object.fromEntries(SUBTASK_STATES.map((s) => [s, 0]));
  const created = ref.job.timestamps.RUNNING || ref.job.timestamps.CREATED || ref.job.startTime;
  t.CREATED = created;
  const start = ref.job.tasksStartTime;
  const state = ref.job.vertexState(ref.index);
  if (start > 0) {
    const deploy = model.timing.deployMs;
    t.SCHEDULED = Math.max(created, start - 1);
    t.DEPLOYING = start;
    if (state !== 'DEPLOYING') t.INITIALIZING = start + Math.floor(deploy / 2);
    if (state !== 'DEPLOYING' && state !== 'INITIALIZING') t.RUNNING = start + deploy;
  }
  if (ref.job.isGloballyTerminal && state in t) t[state] = ref.job.endTime > 0 ? ref.job.endTime : model.clock.now();
  return t;
}

function statusDuration(model: ClusterModel, ref: VertexRef): Record<string, number> {
  const t = subtaskTimestamps(model, ref);
  const now = model.clock.now();
  const order = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING'] as const;
  const out: Record<string, number> = {};
  order.forEach((s, i) => {
    const from = t[s] ?? 0;
    if (from <= 0) return;
    const next = order.slice(i + 1).map((n) => t[n] ?? 0).find((x) => x > 0);
    out[s] = (next ?? now) - from;
  });
  return out;
}

function place(model: ClusterModel): Json {
  return model.profile.subtaskHost ? { host: model.taskManagerEndpoint.split(':')[0], endpoint: model.taskManagerEndpoint } : { endpoint: model.taskManagerEndpoint };
}

function times(model: ClusterModel, ref: VertexRef): { start: number; end: number; duration: number } {
  const start = ref.job.tasksStartTime;
  const end = ref.job.isGloballyTerminal ? ref.job.endTime : -1;
  return { start, end, duration: start > 0 ? (end > 0 ? end : model.clock.now()) - start : -1 };
}

/** `…/subtasks/:index` and `…/attempts/:attempt`: one execution attempt. @internal */
export function renderSubtask(model: ClusterModel, ref: VertexRef, subtask: number): Json {
  requestTaskMetrics(model, ref.job);
  const t = times(model, ref);
  return {
    subtask,
    status: ref.job.vertexState(ref.index),
    attempt: 0,
    ...place(model),
    'start-time': t.start,
    'end-time': t.end,
    duration: t.duration,
    metrics: metricsBody(model, ref),
    'taskmanager-id': model.taskManagerId,
    'status-duration': statusDuration(model, ref),
    start_time: t.start,
  };
}

/** Flink's percentile aggregate of a per-subtask value. */
function aggregate(values: number[]): Json {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  return { min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0, avg: sorted.length ? Math.round(sum / sorted.length) : 0, sum, median: pct(50), p25: pct(25), p75: pct(75), p95: pct(95) };
}

/** The `aggregated` block: I/O counters and state durations over the vertex's subtasks. */
function aggregated(model: ClusterModel, ref: VertexRef): Json {
  const n = ref.vertex.parallelism;
  const m = subtaskIoMetrics(model, ref);
  const metrics = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, aggregate(Array.from({ length: n }, () => v))]));
  const sd = statusDuration(model, ref);
  return { metrics, 'status-duration': Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, aggregate(Array.from({ length: n }, () => v))])) };
}

/** `GET /jobs/:jobid/vertices/:vertexid`. @internal */
export function renderVertexDetails(model: ClusterModel, ref: VertexRef): Json {
  requestTaskMetrics(model, ref.job);
  return {
    id: ref.vertex.id,
    name: ref.vertex.name,
    parallelism: ref.vertex.parallelism,
    maxParallelism: ref.vertex.maxParallelism,
    now: model.clock.now(),
    subtasks: Array.from({ length: ref.vertex.parallelism }, (_, i) => renderSubtask(model, ref, i)),
    aggregated: aggregated(model, ref),
  };
}

function renderSubtaskTimes(model: ClusterModel, ref: VertexRef): Json {
  const t = times(model, ref);
  return {
    id: ref.vertex.id,
    name: ref.vertex.name,
    now: model.clock.now(),
    subtasks: Array.from({ length: ref.vertex.parallelism }, (_, subtask) => ({ subtask, ...place(model), duration: t.duration, timestamps: subtaskTimestamps(model, ref) })),
  };
}

function renderVertexTaskManagers(model: ClusterModel, ref: VertexRef): Json {
  const t = times(model, ref);
  const counts: Record<string, number> = Object.fromEntries(SUBTASK_STATES.map((s) => [s, 0]));
  const state = ref.job.vertexState(ref.index);
  counts[state] = (counts[state] ?? 0) + ref.vertex.parallelism;
  return {
    id: ref.vertex.id,
    name: ref.vertex.name,
    now: model.clock.now(),
    taskmanagers: [
      {
        ...place(model),
        status: state,
        'start-time': t.start,
        'end-time': t.end,
        duration: t.duration,
        metrics: metricsBody(model, ref),
        'status-counts': counts,
        'taskmanager-id': model.taskManagerId,
        aggregated: aggregated(model, ref),
      },
    ],
  };
}

function attemptId(ref: VertexRef, subtask: number): string {
  return `${ref.job.id}_${ref.vertex.id}_${subtask}_0`;
}

/** The vertex and a subtask index in range, or Flink's 404. */
function subtaskOf(model: ClusterModel, jobId: string, vertexId: string, subtask: string): { ref: VertexRef; subtask: number } | RouteResult {
  const ref = vertexOf(model, jobId, vertexId);
  if (isResult(ref)) return ref;
  const index = Number(subtask);
  if (index >= ref.vertex.parallelism) return fail({ status: 404, body: restHandlerError(`Invalid subtask index for vertex ${vertexId}`) });
  return { ref, subtask: index };
}

/** The subtask and attempt 0 (the only one the simulator runs), or Flink's 404. */
function attemptOf(model: ClusterModel, p: { jobid: string; vertexid: string; subtaskindex: string; attempt: string }): { ref: VertexRef; subtask: number } | RouteResult {
  const found = subtaskOf(model, p.jobid, p.vertexid, p.subtaskindex);
  if (isResult(found)) return found;
  if (p.attempt !== '0') return fail({ status: 404, body: restHandlerError(`Attempt ${p.attempt} not found in subtask ${found.ref.vertex.name} (${found.subtask + 1}/${found.ref.vertex.parallelism})`) });
  return found;
}

/**
 * The user accumulators a subtask (or, without one, a vertex) reports. The simulator does not know
 * which operator adds to an accumulator, so a job's accumulators are subtask 0 of its first
 * vertex's: what real Flink shows for the bounded fixture, whose one chained vertex runs alone.
 */
function userAccumulators(ref: VertexRef, subtask?: number): Json[] {
  if (ref.index !== 0 || (subtask !== undefined && subtask !== 0)) return [];
  return ref.job.reportedAccumulators.map(([name, v]) => ({ name, type: v.type, value: v.value }));
}

const vertexParams = { jobid: param.flinkId, vertexid: param.flinkId };

/** @internal */
export const vertexRoutes: readonly Route[] = [
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid',
    params: vertexParams,
    handle: ({ model, params }) => {
      const ref = vertexOf(model, params.jobid, params.vertexid);
      return isResult(ref) ? ref : ok(renderVertexDetails(model, ref));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/accumulators',
    params: vertexParams,
    handle: ({ model, params }) => {
      const ref = vertexOf(model, params.jobid, params.vertexid);
      return isResult(ref) ? ref : ok({ id: ref.vertex.id, 'user-accumulators': userAccumulators(ref) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/subtasks/accumulators',
    params: vertexParams,
    handle: ({ model, params }) => {
      const ref = vertexOf(model, params.jobid, params.vertexid);
      if (isResult(ref)) return ref;
      const subtasks = Array.from({ length: ref.vertex.parallelism }, (_, subtask) => ({ subtask, attempt: 0, ...place(model), 'user-accumulators': userAccumulators(ref, subtask) }));
      return ok({ id: ref.vertex.id, parallelism: ref.vertex.parallelism, subtasks });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex',
    params: { ...vertexParams, subtaskindex: indexParam },
    handle: ({ model, params }) => {
      const found = subtaskOf(model, params.jobid, params.vertexid, params.subtaskindex);
      return isResult(found) ? found : ok(renderSubtask(model, found.ref, found.subtask));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt',
    params: { ...vertexParams, subtaskindex: indexParam, attempt: indexParam },
    handle: ({ model, params }) => {
      const found = attemptOf(model, params);
      return isResult(found) ? found : ok(renderSubtask(model, found.ref, found.subtask));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt/accumulators',
    params: { ...vertexParams, subtaskindex: indexParam, attempt: indexParam },
    handle: ({ model, params }) => {
      const found = attemptOf(model, params);
      return isResult(found) ? found : ok({ subtask: found.subtask, attempt: 0, id: attemptId(found.ref, found.subtask), 'user-accumulators': userAccumulators(found.ref, found.subtask) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/subtasktimes',
    params: vertexParams,
    handle: ({ model, params }) => {
      const ref = vertexOf(model, params.jobid, params.vertexid);
      return isResult(ref) ? ref : ok(renderSubtaskTimes(model, ref));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/taskmanagers',
    params: vertexParams,
    handle: ({ model, params }) => {
      const ref = vertexOf(model, params.jobid, params.vertexid);
      return isResult(ref) ? ref : ok(renderVertexTaskManagers(model, ref));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/watermarks',
    params: vertexParams,
    handle: ({ model, params }) => {
      const ref = vertexOf(model, params.jobid, params.vertexid);
      if (isResult(ref)) return ref;
      // Sources have no input watermark; every other subtask reports Long.MIN_VALUE until one arrives.
      if (ref.index === 0) return ok([]);
      return ok(Array.from({ length: ref.vertex.parallelism }, (_, i) => ({ id: `${i}.currentInputWatermark`, value: NO_WATERMARK })));
    },
  }),
];

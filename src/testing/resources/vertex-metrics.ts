import type { JobModel } from '../job-model.js';
import type { ClusterModel } from '../model.js';
import { defineRoute, fail, isResult, ok, param, type Route } from '../route-kit.js';
import { badPathParameter } from '../java.js';
import { subtaskIoMetrics, vertexOf, type VertexRef } from './vertices.js';

/**
 * The vertex of a metrics request, or undefined: Flink's metric handlers read the metric store,
 * which answers an unknown job or vertex with no metrics (`[]`), not a 404.
 */
function metricVertex(model: ClusterModel, jobId: string, vertexId: string): VertexRef | undefined {
  const ref = vertexOf(model, jobId, vertexId);
  return isResult(ref) ? undefined : ref;
}

/**
 * The task metrics of a job's vertices (issue 12): `…/vertices/:vertexid/metrics` (names prefixed
 * by subtask index), `…/subtasks/metrics` (aggregated, `agg=` and `subtasks=`), one subtask's
 * `…/subtasks/:index/metrics`, `…/jm-operator-metrics` (a source's split enumerator), and `/jobs/:jobid/metrics`. Values come from the same counters as the execution
 * graph, so `numRecordsIn` grows as the job runs on the simulator clock; only running tasks report.
 */

const AGGREGATIONS = ['min', 'max', 'avg', 'sum', 'skew'] as const;

/** One subtask's task metrics by name, numbers as strings (as Flink's metric store holds them). */
function subtaskMetrics(model: ClusterModel, ref: VertexRef): Record<string, string> {
  if (ref.job.vertexState(ref.index) !== 'RUNNING') return {};
  const io = subtaskIoMetrics(model, ref);
  const busy = ref.index === 0 ? 1000 : 100;
  const out: Record<string, string> = {
    numRecordsIn: String(io['read-records']),
    numRecordsOut: String(io['write-records']),
    numBytesIn: String(io['read-bytes']),
    numBytesOut: String(io['write-bytes']),
    numRecordsInPerSecond: ref.index === 0 ? '0.0' : '10.0',
    numRecordsOutPerSecond: io['write-records'] === 0 ? '0.0' : '10.0',
    busyTimeMsPerSecond: `${busy}.0`,
    idleTimeMsPerSecond: String(1000 - busy),
    backPressuredTimeMsPerSecond: '0',
    accumulateBusyTimeMs: String(io['accumulated-busy-time']),
    accumulateIdleTimeMs: String(io['accumulated-idle-time']),
    accumulateBackPressuredTimeMs: '0',
    [`${ref.vertex.name}.currentOutputWatermark`]: '-9223372036854775808',
  };
  if (ref.index > 0) out.currentInputWatermark = '-9223372036854775808';
  return out;
}

function answer(values: Record<string, string>, get: string | null): unknown {
  if (get === null) return Object.keys(values).map((id) => ({ id }));
  return get.split(',').filter((id) => id in values).map((id) => ({ id, value: values[id] as string }));
}

function aggregate(values: number[], aggs: readonly string[]): Record<string, number> {
  const sum = values.reduce((a, b) => a + b, 0);
  const avg = sum / values.length;
  const max = Math.max(...values);
  const all: Record<string, number> = { min: Math.min(...values), max, avg, sum, skew: avg === 0 ? 0 : ((max - avg) / avg) * 100 };
  return Object.fromEntries(aggs.map((a) => [a, all[a] as number]));
}

function jobMetrics(model: ClusterModel, job: JobModel): Record<string, string> {
  const history = job.checkpointHistory();
  const completed = history.filter((c) => c.status === 'COMPLETED' && c.kind === 'checkpoint');
  const last = completed.at(-1);
  return {
    numRestarts: '0',
    numberOfCompletedCheckpoints: String(completed.length),
    numberOfFailedCheckpoints: String(history.filter((c) => c.status === 'FAILED').length),
    numberOfInProgressCheckpoints: String(history.filter((c) => c.status === 'IN_PROGRESS').length),
    totalNumberOfCheckpoints: String(history.length),
    lastCheckpointDuration: last ? String(last.ackTimestamp - last.triggerTimestamp) : '-1',
    lastCheckpointSize: last ? String(last.size) : '-1',
    lastCheckpointExternalPath: last?.externalPath ?? 'n/a',
    uptime: String(job.status === 'RUNNING' && job.runningSince !== undefined ? model.clock.now() - job.runningSince : 0),
  };
}

const vertexParams = { jobid: param.flinkId, vertexid: param.flinkId };

/** @internal */
export const vertexMetricRoutes: readonly Route[] = [
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/metrics',
    params: vertexParams,
    handle: ({ model, params, query }) => {
      const ref = metricVertex(model, params.jobid, params.vertexid);
      if (!ref) return ok([]);
      const values: Record<string, string> = {};
      const one = subtaskMetrics(model, ref);
      for (let i = 0; i < ref.vertex.parallelism; i++) for (const [k, v] of Object.entries(one)) values[`${i}.${k}`] = v;
      return ok(answer(values, query.get('get')));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/subtasks/metrics',
    params: vertexParams,
    handle: ({ model, params, query }) => {
      const ref = metricVertex(model, params.jobid, params.vertexid);
      if (!ref) return ok([]);
      const one = subtaskMetrics(model, ref);
      const get = query.get('get');
      if (get === null) return ok(Object.keys(one).map((id) => ({ id })));
      const aggText = query.get('agg');
      const aggs = aggText === null ? AGGREGATIONS : aggText.split(',');
      const bad = aggs.find((a) => !(AGGREGATIONS as readonly string[]).includes(a));
      if (bad !== undefined) return fail({ status: 400, body: badPathParameter('agg', bad) });
      const subtasksText = query.get('subtasks');
      const subtasks = subtasksText === null ? Array.from({ length: ref.vertex.parallelism }, (_, i) => i) : subtasksText.split(',').map(Number).filter((i) => Number.isInteger(i) && i >= 0 && i < ref.vertex.parallelism);
      if (subtasks.length === 0) return ok([]);
      return ok(get.split(',').filter((id) => id in one && !Number.isNaN(Number(one[id]))).map((id) => ({ id, ...aggregate(subtasks.map(() => Number(one[id])), aggs) })));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/metrics',
    params: { ...vertexParams, subtaskindex: (value, name) => (/^\d+$/.test(value) ? value : fail({ status: 400, body: badPathParameter(name, value) })) },
    handle: ({ model, params, query }) => {
      const ref = metricVertex(model, params.jobid, params.vertexid);
      if (!ref) return ok([]);
      // Flink answers an index the vertex does not have with no metrics, not an error.
      return ok(Number(params.subtaskindex) < ref.vertex.parallelism ? answer(subtaskMetrics(model, ref), query.get('get')) : []);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/jm-operator-metrics',
    params: vertexParams,
    handle: ({ model, params, query }) => {
      // Only a source has an operator coordinator (its split enumerator), with no splits left to assign.
      const ref = metricVertex(model, params.jobid, params.vertexid);
      if (!ref || ref.index !== 0 || !model.profile.sourceCoordinatorMetrics || ref.job.vertexState(0) !== 'RUNNING') return ok([]);
      return ok(answer({ [`${ref.vertex.name.replace(/[ :.]/g, '_')}.coordinator.enumerator.unassignedSplits`]: '0' }, query.get('get')));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/metrics',
    params: { jobid: param.flinkId },
    handle: ({ model, params, query }) => {
      const job = model.jobs.get(params.jobid);
      return ok(job ? answer(jobMetrics(model, job), query.get('get')) : []);
    },
  }),
];

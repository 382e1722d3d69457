import { type FlinkErrorBody, restHandlerError } from '../java.js';
import type { ClusterModel } from '../model.js';
import { defineRoute, fail, isResult, ok, param, type Route } from '../route-kit.js';
import { METRIC_FETCH_MS, requestTaskMetrics } from './metric-fetcher.js';
import { vertexOf, type VertexRef } from './vertices.js';
import type { Json } from './shared.js';

/**
 * What Flink samples from a vertex's running tasks (issue 12): back pressure and flame graphs.
 *
 * Back pressure (since 1.13) is computed from the tasks' `*TimeMsPerSecond` metrics, which the
 * JobManager's metric fetcher pulls on demand (metric-fetcher.ts): until its first fetch of the
 * job is in, the route answers `status: "deprecated"`; then `"ok"` with levels. Flame graphs need `rest.flamegraph.enabled: true` (off by default, then a 200
 * with `endTimestamp: -2`); a first request starts sampling (`-3`), the graph follows after
 * {@link SAMPLING_MS}; a vertex whose tasks do not run answers `-1`.
 */

/** How long a flame-graph sampling takes (`rest.flamegraph.num-samples` × delay), in simulated ms. */
const SAMPLING_MS = 1_000;
/** A sampled graph is served this long before a request samples again (`rest.flamegraph.refresh-interval`). */
const FLAME_GRAPH_REFRESH_MS = 60_000;

/** Per simulator: when the sampling of a flame graph started, by `job/vertex/type/subtask`. */
const flameGraphSamples = new WeakMap<ClusterModel, Map<string, number>>();

function samplesOf(model: ClusterModel): Map<string, number> {
  let s = flameGraphSamples.get(model);
  if (!s) flameGraphSamples.set(model, (s = new Map()));
  return s;
}

/** Flink's levels: ratio ≤ 0.10 ok, ≤ 0.5 low, else high. */
function level(ratio: number): 'ok' | 'low' | 'high' {
  return ratio <= 0.1 ? 'ok' : ratio <= 0.5 ? 'low' : 'high';
}

function renderBackpressure(ref: VertexRef, fetchedAt: number): Json {
  // The simulated tasks are never back-pressured; a running source is busy producing.
  const ratio = 0;
  const busyRatio = ref.index === 0 ? 1 : 0.1;
  const subtasks = Array.from({ length: ref.vertex.parallelism }, (_, subtask) => ({
    subtask,
    backpressureLevel: level(ratio),
    ratio,
    idleRatio: Math.round((1 - busyRatio - ratio) * 100) / 100,
    busyRatio,
    'backpressure-level': level(ratio),
  }));
  return { status: 'ok', backpressureLevel: level(ratio), 'end-timestamp': fetchedAt + METRIC_FETCH_MS, subtasks, 'backpressure-level': level(ratio) };
}

/** A stack the simulated task threads are sampled in, leaf last. */
function stack(ref: VertexRef): string[] {
  const base = [
    'java.lang.Thread.run:840',
    'org.apache.flink.runtime.taskmanager.Task.run:579',
    'org.apache.flink.runtime.taskmanager.Task.doRun:774',
    'org.apache.flink.streaming.runtime.tasks.StreamTask.invoke:959',
    'org.apache.flink.streaming.runtime.tasks.StreamTask.runMailboxLoop:1022',
    'org.apache.flink.streaming.runtime.tasks.mailbox.MailboxProcessor.runMailboxLoop:229',
  ];
  return ref.index === 0
    ? [...base, 'org.apache.flink.streaming.runtime.tasks.SourceStreamTask.processInput:129']
    : [...base, 'org.apache.flink.streaming.runtime.io.StreamOneInputProcessor.processInput:65'];
}

function renderFlameGraph(ref: VertexRef, subtasks: number, endTimestamp: number): Json {
  const samples = 100 * subtasks;
  const frames = stack(ref);
  let node: Json = { name: frames[frames.length - 1] as string, value: samples, children: [] };
  for (let i = frames.length - 2; i >= 0; i--) node = { name: frames[i] as string, value: samples, children: [node] };
  return { endTimestamp, data: { name: 'root', value: samples, children: [node] } };
}

/** Flink's 400 for a query parameter it cannot parse. */
function badQueryParameter(name: string, value: string): FlinkErrorBody {
  const detail = `Cannot resolve query parameter (${name}) from value "${value}".`;
  return restHandlerError(`Bad request, could not parse parameters: ${detail}`, { className: 'org.apache.flink.runtime.rest.handler.HandlerRequestException', message: detail });
}

const FLAME_GRAPH_TYPES = ['FULL', 'ON_CPU', 'OFF_CPU'] as const;

/** @internal */
export const vertexSamplingRoutes: readonly Route[] = [
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/backpressure',
    params: { jobid: param.flinkId, vertexid: param.flinkId },
    handle: ({ model, params }) => {
      const ref = vertexOf(model, params.jobid, params.vertexid);
      if (isResult(ref)) return ref;
      const started = requestTaskMetrics(model, ref.job);
      if (started === undefined || model.clock.now() - started < METRIC_FETCH_MS) return ok({ status: 'deprecated' });
      return ok(renderBackpressure(ref, started));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/vertices/:vertexid/flamegraph',
    params: { jobid: param.flinkId, vertexid: param.flinkId },
    handle: ({ model, params, query }) => {
      const type = query.get('type') ?? 'FULL';
      if (!(FLAME_GRAPH_TYPES as readonly string[]).includes(type)) return fail({ status: 400, body: badQueryParameter('type', type) });
      const subtaskText = query.get('subtaskindex');
      if (subtaskText !== null && !/^\d+$/.test(subtaskText)) return fail({ status: 400, body: badQueryParameter('subtaskindex', subtaskText) });
      const ref = vertexOf(model, params.jobid, params.vertexid);
      if (isResult(ref)) return ref;
      if (model.config.configuration['rest.flamegraph.enabled'] !== 'true') return ok({ endTimestamp: -2 });
      if (ref.job.vertexState(ref.index) !== 'RUNNING') return ok({ endTimestamp: -1 });
      const key = `${ref.job.id}/${ref.vertex.id}/${type}/${subtaskText ?? 'all'}`;
      const samples = samplesOf(model);
      const now = model.clock.now();
      const started = samples.get(key);
      if (started === undefined || now - (started + SAMPLING_MS) >= FLAME_GRAPH_REFRESH_MS) {
        samples.set(key, now);
        return ok({ endTimestamp: -3 });
      }
      if (now - started < SAMPLING_MS) return ok({ endTimestamp: -3 });
      return ok(renderFlameGraph(ref, subtaskText === null ? ref.vertex.parallelism : 1, started + SAMPLING_MS));
    },
  }),
];

import { internalServerError } from '../java.js';
import type { ClusterModel } from '../model.js';
import { defineRoute, fail, isResult, ok, param, type Route, type RouteResult } from '../route-kit.js';
import { renderTaskManagers } from './cluster.js';
import type { Json } from './shared.js';

/**
 * One TaskManager (issue 12): `/taskmanagers/:taskmanagerid` (details with allocated slots and JVM
 * metrics), its metrics and thread dump (its log files: log-files.ts). An id the ResourceManager does not know is a
 * 500 `UnknownTaskExecutorException`, as on real Flink (not a 404). The metrics move with the
 * simulator clock (CPU time, GC count) and with the jobs it runs (network segments in use).
 */

const SEGMENTS = 2048;
const SEGMENT_BYTES = 32768;

/** The TaskManager entry of a (URL-decoded) id, or Flink's 500. @internal */
export function taskManagerOf(model: ClusterModel, rawId: string): Json | RouteResult {
  let id = rawId;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    // keep the id as sent
  }
  const entry = (renderTaskManagers(model).taskmanagers as Json[]).find((t) => t.id === id);
  return entry ?? fail({ status: 500, body: internalServerError({ className: 'org.apache.flink.runtime.resourcemanager.exceptions.UnknownTaskExecutorException', message: `No TaskExecutor registered under ${id}.` }) });
}

/** When the simulated TaskManagers were first asked about, per simulator: their uptime counts from there. */
const firstSeen = new WeakMap<ClusterModel, number>();

function uptimeSeconds(model: ClusterModel): number {
  const now = model.clock.now();
  const since = firstSeen.get(model) ?? (firstSeen.set(model, now), now);
  return Math.max(0, Math.floor((now - since) / 1000));
}

function usedSegments(tm: Json): number {
  return Math.min(SEGMENTS, 15 * Number(tm.assignedTasks ?? (Number(tm.slotsNumber) - Number(tm.freeSlots)) * 2));
}

function jvmMetrics(model: ClusterModel, tm: Json): Json {
  const gcs = 5 + Math.floor(uptimeSeconds(model) / 30);
  const used = usedSegments(tm);
  return {
    heapUsed: 48409272 + (uptimeSeconds(model) % 60) * 262144,
    heapCommitted: 161480704,
    heapMax: 161480704,
    nonHeapUsed: 57284736,
    nonHeapCommitted: 60293120,
    nonHeapMax: 738197504,
    directCount: 2068,
    directUsed: 73744386,
    directMax: 73744384,
    mappedCount: 0,
    mappedUsed: 0,
    mappedMax: 0,
    ...(model.profile.subtaskHost ? { memorySegmentsAvailable: SEGMENTS - used, memorySegmentsTotal: SEGMENTS } : {}),
    nettyShuffleMemorySegmentsAvailable: SEGMENTS - used,
    nettyShuffleMemorySegmentsUsed: used,
    nettyShuffleMemorySegmentsTotal: SEGMENTS,
    nettyShuffleMemoryAvailable: (SEGMENTS - used) * SEGMENT_BYTES,
    nettyShuffleMemoryUsed: used * SEGMENT_BYTES,
    nettyShuffleMemoryTotal: SEGMENTS * SEGMENT_BYTES,
    garbageCollectors: [
      { name: 'All', count: gcs, time: gcs * 35 },
      { name: 'G1_Young_Generation', count: gcs, time: gcs * 35 },
      { name: 'G1_Old_Generation', count: 0, time: 0 },
    ],
  };
}

function allocatedSlots(model: ClusterModel, tm: Json): Json[] {
  const used = Number(tm.slotsNumber) - Number(tm.freeSlots);
  const running = [...model.jobs.values()].filter((j) => !j.isGloballyTerminal && j.status !== 'SUSPENDED');
  const total = Number(tm.assignedTasks ?? 0);
  return Array.from({ length: used }, (_, i) => ({
    jobId: running[Math.min(i, running.length - 1)]?.id ?? '',
    resource: { cpuCores: 1, taskHeapMemory: 12, taskOffHeapMemory: 0, managedMemory: 115, networkMemory: 32, extendedResources: {} },
    ...(model.profile.assignedTasks ? { assignedTasks: Math.floor(total / used) + (i < total % used ? 1 : 0) } : {}),
  }));
}

/** The TaskManager metrics by name, numbers as strings (as Flink's metric store holds them). */
function metricValues(model: ClusterModel, tm: Json): Record<string, string> {
  const m = jvmMetrics(model, tm);
  return {
    'Status.JVM.CPU.Time': String(4720000000 + uptimeSeconds(model) * 20_000_000),
    'Status.JVM.CPU.Load': '0.01',
    'Status.JVM.Threads.Count': '44',
    'Status.JVM.Memory.Heap.Used': String(m.heapUsed),
    'Status.JVM.Memory.Heap.Committed': String(m.heapCommitted),
    'Status.JVM.Memory.Heap.Max': String(m.heapMax),
    'Status.JVM.GarbageCollector.All.Count': String((m.garbageCollectors as Json[])[0]?.count),
    'Status.Shuffle.Netty.UsedMemory': String(m.nettyShuffleMemoryUsed),
    'Status.Shuffle.Netty.TotalMemory': String(m.nettyShuffleMemoryTotal),
    'Status.Flink.Memory.Managed.Total': '241591914',
  };
}

const tmParams = { taskmanagerid: param.raw };

/** @internal */
export const taskManagerRoutes: readonly Route[] = [
  defineRoute({
    method: 'GET',
    path: '/taskmanagers/:taskmanagerid',
    params: tmParams,
    handle: ({ model, params }) => {
      const tm = taskManagerOf(model, params.taskmanagerid);
      return isResult(tm) ? tm : ok({ ...tm, allocatedSlots: allocatedSlots(model, tm), metrics: jvmMetrics(model, tm) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/taskmanagers/:taskmanagerid/metrics',
    params: tmParams,
    handle: ({ model, params, query }) => {
      const tm = taskManagerOf(model, params.taskmanagerid);
      if (isResult(tm)) return tm;
      const values = metricValues(model, tm);
      const get = query.get('get');
      if (get === null) return ok(Object.keys(values).map((id) => ({ id })));
      return ok(get.split(',').filter((id) => id in values).map((id) => ({ id, value: values[id] as string })));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/taskmanagers/:taskmanagerid/thread-dump',
    params: tmParams,
    handle: ({ model, params }) => {
      const tm = taskManagerOf(model, params.taskmanagerid);
      if (isResult(tm)) return tm;
      return ok({
        threadInfos: [
          { threadName: 'main', stringifiedThreadInfo: '"main" Id=1 WAITING\n\tat java.base/jdk.internal.misc.Unsafe.park(Native Method)\n' },
          { threadName: 'flink-pekko.actor.default-dispatcher-4', stringifiedThreadInfo: '"flink-pekko.actor.default-dispatcher-4" Id=24 WAITING\n\tat java.base/jdk.internal.misc.Unsafe.park(Native Method)\n' },
        ],
      });
    },
  }),
];

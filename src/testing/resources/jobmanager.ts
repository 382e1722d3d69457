import type { ClusterModel } from '../model.js';
import { defineRoute, ok, type Route } from '../route-kit.js';

/**
 * The JobManager's own routes and the aggregated metric routes (issue 12): `/jobmanager/environment`,
 * `/jobmanager/thread-dump`, `/jobmanager/metrics`, `/taskmanagers/metrics` and
 * `/jobs/metrics`. The last must come before `/jobs/:jobid` (Flink serves it as a metrics route).
 */

/** `GET /jobmanager/environment` (also served per job at `/jobs/:jobid/jobmanager/environment`). @internal */
export function renderEnvironment(): Record<string, unknown> {
  return { jvm: { version: 'OpenJDK 64-Bit Server VM - simulated - 17', arch: 'amd64', options: ['-Xmx469762048'] }, classpath: ['lib/flink-dist.jar'] };
}

/** JobManager metrics the simulator reports, by name: plausible values, numbers rendered as strings. */
function jobManagerMetrics(model: ClusterModel): Record<string, string> {
  const total = model.config.taskManagers * model.config.slotsPerTaskManager;
  return {
    taskSlotsTotal: String(total),
    taskSlotsAvailable: String(total - model.usedSlots()),
    numRegisteredTaskManagers: String(model.config.taskManagers),
    numRunningJobs: String([...model.jobs.values()].filter((j) => j.status === 'RUNNING').length),
    'Status.JVM.CPU.Load': '0.01',
    'Status.JVM.Memory.Heap.Used': '52428800',
  };
}

/** `GET …/metrics`: names without `get=`, `[{id, value}]` for the known names asked for with it. */
function metricAnswer(metrics: Record<string, string>, get: string | null): unknown {
  if (get === null) return Object.keys(metrics).map((id) => ({ id }));
  return get.split(',').filter((id) => id in metrics).map((id) => ({ id, value: metrics[id] as string }));
}

/** Aggregated answers: each known name with min/max/avg/sum/skew (or those asked for) over one component. */
function aggregatedAnswer(metrics: Record<string, string>, get: string | null, agg: string | null): unknown {
  if (get === null) return Object.keys(metrics).map((id) => ({ id }));
  const aggs = agg === null ? ['min', 'max', 'avg', 'sum', 'skew'] : agg.split(',');
  return get
    .split(',')
    .filter((id) => id in metrics && !Number.isNaN(Number(metrics[id])))
    .map((id) => {
      const v = Number(metrics[id]);
      return { id, ...Object.fromEntries(aggs.map((a) => [a, a === 'skew' ? 0 : v])) };
    });
}

function jobMetrics(model: ClusterModel): Record<string, string> {
  return model.jobs.size > 0 ? { numRestarts: '0' } : {};
}

/** @internal */
export const jobManagerRoutes: readonly Route[] = [
  defineRoute({
    method: 'GET',
    path: '/jobmanager/environment',
    params: {},
    handle: () => ok(renderEnvironment()),
  }),
  defineRoute({
    method: 'GET',
    path: '/jobmanager/thread-dump',
    params: {},
    handle: () => ok({ threadInfos: [{ threadName: 'main', stringifiedThreadInfo: '"main" Id=1 WAITING\n\tat java.base/jdk.internal.misc.Unsafe.park(Native Method)\n' }] }),
  }),
  defineRoute({ method: 'GET', path: '/jobmanager/metrics', params: {}, handle: ({ model, query }) => ok(metricAnswer(jobManagerMetrics(model), query.get('get'))) }),
  defineRoute({
    method: 'GET',
    path: '/taskmanagers/metrics',
    params: {},
    handle: ({ query }) => ok(aggregatedAnswer({ 'Status.JVM.Memory.Heap.Used': '48409272', 'Status.JVM.Threads.Count': '44' }, query.get('get'), query.get('agg'))),
  }),
  defineRoute({ method: 'GET', path: '/jobs/metrics', params: {}, handle: ({ model, query }) => ok(aggregatedAnswer(jobMetrics(model), query.get('get'), query.get('agg'))) }),
];

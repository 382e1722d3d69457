import type { ClusterModel } from '../model.js';
import { defineRoute, ok, type Route } from '../route-kit.js';
import type { Json } from './shared.js';

/**
 * The cluster: `/config` (the web UI's dashboard config), `/overview`, `/jobmanager/config`,
 * `/taskmanagers`, and `DELETE /cluster` (shutdown).
 */

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

// ---------------------------------------------------------------------------------------------
// Routes

/** The cluster routes. @internal */
export const clusterRoutes: readonly Route[] = [
  defineRoute({ method: 'GET', path: '/config', params: {}, handle: ({ model, settings }) => ok(renderDashboardConfig(model, settings.refreshIntervalMs)) }),
  defineRoute({ method: 'GET', path: '/overview', params: {}, handle: ({ model }) => ok(renderClusterOverview(model)) }),
  defineRoute({ method: 'GET', path: '/jobmanager/config', params: {}, handle: ({ model }) => ok(renderClusterConfiguration(model)) }),
  defineRoute({ method: 'GET', path: '/taskmanagers', params: {}, handle: ({ model }) => ok(renderTaskManagers(model)) }),
  defineRoute({
    method: 'DELETE',
    path: '/cluster',
    params: {},
    handle: ({ settings }) => {
      settings.onShutdown();
      return ok({});
    },
  }),
];

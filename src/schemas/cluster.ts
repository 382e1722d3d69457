import { z } from 'zod';
import { type FlinkDouble, flinkDouble } from './common.js';
import { defineSchema, type SchemaKit, typedSchema } from './schema-kit.js';

/** The body of `GET /config`: the web UI's configuration, which also carries the Flink version. */
export interface DashboardConfig {
  /** `web.refresh-interval` in ms: how long the REST server caches a job's data (3 000 by default). */
  'refresh-interval': number;
  /** The JobManager's time zone, such as `Coordinated Universal Time`. */
  'timezone-name': string;
  /** The time zone's offset from UTC in ms. */
  'timezone-offset': number;
  /** The Flink version, such as `2.3.0`; the SDK reads it to know what the cluster supports. */
  'flink-version': string;
  /** The commit Flink was built from. */
  'flink-revision': string;
  /** Which web UI actions the cluster allows. */
  features: {
    /** Jar upload and run from the web UI (`web.submit.enable`). */
    'web-submit': boolean;
    /** Job cancellation from the web UI (`web.cancel.enable`). */
    'web-cancel': boolean;
    /** Rescaling from the web UI (`web.rescale.enable`). */
    'web-rescale': boolean;
    /** True when this server is a HistoryServer. */
    'web-history': boolean;
  };
}

/**
 * Validates `GET /config`: `refresh-interval`, `timezone-name`, `timezone-offset`,
 * `flink-version`, `flink-revision` and `features` (`web-submit`, `web-cancel`, `web-rescale`,
 * `web-history`).
 */
export const DashboardConfigSchema = typedSchema<DashboardConfig>()(defineSchema((k) =>
  k.object({
    'refresh-interval': z.number(),
    'timezone-name': z.string(),
    'timezone-offset': z.number(),
    'flink-version': z.string(),
    'flink-revision': z.string(),
    features: k.object({
      'web-submit': z.boolean(),
      'web-cancel': z.boolean(),
      'web-rescale': z.boolean(),
      'web-history': z.boolean(),
    }),
  }),
));

/** The body of `GET /overview`: cluster-wide counts of task managers, slots and jobs. */
export interface ClusterOverview {
  /** Registered task managers. */
  taskmanagers: number;
  /** Slots of all task managers. */
  'slots-total': number;
  /** Slots not in use. */
  'slots-available': number;
  /** Blocklisted task managers; sent only when not zero. */
  'taskmanagers-blocked'?: number;
  /** Free slots on blocklisted task managers; sent only when not zero. */
  'slots-free-and-blocked'?: number;
  /** Jobs running now (any non-terminal status). */
  'jobs-running': number;
  /** Jobs that ended FINISHED and are still listed. */
  'jobs-finished': number;
  /** Jobs that ended CANCELED and are still listed. */
  'jobs-cancelled': number;
  /** Jobs that ended FAILED and are still listed. */
  'jobs-failed': number;
  /** The Flink version, such as `2.3.0`. */
  'flink-version': string;
  /** The commit Flink was built from. */
  'flink-commit': string;
}

/** Validates `GET /overview`. */
export const ClusterOverviewSchema = typedSchema<ClusterOverview>()(defineSchema((k) =>
  k.object({
    taskmanagers: z.number(),
    'slots-total': z.number(),
    'slots-available': z.number(),
    'taskmanagers-blocked': z.number().optional(),
    'slots-free-and-blocked': z.number().optional(),
    'jobs-running': z.number(),
    'jobs-finished': z.number(),
    'jobs-cancelled': z.number(),
    'jobs-failed': z.number(),
    'flink-version': z.string(),
    'flink-commit': z.string(),
  }),
));

/** One configuration option as the JobManager reports it. */
export interface ConfigEntry {
  /** The option key, such as `rest.port`. */
  key: string;
  /**
   * The value, always a **string** (`"2"`, `"true"`, `"1024m"`). Values of options whose key looks
   * secret (`password`, `secret`, `token`, ...) are replaced by `******`.
   */
  value: string;
}

/**
 * The body of `GET /jobmanager/config`, `GET /jobs/:jobid/jobmanager/config` and (Flink 2.3)
 * `GET /applications/:applicationid/jobmanager/config`: the configuration as a list of key/value
 * strings, not an object.
 */
export type ConfigEntries = ConfigEntry[];

/**
 * A configuration as a list of key/value strings.
 *
 * Validates `GET /jobmanager/config`, `GET /jobs/:jobid/jobmanager/config` and (Flink 2.3)
 * `GET /applications/:applicationid/jobmanager/config`: `[{"key", "value"}]`.
 */
export const ConfigEntriesSchema = typedSchema<ConfigEntries>()(
  defineSchema((k) => z.array(k.object({ key: z.string(), value: z.string() }))),
);

/** Resources of a task manager or slot (`ResourceProfileInfo`). Memory sizes are in **MiB**, unlike the bytes of {@link TaskManagerHardware}. */
export interface ResourceProfile {
  /** CPU cores; a double (fractions are allowed). */
  cpuCores: FlinkDouble;
  /** Task heap memory, MiB. */
  taskHeapMemory: number;
  /** Task off-heap memory, MiB. */
  taskOffHeapMemory: number;
  /** Managed memory, MiB. */
  managedMemory: number;
  /** Network memory, MiB. */
  networkMemory: number;
  /** Extended resources (such as GPUs) by name → amount; usually `{}`. */
  extendedResources: Record<string, number>;
}

/** A resource profile (`ResourceProfileInfo`): CPU cores and memory sizes in MiB. */
export function resourceProfile(k: SchemaKit) {
  return k.object({
    cpuCores: flinkDouble(),
    taskHeapMemory: z.number(),
    taskOffHeapMemory: z.number(),
    managedMemory: z.number(),
    networkMemory: z.number(),
    extendedResources: z.record(z.string(), z.number()),
  });
}

/** The machine a task manager runs on, as its JVM sees it (`HardwareDescription`). Sizes in bytes. */
export interface TaskManagerHardware {
  /** CPU cores available to the JVM. */
  cpuCores: number;
  /** The machine's physical memory, bytes (the whole host, not the container limit). */
  physicalMemory: number;
  /** Despite the name, the JVM's **maximum heap size** (`Runtime.maxMemory()`), bytes: not free memory. */
  freeMemory: number;
  /** The task manager's managed memory, bytes. */
  managedMemory: number;
}

/** A task manager's memory configuration (`TaskExecutorMemoryConfiguration`). Sizes in bytes. */
export interface TaskManagerMemoryConfiguration {
  /** `taskmanager.memory.framework.heap.size`, bytes. */
  frameworkHeap: number;
  /** `taskmanager.memory.task.heap.size`, bytes. */
  taskHeap: number;
  /** `taskmanager.memory.framework.off-heap.size`, bytes. */
  frameworkOffHeap: number;
  /** `taskmanager.memory.task.off-heap.size`, bytes. */
  taskOffHeap: number;
  /** Network memory, bytes. */
  networkMemory: number;
  /** Managed memory, bytes. */
  managedMemory: number;
  /** JVM metaspace, bytes. */
  jvmMetaspace: number;
  /** JVM overhead, bytes. */
  jvmOverhead: number;
  /** Total Flink memory, bytes. */
  totalFlinkMemory: number;
  /** Total process memory (`taskmanager.memory.process.size`), bytes. */
  totalProcessMemory: number;
}

/** One task manager in `GET /taskmanagers` (`TaskManagerInfo`). */
export interface TaskManagerInfo {
  /** The task manager's resource id, such as `127.0.0.1:42441-749754`: not a hex id. */
  id: string;
  /** Its RPC address, such as `pekko.tcp://flink@127.0.0.1:42441/user/rpc/taskmanager_0`. */
  path: string;
  /** The port of its data (shuffle) server. */
  dataPort: number;
  /** Its JMX port; -1 when JMX is not enabled. */
  jmxPort: number;
  /**
   * Despite the name, **the time of the last heartbeat** from this task manager, ms since the
   * epoch; 0 before the first one.
   */
  timeSinceLastHeartbeat: number;
  /** Its task slots. */
  slotsNumber: number;
  /** Its slots not in use. */
  freeSlots: number;
  /** Tasks deployed on it. Flink 2.3+ (absent on 1.20). */
  assignedTasks?: number;
  /** All resources of the task manager. Memory in MiB. */
  totalResource: ResourceProfile;
  /** Resources not allocated to slots. Memory in MiB. */
  freeResource: ResourceProfile;
  /** The machine it runs on. Sizes in bytes. */
  hardware: TaskManagerHardware;
  /** Its memory configuration. Sizes in bytes. */
  memoryConfiguration: TaskManagerMemoryConfiguration;
  /** `true` when the task manager is blocklisted; sent only then (absent otherwise). */
  blocked?: boolean;
}

/** One task manager in `GET /taskmanagers` (`TaskManagerInfo`). */
export function taskManagerInfo(k: SchemaKit) {
  return k.object({
    // A resource id such as `127.0.0.1:42441-749754`, not a hex id.
    id: z.string(),
    path: z.string(),
    dataPort: z.number(),
    jmxPort: z.number(),
    timeSinceLastHeartbeat: z.number(),
    slotsNumber: z.number(),
    freeSlots: z.number(),
    // Flink 2.3+.
    assignedTasks: z.number().optional(),
    totalResource: resourceProfile(k),
    freeResource: resourceProfile(k),
    hardware: k.object({
      cpuCores: z.number(),
      physicalMemory: z.number(),
      freeMemory: z.number(),
      managedMemory: z.number(),
    }),
    memoryConfiguration: k.object({
      frameworkHeap: z.number(),
      taskHeap: z.number(),
      frameworkOffHeap: z.number(),
      taskOffHeap: z.number(),
      networkMemory: z.number(),
      managedMemory: z.number(),
      jvmMetaspace: z.number(),
      jvmOverhead: z.number(),
      totalFlinkMemory: z.number(),
      totalProcessMemory: z.number(),
    }),
    // Sent only when true.
    blocked: z.boolean().optional(),
  });
}

/** The body of `GET /taskmanagers`: the registered task managers. */
export interface TaskManagers {
  /** The task managers registered now (a task manager that has not registered yet is not listed). */
  taskmanagers: TaskManagerInfo[];
}

/**
 * The registered task managers with their slots, resources and memory.
 *
 * Validates `GET /taskmanagers`: `{"taskmanagers": [...]}`; Flink 2.3 adds `assignedTasks`.
 */
export const TaskManagersSchema = typedSchema<TaskManagers>()(defineSchema((k) => k.object({ taskmanagers: z.array(taskManagerInfo(k)) })));

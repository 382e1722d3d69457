import { z } from 'zod';
import { flinkDouble } from './common.js';
import { defineSchema, type SchemaKit, type SchemaOutput } from './schema-kit.js';

/**
 * The web UI configuration, which also carries the cluster's Flink version.
 *
 * Validates `GET /config`: `refresh-interval`, `timezone-name`, `timezone-offset`,
 * `flink-version`, `flink-revision` and `features` (`web-submit`, `web-cancel`, `web-rescale`,
 * `web-history`). The SDK reads `flink-version` to detect what the cluster supports.
 */
export const DashboardConfigSchema = defineSchema((k) =>
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
);
/** The body of `GET /config`. */
export type DashboardConfig = SchemaOutput<typeof DashboardConfigSchema>;

/**
 * Cluster-wide counts: task managers, slots, and jobs per outcome, plus the Flink version.
 *
 * Validates `GET /overview`. `taskmanagers-blocked` and `slots-free-and-blocked` are sent only when
 * not zero (blocklisted task managers).
 */
export const ClusterOverviewSchema = defineSchema((k) =>
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
);
/** The body of `GET /overview`. */
export type ClusterOverview = SchemaOutput<typeof ClusterOverviewSchema>;

/**
 * A configuration as a list of key/value strings.
 *
 * Validates `GET /jobmanager/config`, `GET /jobs/:jobid/jobmanager/config` and (Flink 2.3)
 * `GET /applications/:applicationid/jobmanager/config`: `[{"key", "value"}]`.
 */
export const ConfigEntriesSchema = defineSchema((k) => z.array(k.object({ key: z.string(), value: z.string() })));
/** The body of `GET /jobmanager/config`. */
export type ConfigEntries = SchemaOutput<typeof ConfigEntriesSchema>;

/** A resource profile (`ResourceProfileInfo`): CPU cores and memory sizes in MiB. */
function resourceProfile(k: SchemaKit) {
  return k.object({
    cpuCores: flinkDouble(),
    taskHeapMemory: z.number(),
    taskOffHeapMemory: z.number(),
    managedMemory: z.number(),
    networkMemory: z.number(),
    extendedResources: z.record(z.string(), z.number()),
  });
}

/** One task manager in `GET /taskmanagers` (`TaskManagerInfo`). */
function taskManagerInfo(k: SchemaKit) {
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

/**
 * The registered task managers with their slots, resources and memory.
 *
 * Validates `GET /taskmanagers`: `{"taskmanagers": [...]}`; Flink 2.3 adds `assignedTasks`.
 */
export const TaskManagersSchema = defineSchema((k) => k.object({ taskmanagers: z.array(taskManagerInfo(k)) }));
/** The body of `GET /taskmanagers`. */
export type TaskManagers = SchemaOutput<typeof TaskManagersSchema>;

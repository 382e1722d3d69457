import { z } from 'zod';
import { flinkDouble } from './common.js';
import { defineSchema, type SchemaKit, type SchemaOutput, typedSchema } from './schema-kit.js';

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

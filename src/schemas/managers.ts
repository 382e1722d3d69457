import { z } from 'zod';
import { hexId } from './common.js';
import { type ResourceProfile, resourceProfile, type TaskManagerInfo, taskManagerInfo } from './cluster.js';
import { defineSchema, typedSchema } from './schema-kit.js';

/** The body of `GET /jobmanager/environment` and `GET /jobs/:id/jobmanager/environment` (`EnvironmentInfo`). */
export interface EnvironmentInfo {
  /** The JVM. */
  jvm: {
    /** Its name and version, such as `OpenJDK 64-Bit Server VM - Debian - 17/17.0.15+6`. */
    version: string;
    /** The CPU architecture, such as `amd64`. */
    arch: string;
    /** Its command-line options (`-Xmx…`, `-D…`). */
    options: string[];
  };
  /** The class path, one entry per jar or directory. */
  classpath: string[];
}

/** Validates `GET /jobmanager/environment` and `GET /jobs/:id/jobmanager/environment`. */
export const EnvironmentInfoSchema = typedSchema<EnvironmentInfo>()(defineSchema((k) =>
  k.object({
    jvm: k.object({ version: z.string(), arch: z.string(), options: z.array(z.string()) }),
    classpath: z.array(z.string()),
  }),
));

/** One thread of a thread dump. */
export interface ThreadInfo {
  /** The thread's name. */
  threadName: string;
  /** Java's `ThreadInfo.toString()`: state, lock and stack frames, as text. */
  stringifiedThreadInfo: string;
}

/** The body of `GET /jobmanager/thread-dump` and `GET /taskmanagers/:id/thread-dump` (`ThreadDumpInfo`). */
export interface ThreadDump {
  /** Every thread of the JVM. */
  threadInfos: ThreadInfo[];
}

/** Validates the thread-dump routes. */
export const ThreadDumpSchema = typedSchema<ThreadDump>()(defineSchema((k) =>
  k.object({ threadInfos: z.array(k.object({ threadName: z.string(), stringifiedThreadInfo: z.string() })) }),
));

/** One file of a JobManager's or TaskManager's log directory. */
export interface LogFileInfo {
  /** The file name, to read with `logFile(name)`. */
  name: string;
  /** Its size in bytes. */
  size: number;
  /** When it was last modified, ms since the epoch (Flink 1.19+). */
  mtime?: number;
}

/** The body of `GET /jobmanager/logs` and `GET /taskmanagers/:id/logs` (`LogListInfo`). */
export interface LogList {
  /** The files of the log directory (`FLINK_LOG_DIR`). */
  logs: LogFileInfo[];
}

/** Validates the log-list routes. */
export const LogListSchema = typedSchema<LogList>()(defineSchema((k) =>
  k.object({ logs: z.array(k.object({ name: z.string(), size: z.number(), mtime: z.number().optional() })) }),
));

/** A slot allocated on a task manager. */
export interface AllocatedSlot {
  /** The job the slot is allocated to. */
  jobId: string;
  /** The slot's resources (memory in MiB). */
  resource: ResourceProfile;
  /** Tasks deployed in the slot (Flink 2.3+). */
  assignedTasks?: number;
}

/** A garbage collector's totals. */
export interface GarbageCollectorInfo {
  /** Its name (`G1_Young_Generation`, or `All`). */
  name: string;
  /** Collections so far. */
  count: number;
  /** ms spent collecting so far. */
  time: number;
}

/** The memory metrics of a task manager (`TaskManagerMetricsInfo`), bytes. */
export interface TaskManagerMetrics {
  /** Heap used. */
  heapUsed: number;
  /** Heap committed. */
  heapCommitted: number;
  /** Heap maximum. */
  heapMax: number;
  /** Non-heap used. */
  nonHeapUsed: number;
  /** Non-heap committed. */
  nonHeapCommitted: number;
  /** Non-heap maximum. */
  nonHeapMax: number;
  /** Direct buffers. */
  directCount: number;
  /** Direct memory used. */
  directUsed: number;
  /** Direct memory capacity. */
  directMax: number;
  /** Mapped buffers. */
  mappedCount: number;
  /** Mapped memory used. */
  mappedUsed: number;
  /** Mapped memory capacity. */
  mappedMax: number;
  /** Network memory segments available. */
  nettyShuffleMemorySegmentsAvailable: number;
  /** Network memory segments used. */
  nettyShuffleMemorySegmentsUsed: number;
  /** Network memory segments in all. */
  nettyShuffleMemorySegmentsTotal: number;
  /** Network memory available, bytes. */
  nettyShuffleMemoryAvailable: number;
  /** Network memory used, bytes. */
  nettyShuffleMemoryUsed: number;
  /** Network memory in all, bytes. */
  nettyShuffleMemoryTotal: number;
  /** Network memory segments available, under their Flink 1.x name. */
  memorySegmentsAvailable?: number;
  /** Network memory segments in all, under their Flink 1.x name. */
  memorySegmentsTotal?: number;
  /** Per garbage collector. */
  garbageCollectors: GarbageCollectorInfo[];
}

/**
 * The body of `GET /taskmanagers/:id` (`TaskManagerDetailsInfo`): what `GET /taskmanagers` lists,
 * plus the slots allocated and memory metrics.
 */
export interface TaskManagerDetails extends TaskManagerInfo {
  /** The slots allocated to jobs. */
  allocatedSlots: AllocatedSlot[];
  /** Memory and garbage-collection metrics. */
  metrics: TaskManagerMetrics;
}

/** Validates `GET /taskmanagers/:id`. */
export const TaskManagerDetailsSchema = typedSchema<TaskManagerDetails>()(defineSchema((k) =>
  taskManagerInfo(k).extend({
    allocatedSlots: z.array(k.object({ jobId: hexId(k), resource: resourceProfile(k), assignedTasks: z.number().optional() })),
    metrics: k.object({
      heapUsed: z.number(),
      heapCommitted: z.number(),
      heapMax: z.number(),
      nonHeapUsed: z.number(),
      nonHeapCommitted: z.number(),
      nonHeapMax: z.number(),
      directCount: z.number(),
      directUsed: z.number(),
      directMax: z.number(),
      mappedCount: z.number(),
      mappedUsed: z.number(),
      mappedMax: z.number(),
      nettyShuffleMemorySegmentsAvailable: z.number(),
      nettyShuffleMemorySegmentsUsed: z.number(),
      nettyShuffleMemorySegmentsTotal: z.number(),
      nettyShuffleMemoryAvailable: z.number(),
      nettyShuffleMemoryUsed: z.number(),
      nettyShuffleMemoryTotal: z.number(),
      memorySegmentsAvailable: z.number().optional(),
      memorySegmentsTotal: z.number().optional(),
      garbageCollectors: z.array(k.object({ name: z.string(), count: z.number(), time: z.number() })),
    }),
  }),
));

/** The body of the log-URL routes (`LogUrlResponse`). */
export interface LogUrl {
  /** The web UI page of the logs (built from `historyserver.log.jobmanager.url-pattern` and friends when set). */
  url: string;
}

/** Validates `GET /jobs/:id/jobmanager/log-url` and `GET /jobs/:id/taskmanagers/:tm/log-url`. */
export const LogUrlSchema = typedSchema<LogUrl>()(defineSchema((k) => k.object({ url: z.string() })));

/** A cluster data set: an intermediate result kept across jobs (`DataStream#cache()`). */
export interface ClusterDataSet {
  /** Its id (32 hex characters). */
  id: string;
  /** Whether every partition is still there. */
  isComplete: boolean;
}

/** The body of `GET /datasets` (`ClusterDataSetListResponseBody`). */
export interface ClusterDataSets {
  /** The cluster's data sets. */
  dataSets: ClusterDataSet[];
}

/** Validates `GET /datasets`. */
export const ClusterDataSetsSchema = typedSchema<ClusterDataSets>()(defineSchema((k) =>
  k.object({ dataSets: z.array(k.object({ id: hexId(k), isComplete: z.boolean() })) }),
));

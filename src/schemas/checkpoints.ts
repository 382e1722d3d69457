import { z } from 'zod';
import { type FlinkDouble, flinkDouble, hexId } from './common.js';
import { defineSchema, type SchemaKit, typedSchema } from './schema-kit.js';

/** Checkpoint statuses (`CheckpointStatsStatus`). */
export const KNOWN_CHECKPOINT_STATUSES = ['IN_PROGRESS', 'COMPLETED', 'FAILED'] as const;

/** The `className` discriminator of checkpoint statistics entries. */
export const KNOWN_CHECKPOINT_CLASS_NAMES = ['completed', 'failed', 'in_progress'] as const;

/** Checkpoint types as the REST API reports them (`RestAPICheckpointType`). */
export const KNOWN_CHECKPOINT_TYPES = ['CHECKPOINT', 'UNALIGNED_CHECKPOINT', 'SAVEPOINT', 'SYNC_SAVEPOINT'] as const;

/** Savepoint formats (`SavepointFormatType`). */
export const KNOWN_SAVEPOINT_FORMATS = ['CANONICAL', 'NATIVE'] as const;

/** Checkpointing modes as `GET /jobs/:id/checkpoints/config` writes them: lower case. */
export const KNOWN_CHECKPOINTING_MODES = ['exactly_once', 'at_least_once'] as const;

/** A checkpoint status: `IN_PROGRESS`, `COMPLETED` or `FAILED` (or, in lenient validation, a newer one). */
export type CheckpointStatus = (typeof KNOWN_CHECKPOINT_STATUSES)[number] | (string & {});

/** Min, max, average and percentiles of one metric over the job's completed checkpoints (`StatsSummaryDto`). */
export interface StatsSummary {
  /** The smallest value; 0 before any checkpoint completed. */
  min: number;
  /** The largest value; 0 before any checkpoint completed. */
  max: number;
  /** The average, rounded down to a whole number; 0 before any checkpoint completed. */
  avg: number;
  /** The median. A double: the string `"NaN"` before any checkpoint completed. */
  p50: FlinkDouble;
  /** The 90th percentile; `"NaN"` before any checkpoint completed. */
  p90: FlinkDouble;
  /** The 95th percentile; `"NaN"` before any checkpoint completed. */
  p95: FlinkDouble;
  /** The 99th percentile; `"NaN"` before any checkpoint completed. */
  p99: FlinkDouble;
  /** The 99.9th percentile; `"NaN"` before any checkpoint completed. */
  p999: FlinkDouble;
}

/**
 * Min/max/average and percentiles of a checkpoint metric. The percentiles are doubles that Flink
 * writes as the string `"NaN"` while no checkpoint has completed.
 */
export function statsSummary(k: SchemaKit) {
  return k.object({
    min: z.number(),
    max: z.number(),
    avg: z.number(),
    p50: flinkDouble(),
    p90: flinkDouble(),
    p95: flinkDouble(),
    p99: flinkDouble(),
    p999: flinkDouble(),
  });
}

/**
 * The progress and sizes of one checkpoint: of the whole job in {@link CheckpointStatisticsBase},
 * of one job vertex in {@link TaskCheckpointStatistics}.
 */
export interface CheckpointMetrics {
  /** The checkpoint id: one rising sequence per job, shared with savepoints (a restored job continues it). */
  id: number;
  /** The checkpoint's status. */
  status: CheckpointStatus;
  /** When the last subtask acknowledged, ms since the epoch; -1 before any did. */
  latest_ack_timestamp: number;
  /**
   * Bytes persisted by this checkpoint: for incremental checkpoints only the increment
   * ("Checkpointed Data Size" in the web UI).
   */
  checkpointed_size: number;
  /** The full state size in bytes ("Full Checkpoint Data Size" in the web UI), whatever was uploaded this time. */
  state_size: number;
  /** ms from the trigger to the last acknowledgement (so far, while in progress). */
  end_to_end_duration: number;
  /** Deprecated; always 0. */
  alignment_buffered: number;
  /** Bytes processed during alignment (unaligned checkpoints). */
  processed_data: number;
  /** Bytes of in-flight data persisted (unaligned checkpoints). */
  persisted_data: number;
  /** The subtasks that take part. */
  num_subtasks: number;
  /** The subtasks that acknowledged so far. */
  num_acknowledged_subtasks: number;
}

/** The fields of {@link CheckpointMetrics}. */
export function checkpointMetricsShape(k: SchemaKit) {
  return {
    id: z.number(),
    status: k.openEnum(KNOWN_CHECKPOINT_STATUSES),
    latest_ack_timestamp: z.number(),
    checkpointed_size: z.number(),
    state_size: z.number(),
    end_to_end_duration: z.number(),
    alignment_buffered: z.number(),
    processed_data: z.number(),
    persisted_data: z.number(),
    num_subtasks: z.number(),
    num_acknowledged_subtasks: z.number(),
  } satisfies z.ZodRawShape;
}

/** Checkpoint statistics of one job vertex for one checkpoint (`TaskCheckpointStatistics`): its subtasks only. */
export interface TaskCheckpointStatistics extends CheckpointMetrics {}

/** The fields every checkpoint statistics entry has, whatever its `className`. */
export interface CheckpointStatisticsBase extends CheckpointMetrics {
  /** Which kind of entry this is: `completed`, `failed` or `in_progress` (Jackson's type tag). */
  className: (typeof KNOWN_CHECKPOINT_CLASS_NAMES)[number] | (string & {});
  /** Whether this is a savepoint (also a stop-with-savepoint's). */
  is_savepoint: boolean;
  /** A savepoint's format, `CANONICAL` or `NATIVE`; `null` for a checkpoint. */
  savepointFormat: (typeof KNOWN_SAVEPOINT_FORMATS)[number] | (string & {}) | null;
  /** When the checkpoint was triggered, ms since the epoch. */
  trigger_timestamp: number;
  /** `CHECKPOINT`, `UNALIGNED_CHECKPOINT`, `SAVEPOINT` or `SYNC_SAVEPOINT` (stop-with-savepoint). */
  checkpoint_type: (typeof KNOWN_CHECKPOINT_TYPES)[number] | (string & {});
  /**
   * Per job vertex id, the vertex's statistics. **Empty** in `GET /jobs/:id/checkpoints` (history
   * and latest entries); filled only by `GET /jobs/:id/checkpoints/details/:checkpointid`.
   */
  tasks: Record<string, TaskCheckpointStatistics>;
}

/** The fields every checkpoint statistics entry has, whatever its `className`. */
function checkpointStatisticsShape(k: SchemaKit) {
  return {
    className: k.openEnum(KNOWN_CHECKPOINT_CLASS_NAMES),
    ...checkpointMetricsShape(k),
    is_savepoint: z.boolean(),
    savepointFormat: k.openEnum(KNOWN_SAVEPOINT_FORMATS).nullable(),
    trigger_timestamp: z.number(),
    checkpoint_type: k.openEnum(KNOWN_CHECKPOINT_TYPES),
    // Per vertex id; empty in the overview's history and latest entries.
    tasks: z.record(hexId(k), k.object(checkpointMetricsShape(k))),
  } satisfies z.ZodRawShape;
}

/**
 * One checkpoint of the history, whatever its `className`: the common fields plus the fields of
 * each kind as optional (check `className` or `status` to know which are there).
 */
export interface CheckpointStatistics extends CheckpointStatisticsBase {
  /** Completed only: where the checkpoint or savepoint is (`file:/...`, one slash); `null` if not externalized. */
  external_path?: string | null;
  /** Completed only: whether the checkpoint has since been discarded (subsumed by a newer one). */
  discarded?: boolean;
  /** Failed only: when it failed, ms since the epoch. */
  failure_timestamp?: number;
  /** Failed only: the failure message, or `null`. */
  failure_message?: string | null;
}

/**
 * One checkpoint of the history. Entries are polymorphic by `className` (`completed`, `failed`,
 * `in_progress`); rather than a union, one object type holds the common fields and the
 * subtype fields as optional: `external_path`, `discarded` (completed), `failure_timestamp`,
 * `failure_message` (failed).
 */
export function checkpointStatistics(k: SchemaKit) {
  return k.object({
    ...checkpointStatisticsShape(k),
    external_path: z.string().nullable().optional(),
    discarded: z.boolean().optional(),
    failure_timestamp: z.number().optional(),
    failure_message: z.string().nullable().optional(),
  });
}

/** A completed checkpoint or savepoint (`className: "completed"`). */
export interface CompletedCheckpointStatistics extends CheckpointStatisticsBase {
  /** Where the checkpoint or savepoint is (`file:/...`, one slash); `null` if not externalized. */
  external_path: string | null;
  /** Whether the checkpoint has since been discarded (subsumed by a newer one). */
  discarded: boolean;
}

/** A completed checkpoint or savepoint (`className: "completed"`). */
function completedCheckpointStatistics(k: SchemaKit) {
  return k.object({
    ...checkpointStatisticsShape(k),
    external_path: z.string().nullable(),
    discarded: z.boolean(),
  });
}

/** A failed checkpoint (`className: "failed"`). */
export interface FailedCheckpointStatistics extends CheckpointStatisticsBase {
  /** When it failed, ms since the epoch. */
  failure_timestamp: number;
  /** The failure message, or `null`. */
  failure_message: string | null;
}

/** A failed checkpoint (`className: "failed"`). */
function failedCheckpointStatistics(k: SchemaKit) {
  return k.object({
    ...checkpointStatisticsShape(k),
    failure_timestamp: z.number(),
    failure_message: z.string().nullable(),
  });
}

/** How many checkpoints of the job are in each state, since the job started. */
export interface CheckpointCounts {
  /** How many times the job restored state from a checkpoint or savepoint (1 after a start from a savepoint). */
  restored: number;
  /** All triggered checkpoints and savepoints. */
  total: number;
  /** Checkpoints in progress now. */
  in_progress: number;
  /** Completed checkpoints and savepoints. */
  completed: number;
  /** Failed checkpoints and savepoints. */
  failed: number;
}

/** Summaries of the completed checkpoints' metrics (`CheckpointingStatistics.Summary`). */
export interface CheckpointSummary {
  /** Bytes persisted per checkpoint (the increment, for incremental checkpoints). */
  checkpointed_size: StatsSummary;
  /** Full state size per checkpoint, in bytes. */
  state_size: StatsSummary;
  /** ms from trigger to the last acknowledgement. */
  end_to_end_duration: StatsSummary;
  /** Deprecated; always 0. */
  alignment_buffered: StatsSummary;
  /** Bytes processed during alignment. */
  processed_data: StatsSummary;
  /** Bytes of in-flight data persisted. */
  persisted_data: StatsSummary;
}

/** The checkpoint or savepoint a job restored from. */
export interface RestoredCheckpointStatistics {
  /** The restored checkpoint's id. */
  id: number;
  /** When the restore happened, ms since the epoch. */
  restore_timestamp: number;
  /** Whether it was a savepoint. */
  is_savepoint: boolean;
  /** Where it was read from, or `null`. */
  external_path: string | null;
}

/** The most recent checkpoint of each kind; each is `null` when there is none yet. */
export interface LatestCheckpoints {
  /** The latest completed checkpoint (not savepoint). */
  completed: CompletedCheckpointStatistics | null;
  /** The latest completed savepoint. */
  savepoint: CompletedCheckpointStatistics | null;
  /**
   * The latest failed checkpoint. Can be `null` although `counts.failed` is not 0: Flink 2.3.0
   * counted a failure that appears neither here nor in the history.
   */
  failed: FailedCheckpointStatistics | null;
  /** The checkpoint or savepoint the job last restored from. */
  restored: RestoredCheckpointStatistics | null;
}

/**
 * The body of `GET /jobs/:jobid/checkpoints`: a job's checkpoint counts, metric summaries, latest
 * checkpoints and history. Cached for `web.refresh-interval` (3 s), like `GET /jobs/:id`.
 */
export interface CheckpointingStatistics {
  /** Checkpoint counts per state. */
  counts: CheckpointCounts;
  /** Summaries of the completed checkpoints' metrics. */
  summary: CheckpointSummary;
  /** The latest checkpoint of each kind. */
  latest: LatestCheckpoints;
  /** The most recent checkpoints, newest first; at most `web.checkpoints.history` (10 by default). */
  history: CheckpointStatistics[];
}

/**
 * A job's checkpointing statistics: counts, summary, the latest checkpoints and the history.
 *
 * Validates `GET /jobs/:jobid/checkpoints`. Each of `latest.completed`, `latest.savepoint`,
 * `latest.failed` and `latest.restored` is `null` when there is none.
 */
export const CheckpointingStatisticsSchema = typedSchema<CheckpointingStatistics>()(defineSchema((k) =>
  k.object({
    counts: k.object({
      restored: z.number(),
      total: z.number(),
      in_progress: z.number(),
      completed: z.number(),
      failed: z.number(),
    }),
    summary: k.object({
      checkpointed_size: statsSummary(k),
      state_size: statsSummary(k),
      end_to_end_duration: statsSummary(k),
      alignment_buffered: statsSummary(k),
      processed_data: statsSummary(k),
      persisted_data: statsSummary(k),
    }),
    latest: k.object({
      completed: completedCheckpointStatistics(k).nullable(),
      savepoint: completedCheckpointStatistics(k).nullable(),
      failed: failedCheckpointStatistics(k).nullable(),
      restored: k
        .object({
          id: z.number(),
          restore_timestamp: z.number(),
          is_savepoint: z.boolean(),
          external_path: z.string().nullable(),
        })
        .nullable(),
    }),
    history: z.array(checkpointStatistics(k)),
  }),
));

/** Whether and how checkpoints are kept when the job is cancelled (externalized checkpoints). */
export interface CheckpointExternalization {
  /** Whether checkpoints are retained after the job ends (`execution.checkpointing.externalized-checkpoint-retention`). */
  enabled: boolean;
  /** Whether retained checkpoints are deleted when the job is cancelled. */
  delete_on_cancellation: boolean;
}

/**
 * The body of `GET /jobs/:jobid/checkpoints/config`: a job's checkpointing configuration
 * (`CheckpointConfigInfo`). Durations are in ms.
 */
export interface CheckpointConfig {
  /** `exactly_once` or `at_least_once`: lower case, unlike the spec's enum. */
  mode: (typeof KNOWN_CHECKPOINTING_MODES)[number] | (string & {});
  /**
   * The checkpoint interval in ms. When periodic checkpointing is off it is `Long.MAX_VALUE`,
   * which JSON parsing rounds to 9223372036854776000: test with `>= Number.MAX_SAFE_INTEGER`.
   */
  interval: number;
  /** How long a checkpoint may take before it is aborted, ms. */
  timeout: number;
  /** The minimum pause between the end of one checkpoint and the start of the next, ms. */
  min_pause: number;
  /** How many checkpoints may be in progress at once. */
  max_concurrent: number;
  /** Retention of checkpoints after the job ends. */
  externalization: CheckpointExternalization;
  /** The state backend's class name, such as `HashMapStateBackend`, or `null`. */
  state_backend: string | null;
  /** The checkpoint storage's class name, such as `FileSystemCheckpointStorage`, or `null`. */
  checkpoint_storage: string | null;
  /** Whether unaligned checkpoints are enabled. */
  unaligned_checkpoints: boolean;
  /** How many consecutive checkpoint failures the job tolerates before it fails. */
  tolerable_failed_checkpoints: number;
  /** After how long an aligned checkpoint switches to unaligned, ms; 0 = never. */
  aligned_checkpoint_timeout: number;
  /** Whether checkpoints continue after some tasks finished. */
  checkpoints_after_tasks_finish: boolean;
  /** Whether the changelog state backend is enabled. */
  state_changelog_enabled: boolean;
  /** The changelog's periodic materialization interval, ms. */
  changelog_periodic_materialization_interval: number;
  /** The changelog storage, such as `memory`, or `null`. */
  changelog_storage: string | null;
}

/**
 * A job's checkpointing configuration.
 *
 * Validates `GET /jobs/:jobid/checkpoints/config`. `mode` is lower case (`exactly_once`,
 * `at_least_once`), unlike the spec's enum; `interval` is `Long.MAX_VALUE` (read as
 * 9223372036854776000) when periodic checkpointing is off. `state_backend`,
 * `checkpoint_storage` and `changelog_storage` may be `null`.
 */
export const CheckpointConfigSchema = typedSchema<CheckpointConfig>()(defineSchema((k) =>
  k.object({
    mode: k.openEnum(KNOWN_CHECKPOINTING_MODES),
    interval: z.number(),
    timeout: z.number(),
    min_pause: z.number(),
    max_concurrent: z.number(),
    externalization: k.object({
      enabled: z.boolean(),
      delete_on_cancellation: z.boolean(),
    }),
    state_backend: z.string().nullable(),
    checkpoint_storage: z.string().nullable(),
    unaligned_checkpoints: z.boolean(),
    tolerable_failed_checkpoints: z.number(),
    aligned_checkpoint_timeout: z.number(),
    checkpoints_after_tasks_finish: z.boolean(),
    state_changelog_enabled: z.boolean(),
    changelog_periodic_materialization_interval: z.number(),
    changelog_storage: z.string().nullable(),
  }),
));

/**
 * Validates `GET /jobs/:id/checkpoints/details/:checkpointid`: one checkpoint of any `className`,
 * with `tasks` filled per job vertex (unlike the history of `GET /jobs/:id/checkpoints`).
 */
export const CheckpointDetailsSchema = typedSchema<CheckpointStatistics>()(defineSchema(checkpointStatistics));

/** A checkpoint's synchronous and asynchronous parts (ms, or their statistics). */
export interface CheckpointParts<T> {
  /** The synchronous part (the snapshot taken in the task thread). */
  sync: T;
  /** The asynchronous part (the upload). */
  async: T;
}

/** Alignment figures of a checkpoint (bytes and ms, or their statistics). */
export interface CheckpointAlignment<T> {
  /** Bytes buffered during alignment; always 0 since Flink 1.11. */
  buffered: T;
  /** Bytes processed during alignment. */
  processed: T;
  /** Bytes of in-flight data persisted (unaligned checkpoints). */
  persisted: T;
  /** ms the alignment took. */
  duration: T;
}

/** One subtask's part in one checkpoint (`SubtaskCheckpointStatistics`). */
export interface SubtaskCheckpointStatistics {
  /** `completed`, or `pending` for a subtask that has not acknowledged (or failed). */
  className: 'completed' | 'pending' | (string & {});
  /** The subtask index. */
  index: number;
  /** `completed` or `pending_or_failed`. */
  status: string;
  /** When the subtask acknowledged, ms since the epoch (completed only, as are the fields below). */
  ack_timestamp?: number;
  /** ms from the trigger to its acknowledgement. */
  end_to_end_duration?: number;
  /** Bytes it persisted this time. */
  checkpointed_size?: number;
  /** Its full state size, bytes. */
  state_size?: number;
  /** ms of its synchronous and asynchronous parts. */
  checkpoint?: CheckpointParts<number>;
  /** Alignment: bytes buffered (always 0), processed and persisted, and ms it took. */
  alignment?: CheckpointAlignment<number>;
  /** ms from the trigger until the barrier reached the subtask. */
  start_delay?: number;
  /** Whether it took an unaligned checkpoint. */
  unaligned_checkpoint?: boolean;
  /** Whether it aborted the checkpoint. */
  aborted?: boolean;
}

/** Summaries over a vertex's subtasks for one checkpoint. */
export interface TaskCheckpointSummary {
  /** Bytes persisted. */
  checkpointed_size: StatsSummary;
  /** Full state size. */
  state_size: StatsSummary;
  /** ms from trigger to acknowledgement. */
  end_to_end_duration: StatsSummary;
  /** ms of the synchronous and asynchronous parts. */
  checkpoint_duration: CheckpointParts<StatsSummary>;
  /** Alignment bytes and ms. */
  alignment: CheckpointAlignment<StatsSummary>;
  /** ms until the barrier arrived. */
  start_delay: StatsSummary;
}

/**
 * The body of `GET /jobs/:id/checkpoints/details/:checkpointid/subtasks/:vertexid`
 * (`TaskCheckpointStatisticsWithSubtaskDetails`): one vertex's part in one checkpoint, summarised
 * and per subtask.
 */
export interface TaskCheckpointDetails extends TaskCheckpointStatistics {
  /** Summaries over the subtasks. */
  summary: TaskCheckpointSummary;
  /** Per subtask. */
  subtasks: SubtaskCheckpointStatistics[];
}

/** Validates `GET /jobs/:id/checkpoints/details/:checkpointid/subtasks/:vertexid`. */
export const TaskCheckpointDetailsSchema = typedSchema<TaskCheckpointDetails>()(defineSchema((k) =>
  k.object({
    ...checkpointMetricsShape(k),
    summary: k.object({
      checkpointed_size: statsSummary(k),
      state_size: statsSummary(k),
      end_to_end_duration: statsSummary(k),
      checkpoint_duration: k.object({ sync: statsSummary(k), async: statsSummary(k) }),
      alignment: k.object({ buffered: statsSummary(k), processed: statsSummary(k), persisted: statsSummary(k), duration: statsSummary(k) }),
      start_delay: statsSummary(k),
    }),
    subtasks: z.array(
      k.object({
        className: k.openEnum(['completed', 'pending']),
        index: z.number(),
        status: z.string(),
        ack_timestamp: z.number().optional(),
        end_to_end_duration: z.number().optional(),
        checkpointed_size: z.number().optional(),
        state_size: z.number().optional(),
        checkpoint: k.object({ sync: z.number(), async: z.number() }).optional(),
        alignment: k.object({ buffered: z.number(), processed: z.number(), persisted: z.number(), duration: z.number() }).optional(),
        start_delay: z.number().optional(),
        unaligned_checkpoint: z.boolean().optional(),
        aborted: z.boolean().optional(),
      }),
    ),
  }),
));

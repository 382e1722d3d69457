import { z } from 'zod';
import { flinkDouble, hexId } from './common.js';
import { defineSchema, type SchemaKit, type SchemaOutput } from './schema-kit.js';

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

/**
 * Min/max/average and percentiles of a checkpoint metric. The percentiles are doubles that Flink
 * writes as the string `"NaN"` while no checkpoint has completed.
 */
function statsSummary(k: SchemaKit) {
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

/** Checkpoint statistics of one job vertex (`TaskCheckpointStatistics`). */
function taskCheckpointStatistics(k: SchemaKit) {
  return k.object({
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
  });
}

/** The fields every checkpoint statistics entry has, whatever its `className`. */
function checkpointStatisticsShape(k: SchemaKit) {
  return {
    className: k.openEnum(KNOWN_CHECKPOINT_CLASS_NAMES),
    id: z.number(),
    status: k.openEnum(KNOWN_CHECKPOINT_STATUSES),
    is_savepoint: z.boolean(),
    savepointFormat: k.openEnum(KNOWN_SAVEPOINT_FORMATS).nullable(),
    trigger_timestamp: z.number(),
    latest_ack_timestamp: z.number(),
    checkpointed_size: z.number(),
    state_size: z.number(),
    end_to_end_duration: z.number(),
    alignment_buffered: z.number(),
    processed_data: z.number(),
    persisted_data: z.number(),
    num_subtasks: z.number(),
    num_acknowledged_subtasks: z.number(),
    checkpoint_type: k.openEnum(KNOWN_CHECKPOINT_TYPES),
    // Per vertex id; empty in the overview's history and latest entries.
    tasks: z.record(hexId(k), taskCheckpointStatistics(k)),
  } satisfies z.ZodRawShape;
}

/**
 * One checkpoint of the history. Entries are polymorphic by `className` (`completed`, `failed`,
 * `in_progress`); rather than a union, one object type holds the common fields and the
 * subtype fields as optional: `external_path`, `discarded` (completed), `failure_timestamp`,
 * `failure_message` (failed).
 */
function checkpointStatistics(k: SchemaKit) {
  return k.object({
    ...checkpointStatisticsShape(k),
    external_path: z.string().nullable().optional(),
    discarded: z.boolean().optional(),
    failure_timestamp: z.number().optional(),
    failure_message: z.string().nullable().optional(),
  });
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
function failedCheckpointStatistics(k: SchemaKit) {
  return k.object({
    ...checkpointStatisticsShape(k),
    failure_timestamp: z.number(),
    failure_message: z.string().nullable(),
  });
}

/**
 * A job's checkpointing statistics: counts, summary, the latest checkpoints and the history.
 *
 * Validates `GET /jobs/:jobid/checkpoints`. Each of `latest.completed`, `latest.savepoint`,
 * `latest.failed` and `latest.restored` is `null` when there is none.
 */
export const CheckpointingStatisticsSchema = defineSchema((k) =>
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
);
/** The body of `GET /jobs/:jobid/checkpoints`. */
export type CheckpointingStatistics = SchemaOutput<typeof CheckpointingStatisticsSchema>;
/** One entry of `history` in `GET /jobs/:jobid/checkpoints`. */
export type CheckpointStatistics = CheckpointingStatistics['history'][number];

/**
 * A job's checkpointing configuration.
 *
 * Validates `GET /jobs/:jobid/checkpoints/config`. `mode` is lower case (`exactly_once`,
 * `at_least_once`), unlike the spec's enum; `interval` is `Long.MAX_VALUE` (read as
 * 9223372036854776000) when periodic checkpointing is off. `state_backend`,
 * `checkpoint_storage` and `changelog_storage` may be `null`.
 */
export const CheckpointConfigSchema = defineSchema((k) =>
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
);
/** The body of `GET /jobs/:jobid/checkpoints/config`. */
export type CheckpointConfig = SchemaOutput<typeof CheckpointConfigSchema>;

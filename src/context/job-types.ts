import type { StateTarget } from '../operations/wait-for-state.js';
import type { JobStatus } from '../schemas/job-status.js';
import type { ResourceRequirements } from '../schemas/jobs.js';

/** Savepoint formats: CANONICAL is portable across state backends, NATIVE is faster to take and restore. */
export type SavepointFormat = 'CANONICAL' | 'NATIVE';

/** Parameters of {@link JobClient.triggerSavepoint}. */
export interface TriggerSavepointParams {
  /** Where to write the savepoint; defaults to the cluster's `execution.checkpointing.savepoint-dir`. */
  targetDirectory?: string;
  /**
   * Cancel the job once the savepoint is taken.
   * @default false
   */
  cancelJob?: boolean;
  /**
   * The savepoint format.
   * @default Flink's default (CANONICAL)
   */
  formatType?: SavepointFormat;
  /** A trigger id of your own (32 hex characters) to make the trigger safe to repeat across processes. */
  triggerId?: string;
  /**
   * When Flink fails the operation only because not all of the job's tasks run yet (a job reports
   * RUNNING seconds before its tasks do; nothing was written), wait for the tasks (`ready()`) and
   * trigger again with a fresh trigger id, until the wait's deadline. `false` lets that failure
   * reach you at once as an `OperationFailedError`.
   * @default true
   */
  waitForTasks?: boolean;
}

/** Parameters of {@link JobClient.stopWithSavepoint}. */
export interface StopWithSavepointParams {
  /** Where to write the savepoint; defaults to the cluster's `execution.checkpointing.savepoint-dir`. */
  targetDirectory?: string;
  /**
   * Emit MAX_WATERMARK and flush all event-time timers before stopping (for a final stop, not a
   * restart).
   * @default false
   */
  drain?: boolean;
  /** The savepoint format. */
  formatType?: SavepointFormat;
  /** A trigger id of your own (32 hex characters). */
  triggerId?: string;
  /**
   * When Flink fails the operation only because not all of the job's tasks run yet (a job reports
   * RUNNING seconds before its tasks do; nothing was written), wait for the tasks (`ready()`) and
   * trigger again with a fresh trigger id, until the wait's deadline. `false` lets that failure
   * reach you at once as an `OperationFailedError`.
   * @default true
   */
  waitForTasks?: boolean;
}

/** Parameters of {@link JobClient.triggerCheckpoint}. */
export interface TriggerCheckpointParams {
  /**
   * The checkpoint type: as configured, a full checkpoint, or an incremental one.
   * @default 'CONFIGURED'
   */
  type?: 'CONFIGURED' | 'FULL' | 'INCREMENTAL';
  /** A trigger id of your own (32 hex characters). */
  triggerId?: string;
  /**
   * When Flink fails the operation only because not all of the job's tasks run yet (a job reports
   * RUNNING seconds before its tasks do; nothing was written), wait for the tasks (`ready()`) and
   * trigger again with a fresh trigger id, until the wait's deadline. `false` lets that failure
   * reach you at once as an `OperationFailedError`.
   * @default true
   */
  waitForTasks?: boolean;
}

/** What a job that finished successfully produced. */
export interface JobResult {
  /** The job id. */
  jobId: string;
  /** Always `FINISHED`. */
  status: 'FINISHED';
  /** Net runtime in milliseconds, as Flink measured it. */
  netRuntimeMs: number;
  /**
   * The user accumulators, by name, with Flink's string rendering of their values. Read from
   * `/jobs/:id/accumulators`; Flink's Java-serialized accumulator bytes are never decoded.
   */
  accumulators: Record<
    string,
    {
      /** The accumulator's Java class, such as `IntCounter`. */
      type: string;
      /** Flink's string rendering of the value, such as `"1000"`. */
      value: string;
    }
  >;
  /** Names of every accumulator the execution result reports. */
  accumulatorNames: string[];
  /** The application the job belonged to (Flink 2.3 and newer). */
  applicationId: string | undefined;
}

/** A target for {@link JobClient.waitFor}: one status, any of several, or a predicate. */
export type JobStatusTarget = StateTarget<JobStatus>;

/** Rescale targets: the same parallelism for every vertex, or explicit requirements per vertex. */
export type RescaleTarget =
  | {
      /** The parallelism for every vertex (within each vertex's max parallelism). */
      parallelism: number;
    }
  | ResourceRequirements;

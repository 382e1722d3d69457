import { FlinkError } from './flink-error.js';

/**
 * A HistoryServer was asked for something only a running cluster can do: polling a status
 * (`waitFor`, `watch`), savepoints, checkpoints, cancelling, rescaling. An archive holds the
 * precomputed answers of a job that ended; nothing in it changes. Thrown before anything is sent.
 */
export class ArchiveReadOnlyError extends FlinkError {
  static override readonly kind: string = 'ArchiveReadOnlyError';
  /** What was asked for, e.g. `cancel`. */
  readonly operation: string;
  constructor(init: { operation: string }) {
    super(`${init.operation}: a HistoryServer serves archived (ended) jobs and applications only and cannot do this; ask the cluster`, 'FLINK_ARCHIVE_READ_ONLY');
    this.operation = init.operation;
  }
}

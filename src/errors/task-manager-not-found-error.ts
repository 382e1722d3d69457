import type { FlinkApiErrorInit } from './flink-api-error.js';
import { FlinkNotFoundError } from './flink-not-found-error.js';

/**
 * The cluster has no TaskManager registered under the id: it never registered, or it left (a
 * TaskManager that restarts registers under a new id). Flink answers this with 500
 * `UnknownTaskExecutorException`; the SDK recognises it.
 */
export class TaskManagerNotFoundError extends FlinkNotFoundError {
  static override readonly kind: string = 'TaskManagerNotFoundError';
  /** The TaskManager id that was looked up. */
  readonly taskManagerId: string;
  constructor(init: FlinkApiErrorInit & { taskManagerId: string }) {
    super({ ...init, message: init.message ?? `${init.method} ${init.path} → ${init.status}: task manager ${init.taskManagerId} not found` }, 'FLINK_TASK_MANAGER_NOT_FOUND');
    this.taskManagerId = init.taskManagerId;
  }
}

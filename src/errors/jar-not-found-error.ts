import type { FlinkApiErrorInit } from './flink-api-error.js';
import { FlinkNotFoundError } from './flink-not-found-error.js';

/** The cluster has no uploaded jar with this id (it was deleted, or the JobManager restarted). */
export class JarNotFoundError extends FlinkNotFoundError {
  static override readonly kind: string = 'JarNotFoundError';
  /** The jar id that was used. */
  readonly jarId: string;
  constructor(init: FlinkApiErrorInit & { jarId: string }) {
    super({ ...init, message: init.message ?? `${init.method} ${init.path} → ${init.status}: jar ${init.jarId} not found` }, 'FLINK_JAR_NOT_FOUND');
    this.jarId = init.jarId;
  }
}

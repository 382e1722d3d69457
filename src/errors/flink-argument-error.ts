import { FlinkError } from './flink-error.js';

/**
 * An argument was rejected before any request was sent: an id that is not 32 hex characters, a
 * jar id with path characters, a negative parallelism, an unknown option value.
 */
export class FlinkArgumentError extends FlinkError {
  static override readonly kind: string = 'FlinkArgumentError';
  /** The name of the offending argument. */
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(`invalid ${argument}: ${message}`, 'FLINK_INVALID_ARGUMENT');
    this.argument = argument;
  }
}

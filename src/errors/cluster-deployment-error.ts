import { FlinkError } from './flink-error.js';

/** Why a local cluster could not be deployed. */
export type DeploymentFailure =
  /** FLINK_HOME is unset, missing, or not a Flink distribution. */
  | 'FLINK_HOME_NOT_FOUND'
  /** No `java` on JAVA_HOME or PATH. */
  | 'JAVA_NOT_FOUND'
  /** The requested REST port (or one Flink needed) is taken. */
  | 'PORT_IN_USE'
  /** A JobManager or TaskManager process exited during start-up. */
  | 'PROCESS_EXITED'
  /** The cluster did not answer with its slots registered in time. */
  | 'STARTUP_TIMEOUT'
  /** The TLS material for a `tls` cluster could not be made (openssl or keytool missing or failing). */
  | 'TLS_SETUP_FAILED';

/**
 * A local cluster could not be started. `code` names the failure (`FLINK_HOME_NOT_FOUND`,
 * `JAVA_NOT_FOUND`, `PORT_IN_USE`, `PROCESS_EXITED`, `STARTUP_TIMEOUT`, `TLS_SETUP_FAILED`); `logExcerpt` quotes the
 * relevant lines of the JobManager's and TaskManagers' logs, and `logDir` says where the whole
 * logs are. Every process that was started has been stopped by the time this is thrown.
 */
export class ClusterDeploymentError extends FlinkError {
  static override readonly kind: string = 'ClusterDeploymentError';
  /** Which failure. */
  readonly reason: DeploymentFailure;
  /** The log lines that explain it (errors and exceptions first), possibly empty. */
  readonly logExcerpt: readonly string[];
  /** Where the cluster's logs are. */
  readonly logDir: string | undefined;
  constructor(init: { reason: DeploymentFailure; message: string; logExcerpt?: readonly string[]; logDir?: string; cause?: unknown }) {
    const excerpt = init.logExcerpt ?? [];
    super(excerpt.length > 0 ? `${init.message}\n  ${excerpt.join('\n  ')}` : init.message, init.reason, { cause: init.cause });
    this.reason = init.reason;
    this.logExcerpt = excerpt;
    this.logDir = init.logDir;
  }
}

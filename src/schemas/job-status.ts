import type { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';

/**
 * Every job status Flink 1.20 to 2.3 knows (`org.apache.flink.api.common.JobStatus`), in Flink's
 * declaration order. Note the spelling: `CANCELLING` with two Ls for jobs, unlike
 * `CANCELING` for applications and tasks.
 */
export const KNOWN_JOB_STATUSES = [
  'INITIALIZING',
  'CREATED',
  'RUNNING',
  'FAILING',
  'FAILED',
  'CANCELLING',
  'CANCELED',
  'FINISHED',
  'RESTARTING',
  'SUSPENDED',
  'RECONCILING',
] as const;

/** One of the job statuses this SDK knows. */
export type KnownJobStatus = (typeof KNOWN_JOB_STATUSES)[number];

/**
 * A job status as Flink sends it: one of {@link KNOWN_JOB_STATUSES}, or, in lenient validation, a
 * status a newer Flink added (kept as a plain string so the client does not break).
 */
export type JobStatus = KnownJobStatus | (string & {});

/** The job statuses after which a job never changes again, cluster-wide. */
export type GloballyTerminalJobStatus = 'FAILED' | 'CANCELED' | 'FINISHED';

/**
 * Whether a job status is globally terminal: FAILED, CANCELED or FINISHED. SUSPENDED is terminal
 * only locally (the job may be recovered by another JobManager), so it is not included.
 */
export function isGloballyTerminalJobStatus(status: string): status is GloballyTerminalJobStatus {
  return status === 'FAILED' || status === 'CANCELED' || status === 'FINISHED';
}

/**
 * The schema of a job status field: closed over {@link KNOWN_JOB_STATUSES} in strict mode, any
 * string in lenient mode.
 */
export function jobStatusEnum(k: SchemaKit): z.ZodType<JobStatus> {
  return k.openEnum(KNOWN_JOB_STATUSES);
}

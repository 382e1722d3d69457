import { z } from 'zod';
import { hexId, numbersByName } from './common.js';
import { KNOWN_JOB_STATUSES } from './job-status.js';
import { type JobOverview, jobOverview } from './jobs.js';
import { defineSchema, type SchemaKit, typedSchema } from './schema-kit.js';

/**
 * Every application state of Flink 2.3 (`org.apache.flink.api.common.ApplicationState`), in
 * Flink's order. Note `CANCELING` with one L, unlike the job status `CANCELLING`.
 */
export const KNOWN_APPLICATION_STATUSES = ['CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELING', 'CANCELED', 'FINISHED'] as const;

/** One of the application states this SDK knows. */
export type KnownApplicationStatus = (typeof KNOWN_APPLICATION_STATUSES)[number];

/**
 * An application state as Flink sends it: one of {@link KNOWN_APPLICATION_STATUSES}, or, in lenient
 * validation, a state a newer Flink added.
 */
export type ApplicationStatus = KnownApplicationStatus | (string & {});

/** The application states after which an application never changes again. */
export type TerminalApplicationStatus = 'FAILED' | 'CANCELED' | 'FINISHED';

/** Whether an application state is terminal: FAILED, CANCELED or FINISHED. */
export function isTerminalApplicationStatus(state: string): state is TerminalApplicationStatus {
  return state === 'FAILED' || state === 'CANCELED' || state === 'FINISHED';
}

/**
 * The schema of an application state field: closed over {@link KNOWN_APPLICATION_STATUSES} in
 * strict mode, any string in lenient mode.
 */
export function applicationStatusEnum(k: SchemaKit): z.ZodType<ApplicationStatus> {
  return k.openEnum(KNOWN_APPLICATION_STATUSES);
}

/** One application in `GET /applications/overview` (Flink 2.3+, `ApplicationDetails`). */
export interface ApplicationOverview {
  /** The application id (32 hex characters). For a `/jars/:id/run` job it equals the job id. */
  id: string;
  /**
   * The application name: the main class for `/jars/:id/run-application`,
   * `SingleJobApplication(<job name>)` for a `/jars/:id/run` job.
   */
  name: string;
  /** When the application was CREATED, ms since the epoch (`GET /applications/:id` reports the RUNNING time instead). */
  'start-time': number;
  /** When the application became terminal, ms since the epoch; **-1 until then**. */
  'end-time': number;
  /** Run time in ms: `end-time − start-time` once terminal, the server's clock minus `start-time` before. */
  duration: number;
  /** The application state. */
  status: ApplicationStatus;
  /** Job status → how many of the application's jobs are in it; only statuses that occur (`{"RUNNING": 1}`). */
  jobs: Record<string, number>;
}

/** One application in `GET /applications/overview` (`ApplicationDetails`). */
function applicationOverview(k: SchemaKit) {
  return k.object({
    id: hexId(k),
    name: z.string(),
    // The CREATED time here; `GET /applications/:id` reports the RUNNING time.
    'start-time': z.number(),
    // -1 until terminal.
    'end-time': z.number(),
    duration: z.number(),
    status: applicationStatusEnum(k),
    // Job status → number of the application's jobs in it; only statuses that occur.
    jobs: numbersByName(k, KNOWN_JOB_STATUSES),
  });
}

/** The body of `GET /applications/overview` (Flink 2.3+). */
export interface ApplicationsOverview {
  /** Every application the cluster knows, running or ended. */
  applications: ApplicationOverview[];
}

/**
 * Every application the cluster knows (Flink 2.3+, FLIP-549).
 *
 * Validates `GET /applications/overview`: `{"applications": [{"id", "name", "start-time",
 * "end-time", "duration", "status", "jobs": {"<JobStatus>": count}}]}`.
 */
export const ApplicationsOverviewSchema = typedSchema<ApplicationsOverview>()(
  defineSchema((k) => k.object({ applications: z.array(applicationOverview(k)) })),
);

/** The body of `GET /applications/:applicationid` (Flink 2.3+, `ApplicationDetailsInfo`): one application with its jobs. */
export interface ApplicationDetails {
  /** The application id. */
  id: string;
  /** The application name (see {@link ApplicationOverview.name}). */
  name: string;
  /** The application state. */
  status: ApplicationStatus;
  /** When the application became RUNNING, ms since the epoch (the overview reports the CREATED time instead). */
  'start-time': number;
  /** When the application became terminal, ms since the epoch; **-1 until then**. */
  'end-time': number;
  /** Run time in ms: `end-time − start-time` once terminal, the server's clock minus `start-time` before. */
  duration: number;
  /** When the application entered each state, keyed by every application state name, ms; 0 for a state never reached. */
  timestamps: Record<string, number>;
  /** The application's jobs, as `GET /jobs/overview` lists them; empty when `main()` submitted none. */
  jobs: JobOverview[];
}

/**
 * One application's details with its jobs (Flink 2.3+).
 *
 * Validates `GET /applications/:applicationid`: `id`, `name`, `status`, `start-time` (the RUNNING
 * time), `end-time`, `duration`, `timestamps` (every application state → ms, 0 when never
 * reached) and `jobs`, whose entries have the shape of `GET /jobs/overview` entries.
 */
export const ApplicationDetailsSchema = typedSchema<ApplicationDetails>()(defineSchema((k) =>
  k.object({
    id: hexId(k),
    name: z.string(),
    status: applicationStatusEnum(k),
    'start-time': z.number(),
    'end-time': z.number(),
    duration: z.number(),
    timestamps: numbersByName(k, KNOWN_APPLICATION_STATUSES),
    jobs: z.array(jobOverview(k)),
  }),
));

/** One failure in an application's exception history (Flink 2.3+). */
export interface ApplicationExceptionInfo {
  /**
   * The exception's class name: `ApplicationExecutionException` when `main()` threw (the user's
   * exception is in the `Caused by:` lines), `JobExecutionException` for a failed job.
   */
  exceptionName: string;
  /** The full Java stack trace text. */
  stacktrace: string;
  /** When the failure happened, ms since the epoch. */
  timestamp: number;
  /** The failed job's id; absent for a failure of the application itself (e.g. its `main()` threw). */
  jobId?: string;
}

/** The body of `GET /applications/:applicationid/exceptions` (Flink 2.3+). */
export interface ApplicationExceptions {
  /** The exception history (no `truncated` flag, unlike a job's). */
  exceptionHistory: {
    /** The failures; empty for a FINISHED or CANCELED application. */
    entries: ApplicationExceptionInfo[];
  };
}

/**
 * An application's exception history (Flink 2.3+).
 *
 * Validates `GET /applications/:applicationid/exceptions`: `{"exceptionHistory": {"entries":
 * [{"exceptionName", "stacktrace", "timestamp", "jobId"?}]}}`. `jobId` is absent for a failure of
 * the application itself (e.g. its `main()` threw).
 */
export const ApplicationExceptionsSchema = typedSchema<ApplicationExceptions>()(defineSchema((k) =>
  k.object({
    exceptionHistory: k.object({
      entries: z.array(
        k.object({
          exceptionName: z.string(),
          stacktrace: z.string(),
          timestamp: z.number(),
          jobId: hexId(k).optional(),
        }),
      ),
    }),
  }),
));

import { z } from 'zod';
import { hexId, numbersByName } from './common.js';
import { KNOWN_JOB_STATUSES } from './job-status.js';
import { jobOverview } from './jobs.js';
import { defineSchema, type SchemaKit, type SchemaOutput } from './schema-kit.js';

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

/**
 * Every application the cluster knows (Flink 2.3+, FLIP-549).
 *
 * Validates `GET /applications/overview`: `{"applications": [{"id", "name", "start-time",
 * "end-time", "duration", "status", "jobs": {"<JobStatus>": count}}]}`.
 */
export const ApplicationsOverviewSchema = defineSchema((k) => k.object({ applications: z.array(applicationOverview(k)) }));
/** The body of `GET /applications/overview`. */
export type ApplicationsOverview = SchemaOutput<typeof ApplicationsOverviewSchema>;
/** One application in `GET /applications/overview`. */
export type ApplicationOverview = ApplicationsOverview['applications'][number];

/**
 * One application's details with its jobs (Flink 2.3+).
 *
 * Validates `GET /applications/:applicationid`: `id`, `name`, `status`, `start-time` (the RUNNING
 * time), `end-time`, `duration`, `timestamps` (every application state → ms, 0 when never
 * reached) and `jobs`, whose entries have the shape of `GET /jobs/overview` entries.
 */
export const ApplicationDetailsSchema = defineSchema((k) =>
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
);
/** The body of `GET /applications/:applicationid`. */
export type ApplicationDetails = SchemaOutput<typeof ApplicationDetailsSchema>;

/**
 * An application's exception history (Flink 2.3+).
 *
 * Validates `GET /applications/:applicationid/exceptions`: `{"exceptionHistory": {"entries":
 * [{"exceptionName", "stacktrace", "timestamp", "jobId"?}]}}`. `jobId` is absent for a failure of
 * the application itself (e.g. its `main()` threw).
 */
export const ApplicationExceptionsSchema = defineSchema((k) =>
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
);
/** The body of `GET /applications/:applicationid/exceptions`. */
export type ApplicationExceptions = SchemaOutput<typeof ApplicationExceptionsSchema>;

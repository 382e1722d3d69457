import { z } from 'zod';
import { type StatsSummary, statsSummary } from './checkpoints.js';
import { type ResourceProfile, resourceProfile } from './cluster.js';
import { hexId } from './common.js';
import { defineSchema, type SchemaKit, typedSchema } from './schema-kit.js';

/** How a rescale ended (`TerminalState`). */
export const KNOWN_RESCALE_TERMINAL_STATES = ['COMPLETED', 'FAILED', 'IGNORED'] as const;
/** Why a rescale ended (`TerminatedReason`). */
export const KNOWN_RESCALE_TERMINATED_REASONS = [
  'SUCCEEDED',
  'EXCEPTION_OCCURRED',
  'RESOURCE_REQUIREMENTS_UPDATED',
  'NO_RESOURCES_OR_PARALLELISMS_CHANGE',
  'JOB_FINISHED',
  'JOB_FAILED',
  'JOB_CANCELED',
  'JOB_FAILOVER_RESTARTING',
] as const;
/** What started a rescale (`TriggerCause`). */
export const KNOWN_RESCALE_TRIGGER_CAUSES = ['INITIAL_SCHEDULE', 'UPDATE_REQUIREMENT', 'NEW_RESOURCE_AVAILABLE', 'RECOVERABLE_FAILOVER'] as const;

/** The body of `GET /jobs/:id/rescales/config` (`JobRescaleConfigInfo`): the adaptive scheduler's settings. */
export interface RescaleConfig {
  /** `web.adaptive-scheduler.rescale-history.size`: rescales kept per job; 0 (the default) keeps none. */
  rescaleHistoryMax: number;
  /** `REACTIVE` in reactive mode, else `null`. */
  schedulerExecutionMode: 'REACTIVE' | (string & {}) | null;
  /** `jobmanager.adaptive-scheduler.submission.resource-wait-timeout`, ms. */
  submissionResourceWaitTimeoutInMillis: number;
  /** `jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout`, ms. */
  submissionResourceStabilizationTimeoutInMillis: number;
  /** `slot.idle.timeout`, ms. */
  slotIdleTimeoutInMillis: number;
  /** `jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling`, ms. */
  executingCooldownTimeoutInMillis: number;
  /** `jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout`, ms. */
  executingResourceStabilizationTimeoutInMillis: number;
  /** `jobmanager.adaptive-scheduler.rescale-trigger.max-delay`, ms. */
  maximumDelayForTriggeringRescaleInMillis: number;
  /** `jobmanager.adaptive-scheduler.rescale-trigger.max-checkpoint-failures`. */
  rescaleOnFailedCheckpointCount: number;
}

/** Validates `GET /jobs/:id/rescales/config`. */
export const RescaleConfigSchema = typedSchema<RescaleConfig>()(defineSchema((k) =>
  k.object({
    rescaleHistoryMax: z.number(),
    schedulerExecutionMode: k.openEnum(['REACTIVE']).nullable(),
    submissionResourceWaitTimeoutInMillis: z.number(),
    submissionResourceStabilizationTimeoutInMillis: z.number(),
    slotIdleTimeoutInMillis: z.number(),
    executingCooldownTimeoutInMillis: z.number(),
    executingResourceStabilizationTimeoutInMillis: z.number(),
    maximumDelayForTriggeringRescaleInMillis: z.number(),
    rescaleOnFailedCheckpointCount: z.number(),
  }),
));

/** One vertex's parallelism in a rescale (`VertexParallelismRescaleInfo`). */
export interface VertexRescale {
  /** The vertex id. */
  jobVertexId: string;
  /** The vertex name. */
  jobVertexName: string;
  /** Its slot sharing group id. */
  slotSharingGroupId: string;
  /** Its slot sharing group name. */
  slotSharingGroupName: string;
  /** The parallelism asked for. */
  desiredParallelism?: number | null;
  /** The parallelism the scheduler accepts as enough. */
  sufficientParallelism?: number | null;
  /** The parallelism before. */
  preRescaleParallelism?: number | null;
  /** The parallelism after; absent or null until known. */
  postRescaleParallelism?: number | null;
  /** The lower and upper bound asked for; in the spec, not sent by 2.3.0. */
  requiredParallelisms?: Record<string, unknown> | null;
}

/** One slot sharing group's slots in a rescale (`SlotSharingGroupRescaleInfo`). */
export interface SlotRescale {
  /** The group id. */
  slotSharingGroupId: string;
  /** The group name. */
  slotSharingGroupName: string;
  /** The resources requested per slot; -1 everywhere for "unknown". */
  requestResourceProfile?: ResourceProfile | null;
  /** Slots asked for. */
  desiredSlots?: number | null;
  /** Slots needed at least. */
  minimalRequiredSlots?: number | null;
  /** Slots before. */
  preRescaleSlots?: number | null;
  /** Slots after. */
  postRescaleSlots?: number | null;
  /** The resources of the slots acquired. */
  acquiredResourceProfile?: ResourceProfile | null;
}

/** A scheduler state the rescale went through (`SchedulerStateSpan`). */
export interface SchedulerStateSpan {
  /** The state, such as `Executing`, `WaitingForResources`, `Restarting`. */
  state: string;
  /** When it was entered, ms since the epoch. */
  enterTimestampInMillis: number | null;
  /** When it was left, ms since the epoch; null while in it. */
  leaveTimestampInMillis: number | null;
  /** ms spent in it; null while in it. */
  durationInMillis: number | null;
  /** The exception that ended it, as text, or null. */
  stringifiedException: string | null;
}

/** One rescale of a job (`JobRescaleDetails`). */
export interface RescaleDetails {
  /** The rescale's id: pass it to `job.rescaleDetails()`. */
  rescaleUuid: string;
  /** The id of the resource requirements it served. */
  resourceRequirementsUuid: string;
  /** Which attempt at those requirements this is, from 1. */
  rescaleAttemptId: number;
  /** Per vertex id. Empty in the history and overview; filled by `rescaleDetails()`. */
  vertices: Record<string, VertexRescale>;
  /** Per slot sharing group id. Empty in the history and overview. */
  slots: Record<string, SlotRescale>;
  /** The scheduler states it went through. Empty in the history and overview. */
  schedulerStates: SchedulerStateSpan[];
  /** When it started, ms since the epoch. */
  startTimestampInMillis: number;
  /** When it ended, ms since the epoch; null while in progress. */
  endTimestampInMillis: number | null;
  /** `COMPLETED`, `FAILED`, `IGNORED`; null while in progress. */
  terminalState: (typeof KNOWN_RESCALE_TERMINAL_STATES)[number] | (string & {}) | null;
  /** What started it. */
  triggerCause: (typeof KNOWN_RESCALE_TRIGGER_CAUSES)[number] | (string & {}) | null;
  /** Why it ended; null while in progress. */
  terminatedReason: (typeof KNOWN_RESCALE_TERMINATED_REASONS)[number] | (string & {}) | null;
}

function rescaleDetails(k: SchemaKit) {
  const optNum = z.number().nullable().optional();
  return k.object({
    rescaleUuid: z.string(),
    resourceRequirementsUuid: z.string(),
    rescaleAttemptId: z.number(),
    vertices: z.record(
      z.string(),
      k.object({
        jobVertexId: hexId(k),
        jobVertexName: z.string(),
        slotSharingGroupId: hexId(k),
        slotSharingGroupName: z.string(),
        desiredParallelism: optNum,
        sufficientParallelism: optNum,
        preRescaleParallelism: optNum,
        postRescaleParallelism: optNum,
        requiredParallelisms: z.record(z.string(), z.unknown()).nullable().optional(),
      }),
    ),
    slots: z.record(
      z.string(),
      k.object({
        slotSharingGroupId: hexId(k),
        slotSharingGroupName: z.string(),
        requestResourceProfile: resourceProfile(k).nullable().optional(),
        desiredSlots: optNum,
        minimalRequiredSlots: optNum,
        preRescaleSlots: optNum,
        postRescaleSlots: optNum,
        acquiredResourceProfile: resourceProfile(k).nullable().optional(),
      }),
    ),
    schedulerStates: z.array(
      k.object({
        state: z.string(),
        enterTimestampInMillis: z.number().nullable(),
        leaveTimestampInMillis: z.number().nullable(),
        durationInMillis: z.number().nullable(),
        stringifiedException: z.string().nullable(),
      }),
    ),
    startTimestampInMillis: z.number(),
    endTimestampInMillis: z.number().nullable(),
    terminalState: k.openEnum(KNOWN_RESCALE_TERMINAL_STATES).nullable(),
    triggerCause: k.openEnum(KNOWN_RESCALE_TRIGGER_CAUSES).nullable(),
    terminatedReason: k.openEnum(KNOWN_RESCALE_TERMINATED_REASONS).nullable(),
  });
}

/** Validates `GET /jobs/:id/rescales/details/:rescaleuuid`. */
export const RescaleDetailsSchema = typedSchema<RescaleDetails>()(defineSchema(rescaleDetails));

/** Validates `GET /jobs/:id/rescales/history`: a JSON array, newest first, at most `rescaleHistoryMax` long. */
export const RescaleHistorySchema = typedSchema<RescaleDetails[]>()(defineSchema((k) => z.array(rescaleDetails(k))));

/** Rescales per terminal state, since the job started. */
export interface RescaleCounts {
  /** Rescales that changed nothing. */
  ignored: number;
  /** Rescales under way. */
  inProgress: number;
  /** Rescales that completed. */
  completed: number;
  /** Rescales that failed. */
  failed: number;
}

function rescaleCounts(k: SchemaKit) {
  return k.object({ ignored: z.number(), inProgress: z.number(), completed: z.number(), failed: z.number() });
}

/** The latest rescale of each terminal state (`LatestRescales`). */
export interface LatestRescales {
  /** The latest completed rescale, or null. */
  completed: RescaleDetails | null;
  /** The latest failed rescale, or null. */
  failed: RescaleDetails | null;
  /** The latest ignored rescale, or null. */
  ignored: RescaleDetails | null;
}

/** The body of `GET /jobs/:id/rescales/overview` (`JobRescalesOverview`). */
export interface RescalesOverview {
  /** Counts per state. */
  rescalesCounts: RescaleCounts;
  /** The latest rescale of each terminal state, or null. */
  latest: LatestRescales;
}

/** Validates `GET /jobs/:id/rescales/overview`. */
export const RescalesOverviewSchema = typedSchema<RescalesOverview>()(defineSchema((k) =>
  k.object({
    rescalesCounts: rescaleCounts(k),
    latest: k.object({ completed: rescaleDetails(k).nullable(), failed: rescaleDetails(k).nullable(), ignored: rescaleDetails(k).nullable() }),
  }),
));

/** The body of `GET /jobs/:id/rescales/summary` (`JobRescalesSummary`): counts and duration statistics. */
export interface RescaleSummary {
  /** Counts per state. */
  rescalesCounts: RescaleCounts;
  /** Duration of every rescale, ms. */
  rescalesDurationStatsInMillis: StatsSummary;
  /** Duration of completed rescales, ms. */
  completedRescalesDurationStatsInMillis: StatsSummary;
  /** Duration of ignored rescales, ms. */
  ignoredRescalesDurationStatsInMillis: StatsSummary;
  /** Duration of failed rescales, ms. */
  failedRescalesDurationStatsInMillis: StatsSummary;
}

/** Validates `GET /jobs/:id/rescales/summary`. */
export const RescaleSummarySchema = typedSchema<RescaleSummary>()(defineSchema((k) =>
  k.object({
    rescalesCounts: rescaleCounts(k),
    rescalesDurationStatsInMillis: statsSummary(k),
    completedRescalesDurationStatsInMillis: statsSummary(k),
    ignoredRescalesDurationStatsInMillis: statsSummary(k),
    failedRescalesDurationStatsInMillis: statsSummary(k),
  }),
));

import { restHandlerError, throwableError } from '../java.js';
import type { JobModel } from '../job-model.js';
import type { ClusterModel } from '../model.js';
import { type RescaleRecord, rescaleHistorySize, rescalesOf } from '../rescale-history.js';
import { defineRoute, fail, isResult, ok, param, type Route, type RouteResult } from '../route-kit.js';
import { jobOf, type Json } from './shared.js';

/**
 * The adaptive scheduler's rescale records (Flink 2.3): `/jobs/:jobid/rescales/config`,
 * `/overview`, `/history`, `/summary`, `/details/:rescaleuuid`, from rescale-history.ts; and the
 * legacy `GET /jobs/:jobid/rescaling/:triggerid`, which Flink keeps disabled (503, like its PATCH).
 * As real 2.3.0: for a job of the default scheduler `config` answers 404 `AdaptiveScheduler is
 * not enabled ...`, `details` 404 `AdaptiveScheduler rescales was not enabled ...`, and
 * `overview`, `history` and `summary` 404 `RescalesUnavailableException` (seen by the contract suite); with the adaptive scheduler and a history size of
 * 0 every route answers 200 with nothing recorded. History and overview entries leave `vertices`,
 * `slots` and `schedulerStates` empty; only `details` fills them.
 */

const NOT_ENABLED = (jobId: string): RouteResult => fail({ status: 404, body: restHandlerError(`AdaptiveScheduler is not enabled for this job (${jobId}).`) });
const RESCALES_NOT_ENABLED = (jobId: string): RouteResult => fail({ status: 404, body: restHandlerError(`AdaptiveScheduler rescales was not enabled for job ${jobId}.`) });
const UNAVAILABLE = (jobId: string): RouteResult =>
  fail({
    status: 404,
    body: throwableError({
      className: 'org.apache.flink.runtime.rest.handler.job.rescales.RescalesUnavailableException',
      message: `The job \`${jobId}\` has not enabled the \`Adaptive\` scheduler, or it has been enabled but the value of configuration option \`web.adaptive-scheduler.rescale-history.size\` has not been set to greater than \`0\`.`,
    }),
  });

/** A Flink duration option (`30 s`, `5 min`, `300000`) in ms, or the default. */
function durationMs(model: ClusterModel, key: string, fallback: number): number {
  const raw = model.config.configuration[key];
  const m = raw === undefined ? null : /^\s*(\d+(?:\.\d+)?)\s*(ms|milli|millis|s|sec|secs|second|seconds|min|mins|minute|minutes|h|hour|hours)?\s*$/i.exec(raw);
  if (!m) return fallback;
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = unit.startsWith('h') ? 3_600_000 : unit.startsWith('mi') && unit !== 'milli' && unit !== 'millis' ? 60_000 : unit.startsWith('s') ? 1000 : 1;
  return Math.round(Number(m[1]) * factor);
}

function renderConfig(model: ClusterModel): Json {
  const c = model.config.configuration;
  const failures = Number.parseInt(c['jobmanager.adaptive-scheduler.rescale-trigger.max-checkpoint-failures'] ?? '2', 10);
  return {
    rescaleHistoryMax: rescaleHistorySize(model),
    schedulerExecutionMode: (c['scheduler-mode'] ?? '').toLowerCase() === 'reactive' ? 'REACTIVE' : null,
    submissionResourceWaitTimeoutInMillis: durationMs(model, 'jobmanager.adaptive-scheduler.submission.resource-wait-timeout', 300_000),
    submissionResourceStabilizationTimeoutInMillis: durationMs(model, 'jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout', 10_000),
    slotIdleTimeoutInMillis: durationMs(model, 'slot.idle.timeout', 50_000),
    executingCooldownTimeoutInMillis: durationMs(model, 'jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling', 30_000),
    executingResourceStabilizationTimeoutInMillis: durationMs(model, 'jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout', 60_000),
    maximumDelayForTriggeringRescaleInMillis: durationMs(model, 'jobmanager.adaptive-scheduler.rescale-trigger.max-delay', 3000),
    rescaleOnFailedCheckpointCount: Number.isFinite(failures) ? failures : 2,
  };
}

const UNKNOWN_PROFILE = { cpuCores: -1, taskHeapMemory: -1, taskOffHeapMemory: -1, managedMemory: -1, networkMemory: -1, extendedResources: {} };
const SLOT_PROFILE = { cpuCores: 1, taskHeapMemory: 12, taskOffHeapMemory: 0, managedMemory: 115, networkMemory: 32, extendedResources: {} };

/** `JobRescaleDetails`: with `full`, the vertices, slots and scheduler states (details only). */
function renderRescale(job: JobModel, r: RescaleRecord, full: boolean): Json {
  const vertices: Json = {};
  const slots: Json = {};
  if (full) {
    for (const v of job.vertices) {
      const p = r.vertices.get(v.id);
      if (!p) continue;
      vertices[v.id] = {
        jobVertexId: v.id,
        jobVertexName: v.name,
        slotSharingGroupId: v.slotSharingGroupId,
        slotSharingGroupName: 'default',
        desiredParallelism: p.desired,
        sufficientParallelism: p.sufficient,
        preRescaleParallelism: p.pre,
        postRescaleParallelism: p.post,
      };
      const group = slots[v.slotSharingGroupId] as Json | undefined;
      const max = (key: string, value: number | null): number | null => (value === null ? ((group?.[key] as number | null) ?? null) : Math.max(value, (group?.[key] as number | null) ?? 0));
      slots[v.slotSharingGroupId] = {
        slotSharingGroupId: v.slotSharingGroupId,
        slotSharingGroupName: 'default',
        requestResourceProfile: UNKNOWN_PROFILE,
        desiredSlots: max('desiredSlots', p.desired),
        minimalRequiredSlots: max('minimalRequiredSlots', p.sufficient),
        preRescaleSlots: max('preRescaleSlots', p.pre),
        postRescaleSlots: max('postRescaleSlots', p.post),
        acquiredResourceProfile: SLOT_PROFILE,
      };
    }
  }
  return {
    rescaleUuid: r.uuid,
    resourceRequirementsUuid: r.requirementsUuid,
    rescaleAttemptId: 1,
    vertices,
    slots,
    schedulerStates: full
      ? r.states.map((s) => ({ state: s.state, enterTimestampInMillis: s.enter, leaveTimestampInMillis: s.leave, durationInMillis: s.leave === null ? null : s.leave - s.enter, stringifiedException: null }))
      : [],
    startTimestampInMillis: r.start,
    endTimestampInMillis: r.end,
    terminalState: r.terminalState,
    triggerCause: r.trigger,
    terminatedReason: r.reason,
  };
}

function counts(records: readonly RescaleRecord[]): Json {
  const n = (s: RescaleRecord['terminalState']): number => records.filter((r) => r.terminalState === s).length;
  return { ignored: n('IGNORED'), inProgress: n(null), completed: n('COMPLETED'), failed: n('FAILED') };
}

/** Flink's `StatsSummary` of durations: percentiles interpolated (as recorded: p50 of 2802 and 8196 is 5499), "NaN" when empty. */
function durationStats(values: number[]): Json {
  if (values.length === 0) return { min: 0, max: 0, avg: 0, p50: 'NaN', p90: 'NaN', p95: 'NaN', p99: 'NaN', p999: 'NaN' };
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const at = (p: number): number => {
    const pos = p * (n + 1);
    if (pos < 1) return sorted[0] as number;
    if (pos >= n) return sorted[n - 1] as number;
    const lower = sorted[Math.floor(pos) - 1] as number;
    const upper = sorted[Math.floor(pos)] as number;
    return lower + (pos - Math.floor(pos)) * (upper - lower);
  };
  return { min: sorted[0], max: sorted[n - 1], avg: Math.floor(sorted.reduce((a, b) => a + b, 0) / n), p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), p999: at(0.999) };
}

function renderSummary(records: readonly RescaleRecord[]): Json {
  const ended = records.filter((r) => r.end !== null);
  const of = (state?: RescaleRecord['terminalState']): number[] => ended.filter((r) => state === undefined || r.terminalState === state).map((r) => (r.end as number) - r.start);
  return {
    rescalesCounts: counts(records),
    rescalesDurationStatsInMillis: durationStats(of()),
    completedRescalesDurationStatsInMillis: durationStats(of('COMPLETED')),
    ignoredRescalesDurationStatsInMillis: durationStats(of('IGNORED')),
    failedRescalesDurationStatsInMillis: durationStats(of('FAILED')),
  };
}

/** The job and its records (empty with a history size of 0), or the route's answer. */
function lookup(model: ClusterModel, jobId: string, refusal: (id: string) => RouteResult): { job: JobModel; records: readonly RescaleRecord[] } | RouteResult {
  const job = jobOf(model, jobId);
  if (isResult(job)) return job;
  if (!job.adaptive) return refusal(jobId);
  const size = rescaleHistorySize(model);
  return { job, records: rescalesOf(model, job)?.records.slice(0, size) ?? [] };
}

const jobid = { jobid: param.flinkId };

/** @internal */
export const rescaleRoutes: readonly Route[] = [
  // Only 2.3 has these routes (the `applications` flag marks the 2.3-only routes).
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/rescales/config',
    params: jobid,
    applications: true,
    handle: ({ model, params }) => {
      const found = lookup(model, params.jobid, NOT_ENABLED);
      return isResult(found) ? found : ok(renderConfig(model));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/rescales/overview',
    params: jobid,
    applications: true,
    handle: ({ model, params }) => {
      const found = lookup(model, params.jobid, UNAVAILABLE);
      if (isResult(found)) return found;
      const latest = (state: RescaleRecord['terminalState']): Json | null => {
        const r = found.records.find((x) => x.terminalState === state);
        return r ? renderRescale(found.job, r, false) : null;
      };
      return ok({ rescalesCounts: counts(found.records), latest: { completed: latest('COMPLETED'), failed: latest('FAILED'), ignored: latest('IGNORED') } });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/rescales/history',
    params: jobid,
    applications: true,
    handle: ({ model, params }) => {
      const found = lookup(model, params.jobid, UNAVAILABLE);
      return isResult(found) ? found : ok(found.records.map((r) => renderRescale(found.job, r, false)));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/rescales/summary',
    params: jobid,
    applications: true,
    handle: ({ model, params }) => {
      const found = lookup(model, params.jobid, UNAVAILABLE);
      return isResult(found) ? found : ok(renderSummary(found.records));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/rescales/details/:rescaleuuid',
    params: { jobid: param.flinkId, rescaleuuid: param.flinkId },
    applications: true,
    handle: ({ model, params }) => {
      const found = lookup(model, params.jobid, RESCALES_NOT_ENABLED);
      if (isResult(found)) return found;
      const r = found.records.find((x) => x.uuid === params.rescaleuuid);
      return r ? ok(renderRescale(found.job, r, true)) : fail({ status: 404, body: restHandlerError(`Could not find rescale details of specified rescaleUuid ${params.rescaleuuid}.`) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/rescaling/:triggerid',
    params: { jobid: param.flinkId, triggerid: param.flinkId },
    handle: () => fail({ status: 503, body: restHandlerError('Rescaling is temporarily disabled. See FLINK-12312.') }),
  }),
];

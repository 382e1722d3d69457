import { firstLine, restHandlerError, serializedThrowable } from '../java.js';
import type { CheckpointRecord, JobModel } from '../job-model.js';
import type { ClusterModel } from '../model.js';
import { defineRoute, fail, isResult, ok, param, type Route } from '../route-kit.js';
import { executionGraphRoute } from './execution-graph.js';
import { jobNotRunning, type OperationModel } from './operations.js';
import { jobOf, type Json } from './shared.js';

/**
 * Checkpoints: statistics (`GET /jobs/:id/checkpoints`, cached on its own), the checkpoint config
 * (part of the execution graph), and manual checkpoints (`POST /jobs/:id/checkpoints` and their
 * status).
 */

const CHECKPOINT_TYPES = ['INCREMENTAL', 'CONFIGURED', 'FULL'] as const;

/** `POST /jobs/:id/checkpoints`: one checkpoint of a job whose tasks all run. @internal */
export function triggerCheckpoint(model: ClusterModel, jobId: string, params: { triggerId: string | undefined; type: string }): string {
  const ops = model.operations;
  const { op, repeated } = ops.begin('checkpoint', 'checkpoint', jobId, params.triggerId);
  if (repeated) return op.triggerId;
  const job = model.jobs.get(jobId);
  if (!job || !job.allTasksRunning || job.stopping) {
    ops.completeLater(op, 1, () => ({ failure: jobNotRunning(jobId, job) }));
    return op.triggerId;
  }
  const injected = ops.takeInjectedFailure('checkpoint');
  const record = job.beginCheckpoint('checkpoint', null, null);
  record.externalPath = `${model.checkpointDir}/${jobId}/chk-${record.id}`;
  ops.completeLater(op, model.timing.checkpointMs, () => {
    record.ackTimestamp = model.clock.now();
    if (injected || job.status !== 'RUNNING') {
      record.status = 'FAILED';
      record.failureMessage = injected ? firstLine(injected) : 'Checkpoint was declined (tasks not ready)';
      return { failure: injected ?? jobNotRunning(jobId, job) };
    }
    record.status = 'COMPLETED';
    return { result: { checkpointId: record.id } };
  });
  return op.triggerId;
}

// ---------------------------------------------------------------------------------------------
// Rendering

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] as number;
}

/** Flink's min/max/avg/percentile statistics of a list of values. @internal */
export function stats(values: number[], zeroWhenEmpty = false): Json {
  if (values.length === 0) {
    const empty = zeroWhenEmpty ? 0 : 'NaN';
    return { min: 0, max: 0, avg: 0, p50: empty, p90: empty, p95: empty, p99: empty, p999: empty };
  }
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0],
    max: sorted[sorted.length - 1],
    avg: Math.floor(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    p999: percentile(sorted, 0.999),
  };
}

/** One checkpoint as `/checkpoints` lists it (and its details extend it). @internal */
export function checkpointEntry(job: JobModel, c: CheckpointRecord, latestCompletedId: number | undefined): Json {
  const subtasks = job.vertices.reduce((n, v) => n + v.parallelism, 0);
  const className = c.status === 'COMPLETED' ? 'completed' : c.status === 'FAILED' ? 'failed' : 'in_progress';
  const base: Json = {
    className,
    id: c.id,
    status: c.status,
    is_savepoint: c.kind !== 'checkpoint',
    savepointFormat: c.kind === 'checkpoint' ? null : c.format,
    trigger_timestamp: c.triggerTimestamp,
    latest_ack_timestamp: c.ackTimestamp,
    checkpointed_size: c.status === 'COMPLETED' ? c.size : 0,
    state_size: c.status === 'COMPLETED' ? c.size : 0,
    end_to_end_duration: c.ackTimestamp - c.triggerTimestamp,
    alignment_buffered: 0,
    processed_data: 0,
    persisted_data: 0,
    num_subtasks: subtasks,
    num_acknowledged_subtasks: c.status === 'COMPLETED' ? subtasks : 0,
    checkpoint_type: c.kind === 'checkpoint' ? 'CHECKPOINT' : c.kind === 'savepoint' ? 'SAVEPOINT' : 'SYNC_SAVEPOINT',
    tasks: {},
  };
  if (c.status === 'COMPLETED') return { ...base, external_path: c.externalPath, discarded: c.kind === 'checkpoint' && c.id !== latestCompletedId };
  if (c.status === 'FAILED') return { ...base, failure_timestamp: c.ackTimestamp, failure_message: c.failureMessage };
  return base;
}

/** `GET /jobs/:id/checkpoints`. @internal */
export function renderCheckpointStats(job: JobModel): Json {
  const all = job.checkpointHistory();
  const completed = all.filter((c) => c.status === 'COMPLETED');
  const failed = all.filter((c) => c.status === 'FAILED');
  const latestOf = (pred: (c: CheckpointRecord) => boolean): CheckpointRecord | undefined => [...all].reverse().find(pred);
  const latestCompleted = latestOf((c) => c.status === 'COMPLETED' && c.kind === 'checkpoint');
  const latestSavepoint = latestOf((c) => c.status === 'COMPLETED' && c.kind !== 'checkpoint');
  const latestFailed = latestOf((c) => c.status === 'FAILED');
  const sizes = completed.map((c) => c.size);
  const durations = completed.map((c) => c.ackTimestamp - c.triggerTimestamp);
  const zeros = completed.map(() => 0);
  return {
    counts: {
      restored: job.restored ? 1 : 0,
      total: all.length,
      in_progress: all.filter((c) => c.status === 'IN_PROGRESS').length,
      completed: completed.length,
      failed: failed.length,
    },
    summary: {
      checkpointed_size: stats(sizes),
      state_size: stats(sizes),
      end_to_end_duration: stats(durations),
      alignment_buffered: stats(zeros, true),
      processed_data: stats(zeros),
      persisted_data: stats(zeros),
    },
    latest: {
      completed: latestCompleted ? checkpointEntry(job, latestCompleted, latestCompleted.id) : null,
      savepoint: latestSavepoint ? checkpointEntry(job, latestSavepoint, latestCompleted?.id) : null,
      failed: latestFailed ? checkpointEntry(job, latestFailed, latestCompleted?.id) : null,
      restored: job.restored ? { id: job.restored.checkpointId, restore_timestamp: job.restored.at, is_savepoint: job.restored.isSavepoint, external_path: job.restored.path } : null,
    },
    history: [...all]
      .sort((a, b) => b.id - a.id)
      .slice(0, 10)
      .map((c) => checkpointEntry(job, c, latestCompleted?.id)),
  };
}

/** `GET /jobs/:id/checkpoints/:triggerid`. @internal */
export function renderCheckpointStatus(op: OperationModel): Json {
  if (op.status !== 'COMPLETED') return { status: { id: 'IN_PROGRESS' }, operation: null };
  const operation = op.failureCause ? { failureCause: serializedThrowable(op.failureCause) } : { checkpointId: op.result?.checkpointId };
  return { status: { id: 'COMPLETED' }, operation };
}


// ---------------------------------------------------------------------------------------------
// Routes

/** The checkpoint routes (`/checkpoints/config` before `/checkpoints/:triggerid`). @internal */
export const checkpointRoutes: readonly Route[] = [
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/checkpoints',
    params: { jobid: param.flinkId },
    handle: ({ model, settings: s, params }) => {
      const job = jobOf(model, params.jobid);
      if (isResult(job)) return job;
      if (!s.jobDetailsCache) return ok(renderCheckpointStats(job));
      // Flink caches checkpoint statistics per job (rest.cache.checkpoint-statistics.timeout,
      // web.refresh-interval by default), apart from the execution graph.
      const now = model.clock.now();
      const cached = s.checkpointStatsCacheStore.get(job.id);
      if (cached && now - cached.at < s.refreshIntervalMs) return ok(cached.body);
      const body = renderCheckpointStats(job);
      s.checkpointStatsCacheStore.set(job.id, { at: now, body });
      return ok(body);
    },
  }),
  executionGraphRoute('/jobs/:jobid/checkpoints/config', 'checkpointConfig'),
  defineRoute({
    method: 'POST',
    path: '/jobs/:jobid/checkpoints',
    params: { jobid: param.flinkId },
    body: {
      className: 'CheckpointTriggerRequestBody',
      package: 'org.apache.flink.runtime.rest.messages.checkpoints',
      read: (b) => ({
        type: b.enumValue('checkpointType', 'org.apache.flink.core.execution.CheckpointType', CHECKPOINT_TYPES) ?? 'CONFIGURED',
        triggerId: b.id('triggerId', 'TriggerId'),
      }),
    },
    handle: ({ model, params, body }) => ok({ 'request-id': triggerCheckpoint(model, params.jobid, body) }, 202),
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/checkpoints/:triggerid',
    params: { jobid: param.flinkId, triggerid: param.flinkId },
    handle: ({ model, params: { jobid, triggerid } }) => {
      const op = model.operations.get('checkpoint', jobid, triggerid);
      if (!op) return fail({ status: 404, body: restHandlerError(`There is no checkpoint operation with triggerId=${triggerid} for job ${jobid}.`) });
      return ok(renderCheckpointStatus(op));
    },
  }),
];

import { badPathParameter, restHandlerError } from '../java.js';
import type { CheckpointRecord, JobModel, VertexModel } from '../job-model.js';
import { defineRoute, fail, isResult, ok, param, type ParamParser, type Route, type RouteResult } from '../route-kit.js';
import { checkpointEntry, stats } from './checkpoints.js';
import { jobOf, type Json } from './shared.js';
import { vertexNotFound } from './vertices.js';

/**
 * One checkpoint in detail (issue 12): `/jobs/:jobid/checkpoints/details/:checkpointid` with a
 * statistics entry per vertex, and `…/subtasks/:vertexid` with each subtask's acknowledgement.
 * Built from the job's checkpoint history: a checkpoint's size is split over the vertices by
 * parallelism, and each vertex's share over its subtasks.
 */

const checkpointIdParam: ParamParser = (value, name) => (/^\d+$/.test(value) ? String(Number(value)) : fail({ status: 400, body: badPathParameter(name, value) }));

function checkpointOf(job: JobModel, id: string): CheckpointRecord | RouteResult {
  const found = job.checkpointHistory().find((c) => c.id === Number(id));
  return found ?? fail({ status: 404, body: restHandlerError(`Could not find checkpointing statistics for checkpoint ${id}.`) });
}

/** The state size of each subtask of a vertex for a checkpoint. */
function subtaskSizes(job: JobModel, c: CheckpointRecord, vertex: VertexModel): number[] {
  if (c.status !== 'COMPLETED') return Array.from({ length: vertex.parallelism }, () => 0);
  const total = job.vertices.reduce((n, v) => n + v.parallelism, 0);
  const vertexSize = Math.floor((c.size * vertex.parallelism) / total);
  const each = Math.floor(vertexSize / vertex.parallelism);
  return Array.from({ length: vertex.parallelism }, (_, i) => (i === vertex.parallelism - 1 ? vertexSize - each * (vertex.parallelism - 1) : each));
}

function taskEntry(job: JobModel, c: CheckpointRecord, vertex: VertexModel): Json {
  const size = subtaskSizes(job, c, vertex).reduce((a, b) => a + b, 0);
  const acked = c.status === 'COMPLETED' ? vertex.parallelism : 0;
  return {
    id: c.id,
    status: c.status,
    latest_ack_timestamp: c.ackTimestamp,
    checkpointed_size: size,
    state_size: size,
    end_to_end_duration: c.ackTimestamp - c.triggerTimestamp,
    alignment_buffered: 0,
    processed_data: 0,
    persisted_data: 0,
    num_subtasks: vertex.parallelism,
    num_acknowledged_subtasks: acked,
  };
}

function renderCheckpointDetails(job: JobModel, c: CheckpointRecord): Json {
  const latestCompleted = [...job.checkpointHistory()].reverse().find((x) => x.status === 'COMPLETED' && x.kind === 'checkpoint');
  return { ...checkpointEntry(job, c, latestCompleted?.id), tasks: Object.fromEntries(job.vertices.map((v) => [v.id, taskEntry(job, c, v)])) };
}

function renderTaskCheckpointDetails(job: JobModel, c: CheckpointRecord, vertex: VertexModel): Json {
  const sizes = subtaskSizes(job, c, vertex);
  const e2e = c.ackTimestamp - c.triggerTimestamp;
  const completed = c.status === 'COMPLETED';
  const subtasks = sizes.map((size, index) =>
    completed
      ? {
          className: 'completed',
          index,
          ack_timestamp: c.ackTimestamp,
          end_to_end_duration: e2e,
          checkpointed_size: size,
          state_size: size,
          checkpoint: { sync: 0, async: Math.max(0, e2e - 2) },
          alignment: { buffered: 0, processed: 0, persisted: 0, duration: 0 },
          start_delay: Math.min(1, e2e),
          unaligned_checkpoint: false,
          aborted: false,
          status: 'completed',
        }
      : { className: 'pending_or_failed', index, status: 'pending_or_failed' },
  );
  const acked = completed ? sizes : [];
  const z = acked.map(() => 0);
  return {
    ...taskEntry(job, c, vertex),
    summary: {
      checkpointed_size: stats(acked),
      state_size: stats(acked),
      end_to_end_duration: stats(acked.map(() => e2e)),
      checkpoint_duration: { sync: stats(z), async: stats(acked.map(() => Math.max(0, e2e - 2))) },
      alignment: { buffered: stats(z, true), processed: stats(z), persisted: stats(z), duration: stats(z) },
      start_delay: stats(acked.map(() => Math.min(1, e2e))),
    },
    subtasks,
  };
}

/** @internal */
export const checkpointDetailRoutes: readonly Route[] = [
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/checkpoints/details/:checkpointid',
    params: { jobid: param.flinkId, checkpointid: checkpointIdParam },
    handle: ({ model, params }) => {
      const job = jobOf(model, params.jobid);
      if (isResult(job)) return job;
      const c = checkpointOf(job, params.checkpointid);
      return isResult(c) ? c : ok(renderCheckpointDetails(job, c));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid',
    params: { jobid: param.flinkId, checkpointid: checkpointIdParam, vertexid: param.flinkId },
    handle: ({ model, params }) => {
      const job = jobOf(model, params.jobid);
      if (isResult(job)) return job;
      const c = checkpointOf(job, params.checkpointid);
      if (isResult(c)) return c;
      const vertex = job.vertices.find((v) => v.id === params.vertexid);
      return vertex ? ok(renderTaskCheckpointDetails(job, c, vertex)) : vertexNotFound(params.vertexid);
    },
  }),
];

import { chain, firstLine, type JavaThrowable, restHandlerError, serializedThrowable, throwableError } from '../java.js';
import type { IdSource } from '../ids.js';
import { type ClusterModel, normalizeLocation, type SimFailure } from '../model.js';
import { type BodySpec, defineRoute, fail, ok, param, type Route, type RouteResult } from '../route-kit.js';
import type { JobModel } from '../job-model.js';
import { jobNotRunning, type OperationModel } from './operations.js';
import type { SimulatedSavepoint } from '../state.js';

/**
 * Savepoints: `POST /jobs/:id/savepoints` (a savepoint, optionally cancelling the job),
 * `POST /jobs/:id/stop` (stop-with-savepoint: a synchronous savepoint, then FINISHED), their
 * status at `GET /jobs/:id/savepoints/:triggerid`, and `/savepoint-disposal`. Two transitions,
 * {@link triggerSavepoint} and {@link stopWithSavepoint}, share only the savepoint they write.
 */

const PACKAGE = 'org.apache.flink.runtime.rest.messages.job.savepoints';
const FORMATS = ['CANONICAL', 'NATIVE'] as const;
type Format = (typeof FORMATS)[number];

interface SavepointRequest {
  targetDirectory: string | undefined;
  cancelJob: boolean;
  formatType: Format | undefined;
  triggerId: string | undefined;
}

interface StopRequest {
  targetDirectory: string | undefined;
  drain: boolean;
  formatType: Format | undefined;
  triggerId: string | undefined;
}

const savepointBody: BodySpec<SavepointRequest> = {
  className: 'SavepointTriggerRequestBody',
  package: PACKAGE,
  read: (b) => ({
    targetDirectory: b.string('target-directory'),
    cancelJob: b.boolean('cancel-job') ?? false,
    formatType: b.enumValue('formatType', 'org.apache.flink.core.execution.SavepointFormatType', FORMATS),
    triggerId: b.id('triggerId', 'TriggerId'),
  }),
};

const stopBody: BodySpec<StopRequest> = {
  className: 'StopWithSavepointRequestBody',
  package: `${PACKAGE}.stop`,
  read: (b) => ({
    targetDirectory: b.string('targetDirectory'),
    drain: b.boolean('drain') ?? false,
    formatType: b.enumValue('formatType', 'org.apache.flink.core.execution.SavepointFormatType', FORMATS),
    triggerId: b.id('triggerId', 'TriggerId'),
  }),
};

// ---------------------------------------------------------------------------------------------
// Transitions

type Triggered = { ok: true; triggerId: string } | SimFailure;

function missingTarget(property: string): SimFailure {
  return { ok: false, status: 400, body: restHandlerError(`Config key [execution.checkpointing.savepoint-dir] is not set. Property [${property}] must be provided.`) };
}

function savepointIoFailure(target: string): JavaThrowable {
  const msg = 'An Exception occurred while triggering the checkpoint. IO-problem detected.';
  return chain(
    { className: 'java.util.concurrent.CompletionException', message: `org.apache.flink.runtime.checkpoint.CheckpointException: ${msg}` },
    { className: 'org.apache.flink.runtime.checkpoint.CheckpointException', message: msg },
    { className: 'java.io.IOException', message: `Failed to create savepoint directory at ${normalizeLocation(target)}`, frames: ['org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess.initializeLocationForSavepoint(AbstractFsCheckpointStorageAccess.java:143)'] },
    { className: 'java.nio.file.FileAlreadyExistsException', message: '/dev/null', frames: ['java.base/sun.nio.fs.UnixException.translateToIOException(UnixException.java:94)'] },
  );
}

/** What savepoint and stop do around the savepoint they both write. */
interface SavepointHooks {
  /** The savepoint began. */
  begin?(job: JobModel): void;
  /** Asked when the savepoint is written: false declines it (the job left RUNNING). */
  stillValid(job: JobModel): boolean;
  onWritten(job: JobModel): void;
  onFailed?(job: JobModel): void;
}

/** Writes one savepoint of a job whose tasks all run, in `savepointMs`; see {@link SavepointHooks}. */
function writeSavepoint(
  model: ClusterModel,
  jobId: string,
  kind: 'savepoint' | 'stop',
  req: { targetDirectory: string | undefined; formatType: Format | undefined; triggerId: string | undefined },
  hooks: SavepointHooks,
): Triggered {
  const target = req.targetDirectory ?? model.config.savepointDir ?? undefined;
  if (!target) return missingTarget(kind === 'stop' ? 'targetDirectory' : 'target-directory');
  const ops = model.operations;
  const { op, repeated } = ops.begin('savepoint', kind, jobId, req.triggerId);
  if (repeated) return { ok: true, triggerId: op.triggerId };
  const job = model.jobs.get(jobId);
  if (!job || !job.allTasksRunning || job.stopping) {
    ops.completeLater(op, 1, () => ({ failure: jobNotRunning(jobId, job) }));
    return { ok: true, triggerId: op.triggerId };
  }
  const location = `${normalizeLocation(target)}/savepoint-${jobId.slice(0, 6)}-${model.config.ids.hex(6)}`;
  const format = req.formatType ?? 'CANONICAL';
  const record = job.beginCheckpoint(kind === 'stop' ? 'sync-savepoint' : 'savepoint', location, format);
  const injected = ops.takeInjectedFailure(kind);
  hooks.begin?.(job);
  ops.completeLater(op, model.timing.savepointMs, () => {
    const failure = injected ?? (normalizeLocation(target).startsWith('file:/dev/null') ? savepointIoFailure(target) : undefined);
    record.ackTimestamp = model.clock.now();
    if (failure || !hooks.stillValid(job)) {
      hooks.onFailed?.(job);
      record.status = 'FAILED';
      record.failureMessage = failure ? firstLine(failure) : 'Checkpoint was declined (tasks not ready)';
      return { failure: failure ?? jobNotRunning(jobId, job) };
    }
    record.status = 'COMPLETED';
    model.savepoints.add(location, { jobId, checkpointId: record.id, format });
    job.savepointPaths.push(location);
    hooks.onWritten(job);
    return { result: { location } };
  });
  return { ok: true, triggerId: op.triggerId };
}

/** `POST /jobs/:id/savepoints`: a savepoint of a RUNNING job; with `cancel-job`, then cancel it. @internal */
export function triggerSavepoint(model: ClusterModel, jobId: string, req: SavepointRequest): Triggered {
  return writeSavepoint(model, jobId, 'savepoint', req, {
    stillValid: (job) => job.status === 'RUNNING',
    onWritten: (job) => {
      if (req.cancelJob) job.requestCancel('job');
    },
  });
}

/**
 * `POST /jobs/:id/stop`: a synchronous savepoint during which the job counts as stopping (no
 * other savepoint or checkpoint is taken), then the job FINISHES. @internal
 */
export function stopWithSavepoint(model: ClusterModel, jobId: string, req: StopRequest): Triggered {
  return writeSavepoint(model, jobId, 'stop', req, {
    begin: (job) => {
      job.stopping = true;
    },
    stillValid: (job) => job.status === 'RUNNING' || job.stopping,
    onFailed: (job) => {
      job.stopping = false;
    },
    onWritten: (job) => {
      job.stopping = false;
      job.finishAfterSavepoint();
    },
  });
}

/** `POST /savepoint-disposal`: removes a savepoint the cluster knows. @internal */
export function triggerDisposal(model: ClusterModel, path: string, triggerId: string | undefined): string {
  const ops = model.operations;
  const { op, repeated } = ops.begin('disposal', 'savepoint-disposal', undefined, triggerId);
  if (repeated) return op.triggerId;
  const injected = ops.takeInjectedFailure('savepoint-disposal');
  ops.completeLater(op, model.timing.disposalMs, () => {
    const sp = model.savepoints.find(path);
    if (injected || !sp || sp.disposed) {
      return {
        failure: chain(
          { className: 'org.apache.flink.util.FlinkException', message: `Could not dispose savepoint ${path}.` },
          injected ?? { className: 'java.io.FileNotFoundException', message: `Cannot find checkpoint or savepoint file/directory '${path}' on file system 'file'.` },
        ),
      };
    }
    sp.disposed = true;
    return { result: {} };
  });
  return op.triggerId;
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** `GET /jobs/:id/savepoints/:triggerid`. @internal */
export function renderSavepointStatus(op: OperationModel): Record<string, unknown> {
  if (op.status !== 'COMPLETED') return { status: { id: 'IN_PROGRESS' }, operation: null };
  const operation = op.failureCause ? { 'failure-cause': serializedThrowable(op.failureCause) } : { location: op.result?.location };
  return { status: { id: 'COMPLETED' }, operation };
}

/** `GET /savepoint-disposal/:triggerid`. @internal */
export function renderDisposalStatus(op: OperationModel): Record<string, unknown> {
  if (op.status !== 'COMPLETED') return { status: { id: 'IN_PROGRESS' }, operation: null };
  return { status: { id: 'COMPLETED' }, operation: op.failureCause ? { 'failure-cause': serializedThrowable(op.failureCause) } : {} };
}

/** The 404 for an unknown trigger id on routes keyed by Flink's OperationKey (disposal, data set deletion). @internal */
export function operationKeyNotFound(ids: IdSource): RouteResult {
  const hash = ids.hex(4).replace(/^0+/, '') || '0';
  return fail({
    status: 404,
    body: throwableError({ className: 'org.apache.flink.runtime.rest.NotFoundException', message: `Operation not found under key: org.apache.flink.runtime.rest.handler.async.OperationKey@${hash}` }),
  });
}

const accepted = (t: Triggered): RouteResult => (t.ok ? ok({ 'request-id': t.triggerId }, 202) : fail(t));

// ---------------------------------------------------------------------------------------------
// Routes

/** The savepoint routes. @internal */
export const savepointRoutes: readonly Route[] = [
  defineRoute({
    method: 'POST',
    path: '/jobs/:jobid/savepoints',
    params: { jobid: param.flinkId },
    body: savepointBody,
    handle: ({ model, params, body }) => accepted(triggerSavepoint(model, params.jobid, body)),
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/savepoints/:triggerid',
    params: { jobid: param.flinkId, triggerid: param.flinkId },
    handle: ({ model, params: { jobid, triggerid } }) => {
      const op = model.operations.get('savepoint', jobid, triggerid);
      if (!op) return fail({ status: 404, body: restHandlerError(`There is no savepoint operation with triggerId=${triggerid} for job ${jobid}.`) });
      return ok(renderSavepointStatus(op));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/jobs/:jobid/stop',
    params: { jobid: param.flinkId },
    body: stopBody,
    handle: ({ model, params, body }) => accepted(stopWithSavepoint(model, params.jobid, body)),
  }),
  defineRoute({
    method: 'POST',
    path: '/savepoint-disposal',
    params: {},
    body: {
      className: 'SavepointDisposalRequest',
      package: PACKAGE,
      read: (b) => ({ path: b.string('savepoint-path'), triggerId: b.id('triggerId', 'TriggerId') }),
    },
    handle: ({ model, body }) => {
      if (!body.path) return fail({ status: 400, body: restHandlerError('Field savepoint-path must not be omitted or be null.') });
      return ok({ 'request-id': triggerDisposal(model, body.path, body.triggerId) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/savepoint-disposal/:triggerid',
    params: { triggerid: param.flinkId },
    handle: ({ model, params }) => {
      const op = model.operations.get('disposal', undefined, params.triggerid);
      return op ? ok(renderDisposalStatus(op)) : operationKeyNotFound(model.config.ids);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// The test-facing view

/** The savepoints the simulated cluster knows (`sim.savepoints`). */
export interface SimulatedSavepoints {
  /** Every savepoint, oldest first. */
  list(): SimulatedSavepoint[];
  /** A savepoint by path (`file:///x` and `file:/x` are the same path). */
  get(path: string): SimulatedSavepoint | undefined;
  /** Whether a restorable (not disposed) savepoint exists at the path. */
  has(path: string): boolean;
  /** Registers a savepoint the cluster did not write, so runs can restore from it. */
  add(path: string, options?: { checkpointId?: number; format?: 'CANONICAL' | 'NATIVE' }): SimulatedSavepoint;
}


/** `sim.savepoints`. @internal */
export function savepointsView(model: ClusterModel): SimulatedSavepoints {
  return {
    list: () => [...model.savepoints.values()],
    get: (path) => model.savepoints.find(path),
    has: (path) => {
      const sp = model.savepoints.find(path);
      return sp !== undefined && !sp.disposed;
    },
    add: (path, opts = {}) => model.savepoints.add(path, opts),
  };
}

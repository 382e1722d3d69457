import { isFlinkId } from './ids.js';
import {
  badIdCause,
  badPathParameter,
  badRequestBody,
  chain,
  enumCause,
  type FlinkErrorBody,
  internalServerError,
  type JavaThrowable,
  jsonParseCause,
  restHandlerError,
  throwableError,
  typeMismatchCause,
} from './java.js';
import type { JobModel } from './job-model.js';
import type { ClusterModel, RunRequest, SimFailure } from './model.js';
import {
  renderAccumulators,
  renderApplicationDetails,
  renderApplicationExceptions,
  renderApplicationsOverview,
  renderCheckpointConfig,
  renderCheckpointStats,
  renderCheckpointStatus,
  renderClusterConfiguration,
  renderClusterOverview,
  renderDashboardConfig,
  renderDisposalStatus,
  renderExceptions,
  renderExecutionResult,
  renderJarList,
  renderJobConfig,
  renderJobDetails,
  renderJobIds,
  renderJobsOverview,
  renderPlan,
  renderResourceRequirements,
  renderSavepointStatus,
  renderTaskManagers,
} from './render.js';

/** What a route answers. @internal */
export interface RouteResult {
  status: number;
  body: unknown;
  /** The answer comes from Flink's static file handler (no CORS header). */
  staticHandler?: boolean;
}

/** Per-request input of a route. @internal */
export interface RouteContext {
  readonly model: ClusterModel;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly method: string;
  /** The path as received (with `/v1` if it was sent). */
  readonly rawPath: string;
  /** The body as text (undefined for multipart uploads, read through `request`). */
  readonly bodyText: string | undefined;
  readonly request: Request;
  readonly settings: RouteSettings;
  /** Delays in real milliseconds (only with a real clock). */
  realDelay(ms: number): Promise<void>;
}

/**
 * What Flink's ExecutionGraphCache holds for a job: one snapshot of the execution graph, from which
 * `/jobs/:id`, `/accumulators`, `/exceptions`, `/config`, `/plan` and `/checkpoints/config` are all
 * answered until it expires. @internal
 */
export interface ExecutionGraphSnapshot {
  details: unknown;
  accumulators: unknown;
  accumulatorsSerialized: unknown;
  /** `/exceptions` with every entry; a request's `maxExceptions` is applied when serving. */
  exceptions: Record<string, unknown> & { exceptionHistory: { entries: unknown[]; truncated: boolean } };
  config: unknown;
  plan: unknown;
  checkpointConfig: unknown;
}

/** Simulator settings the routes read. @internal */
export interface RouteSettings {
  refreshIntervalMs: number;
  jobDetailsCache: boolean;
  realClock: boolean;
  /** Cached execution graphs (refresh-interval model), by job id. */
  readonly jobDetailsCacheStore: Map<string, { at: number; snapshot: ExecutionGraphSnapshot }>;
  /** Cached `/jobs/:id/checkpoints` bodies (`rest.cache.checkpoint-statistics.timeout`), by job id. */
  readonly checkpointStatsCacheStore: Map<string, { at: number; body: unknown }>;
  /** `DELETE /cluster` was called. */
  onShutdown(): void;
}

/** One REST route. @internal */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path template without the `/v1` prefix, in msw syntax. */
  path: string;
  /** Only on versions with applications (2.3). */
  applications?: boolean;
  handle(ctx: RouteContext): RouteResult | Promise<RouteResult>;
}

const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
const fail = (f: SimFailure | { status: number; body: FlinkErrorBody }): RouteResult => ({ status: f.status, body: f.body });

// ---------------------------------------------------------------------------------------------
// Request bodies: parsed leniently like Flink's Jackson mapper (unknown fields ignored, an empty
// body is {}), with Flink's 400 for text that is not JSON or a field of the wrong type.

class BodyReader {
  error: RouteResult | undefined;
  constructor(
    readonly bodyClass: string,
    readonly bodyClassName: string,
    readonly value: Record<string, unknown>,
  ) {}

  #fail(cause: JavaThrowable): undefined {
    this.error ??= fail({ status: 400, body: badRequestBody(this.bodyClass, cause) });
    return undefined;
  }

  #present(key: string): unknown {
    const v = this.value[key];
    return v === null ? undefined : v;
  }

  string(key: string): string | undefined {
    const v = this.#present(key);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.#fail(typeMismatchCause('java.lang.String', this.bodyClassName, key));
  }

  boolean(key: string): boolean | undefined {
    const v = this.#present(key);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return this.#fail(typeMismatchCause('java.lang.Boolean', this.bodyClassName, key));
  }

  int(key: string): number | undefined {
    const v = this.#present(key);
    if (v === undefined) return undefined;
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n === 'number' && Number.isInteger(n)) return n;
    return this.#fail(typeMismatchCause('java.lang.Integer', this.bodyClassName, key));
  }

  stringList(key: string): string[] | undefined {
    const v = this.#present(key);
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    return this.#fail(typeMismatchCause('java.util.List<java.lang.String>', this.bodyClassName, key));
  }

  stringMap(key: string): Record<string, string> | undefined {
    const v = this.#present(key);
    if (v === undefined) return undefined;
    if (typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, String(x)]));
    return this.#fail(typeMismatchCause('java.util.Map<java.lang.String,java.lang.String>', this.bodyClassName, key));
  }

  enumValue<T extends string>(key: string, enumClass: string, values: readonly T[]): T | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if ((values as readonly string[]).includes(v)) return v as T;
    return this.#fail(enumCause(enumClass, v, values, this.bodyClassName, key));
  }

  id(key: string, idClass: string): string | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if (isFlinkId(v)) return v.toLowerCase();
    return this.#fail(badIdCause(idClass, v, this.bodyClassName, key));
  }
}

function readBody(ctx: RouteContext, bodyClass: string, bodyClassName: string): BodyReader | RouteResult {
  const text = ctx.bodyText?.trim() ?? '';
  if (text === '') return new BodyReader(bodyClass, bodyClassName, {});
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail({ status: 400, body: badRequestBody(bodyClass, jsonParseCause(text)) });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return fail({ status: 400, body: badRequestBody(bodyClass, typeMismatchCause(bodyClassName, bodyClassName, '')) });
  }
  return new BodyReader(bodyClass, bodyClassName, parsed as Record<string, unknown>);
}

// ---------------------------------------------------------------------------------------------
// Path parameters and lookups

function pathId(ctx: RouteContext, name: string): string | RouteResult {
  const value = ctx.params[name] ?? '';
  if (!isFlinkId(value)) return fail({ status: 400, body: badPathParameter(name, value) });
  return value.toLowerCase();
}

function jobNotFound(jobId: string): RouteResult {
  return fail({
    status: 404,
    body: throwableError(
      chain(
        { className: 'org.apache.flink.runtime.rest.NotFoundException', message: `Job ${jobId} not found` },
        { className: 'org.apache.flink.runtime.messages.FlinkJobNotFoundException', message: `Could not find Flink job (${jobId})` },
      ),
    ),
  });
}

/** The job of a `/jobs/:jobid/...` route, or the answer for a malformed or unknown id. */
function jobOf(ctx: RouteContext): JobModel | RouteResult {
  const id = pathId(ctx, 'jobid');
  if (typeof id !== 'string') return id;
  return ctx.model.jobs.get(id) ?? jobNotFound(id);
}

/** How each part of an execution-graph snapshot is rendered from the job as it is now. */
function renderers(model: ClusterModel, job: JobModel): { [P in keyof ExecutionGraphSnapshot]: () => ExecutionGraphSnapshot[P] } {
  return {
    details: () => renderJobDetails(model, job),
    accumulators: () => renderAccumulators(job, false),
    accumulatorsSerialized: () => renderAccumulators(job, true),
    exceptions: () => renderExceptions(model, job, Number.MAX_SAFE_INTEGER) as ExecutionGraphSnapshot['exceptions'],
    config: () => renderJobConfig(model, job),
    plan: () => renderPlan(job),
    checkpointConfig: () => renderCheckpointConfig(job),
  };
}

/**
 * A job's execution graph as the execution-graph routes serve it: with the cache on, the snapshot
 * taken by the first such request stays for `web.refresh-interval` (every route of the job answers
 * from it, as Flink's shared ExecutionGraphCache does); with it off, the job as it is now.
 */
function executionGraph<K extends keyof ExecutionGraphSnapshot>(ctx: RouteContext, job: JobModel, part: K): ExecutionGraphSnapshot[K] {
  const render = renderers(ctx.model, job);
  const s = ctx.settings;
  if (!s.jobDetailsCache) return render[part]();
  const now = ctx.model.clock.now();
  const cached = s.jobDetailsCacheStore.get(job.id);
  if (cached && now - cached.at < s.refreshIntervalMs) return cached.snapshot[part];
  const snapshot = Object.fromEntries(Object.entries(render).map(([name, fn]) => [name, fn()])) as unknown as ExecutionGraphSnapshot;
  s.jobDetailsCacheStore.set(job.id, { at: now, snapshot });
  return snapshot[part];
}

/** `/jobs/:id/exceptions` from a full snapshot, cut to `maxExceptions` entries. */
function limitExceptions(full: ExecutionGraphSnapshot['exceptions'], max: number): unknown {
  const entries = full.exceptionHistory.entries;
  return { ...full, exceptionHistory: { ...full.exceptionHistory, entries: entries.slice(0, max), truncated: entries.length > max } };
}

function isResult(x: unknown): x is RouteResult {
  return typeof x === 'object' && x !== null && 'status' in x && 'body' in x && !('id' in x);
}

function applicationNotFound500(id: string): RouteResult {
  return fail({ status: 500, body: internalServerError({ className: 'org.apache.flink.runtime.messages.FlinkApplicationNotFoundException', message: `Could not find Flink application (${id})` }) });
}

function jobNotFound500(id: string): RouteResult {
  return fail({ status: 500, body: internalServerError({ className: 'org.apache.flink.runtime.messages.FlinkJobNotFoundException', message: `Could not find Flink job (${id})` }) });
}

// ---------------------------------------------------------------------------------------------
// Jar runs

function runRequest(ctx: RouteContext, application: boolean): RunRequest | RouteResult {
  const bodyClass = application ? 'JarRunApplicationRequestBody' : 'JarRunRequestBody';
  const b = readBody(ctx, bodyClass, `org.apache.flink.runtime.webmonitor.handlers.${bodyClass}`);
  if (isResult(b)) return b;
  const claimValues = ['CLAIM', 'NO_CLAIM', 'LEGACY'] as const;
  const req: RunRequest = {
    entryClass: b.string('entryClass') ?? ctx.query.get('entry-class') ?? undefined,
    args: b.stringList('programArgsList') ?? splitArgs(b.string('programArgs') ?? ctx.query.get('programArg') ?? ''),
    parallelism: b.int('parallelism') ?? intQuery(ctx, 'parallelism'),
    jobId: b.id('jobId', 'JobID'),
    applicationId: application ? b.id('applicationId', 'ApplicationID') : undefined,
    savepointPath: b.string('savepointPath') ?? ctx.query.get('savepointPath') ?? undefined,
    allowNonRestoredState: b.boolean('allowNonRestoredState') ?? false,
    claimMode: b.enumValue('claimMode', 'org.apache.flink.core.execution.RecoveryClaimMode', claimValues) ?? b.enumValue('restoreMode', 'org.apache.flink.core.execution.RecoveryClaimMode', claimValues),
    configuration: b.stringMap('flinkConfiguration') ?? {},
  };
  if (b.error) return b.error;
  if (req.parallelism !== undefined && req.parallelism <= 0 && req.parallelism !== -1) req.parallelism = undefined;
  if (req.parallelism === -1) req.parallelism = undefined;
  return req;
}

function splitArgs(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

function intQuery(ctx: RouteContext, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

function jarOf(ctx: RouteContext) {
  const jarId = ctx.params.jarid ?? '';
  return ctx.model.jars.get(jarId) ?? fail(ctx.model.jarNotFound(jarId));
}

async function uploadJar(ctx: RouteContext): Promise<RouteResult> {
  let files: File[] = [];
  try {
    const form = await ctx.request.formData();
    for (const [, value] of form) if (typeof value !== 'string') files.push(value as File);
  } catch {
    files = [];
  }
  if (files.length !== 1) return fail({ status: 400, body: restHandlerError(`Exactly 1 file must be sent, received ${files.length}.`) });
  const file = files[0] as File;
  if (!file.name.toLowerCase().endsWith('.jar')) return fail({ status: 400, body: restHandlerError('Only Jar files are allowed.') });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const jar = ctx.model.uploadJar(file.name.replace(/^.*[\\/]/, ''), bytes);
  return ok({ filename: `${ctx.model.webUploadDir}/${jar.id}`, status: 'success' });
}

function planRequest(ctx: RouteContext): RunRequest | RouteResult {
  if (ctx.method === 'GET') {
    return {
      entryClass: ctx.query.get('entry-class') ?? undefined,
      args: splitArgs(ctx.query.get('programArg') ?? ctx.query.get('program-args') ?? ''),
      parallelism: intQuery(ctx, 'parallelism'),
      jobId: undefined,
      applicationId: undefined,
      savepointPath: undefined,
      allowNonRestoredState: false,
      claimMode: undefined,
      configuration: {},
    };
  }
  const b = readBody(ctx, 'JarPlanRequestBody', 'org.apache.flink.runtime.webmonitor.handlers.JarPlanRequestBody');
  if (isResult(b)) return b;
  const req: RunRequest = {
    entryClass: b.string('entryClass') ?? ctx.query.get('entry-class') ?? undefined,
    args: b.stringList('programArgsList') ?? splitArgs(b.string('programArgs') ?? ''),
    parallelism: b.int('parallelism') ?? intQuery(ctx, 'parallelism'),
    jobId: b.id('jobId', 'JobID'),
    applicationId: undefined,
    savepointPath: undefined,
    allowNonRestoredState: false,
    claimMode: undefined,
    configuration: b.stringMap('flinkConfiguration') ?? {},
  };
  return b.error ?? req;
}

function planJar(ctx: RouteContext): RouteResult {
  const req = planRequest(ctx);
  if (isResult(req)) return req;
  const jar = jarOf(ctx);
  if (isResult(jar)) return jar;
  const planned = ctx.model.planJar(jar, req);
  if (!planned.ok) return fail(planned);
  return ok(renderPlan(planned.job, ctx.model.config.ids.flinkId()));
}

// ---------------------------------------------------------------------------------------------
// Savepoints, stop, checkpoints

const FORMATS = ['CANONICAL', 'NATIVE'] as const;

function savepointTrigger(ctx: RouteContext, stop: boolean): RouteResult {
  const id = pathId(ctx, 'jobid');
  if (typeof id !== 'string') return id;
  const bodyClass = stop ? 'StopWithSavepointRequestBody' : 'SavepointTriggerRequestBody';
  const b = readBody(ctx, bodyClass, `org.apache.flink.runtime.rest.messages.job.savepoints.${stop ? 'stop.' : ''}${bodyClass}`);
  if (isResult(b)) return b;
  const params = {
    targetDirectory: b.string(stop ? 'targetDirectory' : 'target-directory'),
    cancelJob: stop ? false : (b.boolean('cancel-job') ?? false),
    drain: stop ? (b.boolean('drain') ?? false) : false,
    formatType: b.enumValue('formatType', 'org.apache.flink.core.execution.SavepointFormatType', FORMATS),
    triggerId: b.id('triggerId', 'TriggerId'),
    stop,
  };
  if (b.error) return b.error;
  const result = ctx.model.triggerSavepoint(id, params);
  if (!result.ok) return fail(result);
  return ok({ 'request-id': result.triggerId }, 202);
}

function savepointStatus(ctx: RouteContext): RouteResult {
  const jobId = pathId(ctx, 'jobid');
  if (typeof jobId !== 'string') return jobId;
  const triggerId = pathId(ctx, 'triggerid');
  if (typeof triggerId !== 'string') return triggerId;
  const op = ctx.model.getOperation('savepoint', jobId, triggerId);
  if (!op) return fail({ status: 404, body: restHandlerError(`There is no savepoint operation with triggerId=${triggerId} for job ${jobId}.`) });
  return ok(renderSavepointStatus(op));
}

function checkpointTrigger(ctx: RouteContext): RouteResult {
  const id = pathId(ctx, 'jobid');
  if (typeof id !== 'string') return id;
  const b = readBody(ctx, 'CheckpointTriggerRequestBody', 'org.apache.flink.runtime.rest.messages.checkpoints.CheckpointTriggerRequestBody');
  if (isResult(b)) return b;
  const type = b.enumValue('checkpointType', 'org.apache.flink.core.execution.CheckpointType', ['INCREMENTAL', 'CONFIGURED', 'FULL'] as const) ?? 'CONFIGURED';
  const triggerId = b.id('triggerId', 'TriggerId');
  if (b.error) return b.error;
  const result = ctx.model.triggerCheckpoint(id, { triggerId, type });
  return ok({ 'request-id': result.triggerId }, 202);
}

function checkpointStatus(ctx: RouteContext): RouteResult {
  const jobId = pathId(ctx, 'jobid');
  if (typeof jobId !== 'string') return jobId;
  const triggerId = pathId(ctx, 'triggerid');
  if (typeof triggerId !== 'string') return triggerId;
  const op = ctx.model.getOperation('checkpoint', jobId, triggerId);
  if (!op) return fail({ status: 404, body: restHandlerError(`There is no checkpoint operation with triggerId=${triggerId} for job ${jobId}.`) });
  return ok(renderCheckpointStatus(op));
}

function operationKeyNotFound(ctx: RouteContext): RouteResult {
  const hash = ctx.model.config.ids.hex(4).replace(/^0+/, '') || '0';
  return fail({
    status: 404,
    body: throwableError({ className: 'org.apache.flink.runtime.rest.NotFoundException', message: `Operation not found under key: org.apache.flink.runtime.rest.handler.async.OperationKey@${hash}` }),
  });
}

// ---------------------------------------------------------------------------------------------
// Resource requirements

function defaultSchedulerUnsupported(): RouteResult {
  return fail({
    status: 500,
    body: internalServerError({
      className: 'java.lang.UnsupportedOperationException',
      message:
        'The DefaultScheduler does not support changing the parallelism without a job restart. This feature is currently only expected to work with the AdaptiveScheduler.',
      frames: [
        'org.apache.flink.runtime.scheduler.SchedulerNG.requestJobResourceRequirements(SchedulerNG.java:196)',
        'org.apache.flink.runtime.jobmaster.JobMaster.requestJobResourceRequirements(JobMaster.java:1032)',
        'java.base/java.util.concurrent.ForkJoinWorkerThread.run(ForkJoinWorkerThread.java:165)',
      ],
    }),
  });
}

function resourceRequirementsJob(ctx: RouteContext): JobModel | RouteResult {
  const id = pathId(ctx, 'jobid');
  if (typeof id !== 'string') return id;
  const job = ctx.model.jobs.get(id);
  if (!job || job.isGloballyTerminal) return jobNotFound500(id);
  if (!job.adaptive) return defaultSchedulerUnsupported();
  return job;
}

function putResourceRequirements(ctx: RouteContext): RouteResult {
  const job = resourceRequirementsJob(ctx);
  if (isResult(job)) return job;
  let parsed: unknown;
  try {
    parsed = ctx.bodyText && ctx.bodyText.trim() !== '' ? JSON.parse(ctx.bodyText) : {};
  } catch {
    return fail({ status: 400, body: badRequestBody('JobResourceRequirementsBody', jsonParseCause(ctx.bodyText ?? '')) });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.keys(parsed).length === 0) {
    return fail({ status: 400, body: restHandlerError('Request body does not specify resource requirements.') });
  }
  const lines: string[] = [];
  const requested = new Map<string, { lowerBound: number; upperBound: number }>();
  for (const [vertexId, value] of Object.entries(parsed as Record<string, unknown>)) {
    const p = (value as { parallelism?: { lowerBound?: unknown; upperBound?: unknown } } | null)?.parallelism;
    const lower = Number(p?.lowerBound);
    const upper = Number(p?.upperBound);
    if (!job.vertices.some((v) => v.id === vertexId)) {
      lines.push(`Job vertex [${vertexId}] was not found in the JobGraph.`);
      continue;
    }
    if (!Number.isInteger(lower) || !Number.isInteger(upper) || lower < 1) {
      return fail({ status: 400, body: badRequestBody('JobResourceRequirementsBody', typeMismatchCause('int', 'org.apache.flink.runtime.rest.messages.job.JobResourceRequirementsBody', vertexId)) });
    }
    if (lower > upper) lines.push(`The requested lower bound [${lower}] for job vertex [${vertexId}] is higher than the upper bound [${upper}].`);
    requested.set(vertexId, { lowerBound: lower, upperBound: upper });
  }
  for (const v of job.vertices) if (!(v.id in (parsed as object))) lines.push(`The request is incomplete, missing job vertex [${v.id}] resource requirements.`);
  if (lines.length > 0) return fail({ status: 400, body: restHandlerError(lines.join('\n')) });
  for (const [id, req] of requested) job.requirements.set(id, req);
  job.scheduleRescale();
  return ok({});
}

// ---------------------------------------------------------------------------------------------
// Applications

function applicationOf(ctx: RouteContext) {
  const id = pathId(ctx, 'applicationid');
  if (typeof id !== 'string') return id;
  return ctx.model.applications.get(id) ?? applicationNotFound500(id);
}

// ---------------------------------------------------------------------------------------------
// The table. More specific paths come before the parameterised ones they overlap with.

/** Every route the simulator serves. @internal */
export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/config',
    handle: (ctx) => ok(renderDashboardConfig(ctx.model, ctx.settings.refreshIntervalMs)),
  },
  { method: 'GET', path: '/overview', handle: (ctx) => ok(renderClusterOverview(ctx.model)) },
  { method: 'GET', path: '/jobmanager/config', handle: (ctx) => ok(renderClusterConfiguration(ctx.model)) },
  { method: 'GET', path: '/taskmanagers', handle: (ctx) => ok(renderTaskManagers(ctx.model)) },
  {
    method: 'DELETE',
    path: '/cluster',
    handle: (ctx) => {
      ctx.settings.onShutdown();
      return ok({});
    },
  },
  // Jars
  { method: 'GET', path: '/jars', handle: (ctx) => ok(renderJarList(ctx.model)) },
  { method: 'POST', path: '/jars/upload', handle: uploadJar },
  {
    method: 'DELETE',
    path: '/jars/:jarid',
    handle: (ctx) => {
      const jarId = ctx.params.jarid ?? '';
      if (!ctx.model.jars.delete(jarId)) return fail({ status: 400, body: restHandlerError(`File ${jarId} does not exist in ${ctx.model.webUploadDir}.`) });
      return ok({});
    },
  },
  { method: 'GET', path: '/jars/:jarid/plan', handle: planJar },
  { method: 'POST', path: '/jars/:jarid/plan', handle: planJar },
  {
    method: 'POST',
    path: '/jars/:jarid/run',
    handle: async (ctx) => {
      // Flink decodes the body before the handler looks for the jar.
      const req = runRequest(ctx, false);
      if (isResult(req)) return req;
      const jar = jarOf(ctx);
      if (isResult(jar)) return jar;
      const outcome = await ctx.model.runJar(jar, req);
      if (!outcome.ok) return fail(outcome);
      // Flink answers once main() submitted the job (within ~80 ms on a warm real cluster), by
      // which time the job is RUNNING: a poller sees RUNNING first.
      if (ctx.settings.realClock) {
        const t = ctx.model.config.timing;
        await ctx.realDelay(t.jarRunMs);
        const job = ctx.model.jobs.get(outcome.jobId);
        if (job && (job.status === 'INITIALIZING' || job.status === 'CREATED')) {
          const past = ['RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED', 'FINISHED', 'RESTARTING', 'SUSPENDED'] as const;
          await Promise.race([job.waitForStatus(past), ctx.realDelay(t.initializingMs + t.createdMs + 50)]);
        }
      }
      return ok(outcome.applicationId ? { jobid: outcome.jobId, applicationId: outcome.applicationId } : { jobid: outcome.jobId });
    },
  },
  {
    method: 'POST',
    path: '/jars/:jarid/run-application',
    applications: true,
    handle: (ctx) => {
      const req = runRequest(ctx, true);
      if (isResult(req)) return req;
      const jar = jarOf(ctx);
      if (isResult(jar)) return jar;
      const outcome = ctx.model.runApplication(jar, req);
      if (!outcome.ok) return fail(outcome);
      return ok({ applicationid: outcome.applicationId }, 202);
    },
  },
  // Jobs
  { method: 'GET', path: '/jobs', handle: (ctx) => ok(renderJobIds(ctx.model)) },
  { method: 'GET', path: '/jobs/overview', handle: (ctx) => ok(renderJobsOverview(ctx.model)) },
  {
    method: 'GET',
    path: '/jobs/:jobid',
    handle: (ctx) => {
      const job = jobOf(ctx);
      return isResult(job) ? job : ok(executionGraph(ctx, job, 'details'));
    },
  },
  {
    method: 'PATCH',
    path: '/jobs/:jobid',
    handle: (ctx) => {
      const id = pathId(ctx, 'jobid');
      if (typeof id !== 'string') return id;
      const mode = ctx.query.get('mode') ?? 'cancel';
      if (mode === 'stop') {
        return fail({
          status: 308,
          body: restHandlerError(
            'The termination mode "stop" has been removed. For an ungraceful shutdown, please use "cancel" instead. For a graceful shutdown, please use "jobs/:jobId/stop" instead.',
          ),
        });
      }
      if (mode !== 'cancel') {
        const detail = `Cannot resolve query parameter (mode) from value "${mode}".`;
        return fail({ status: 400, body: restHandlerError(`Bad request, could not parse parameters: ${detail}`, { className: 'org.apache.flink.runtime.rest.handler.HandlerRequestException', message: detail }) });
      }
      const result = ctx.model.cancelJob(id);
      if (!result.ok) return fail(result);
      return ok({}, 202);
    },
  },
  {
    method: 'GET',
    path: '/jobs/:jobid/status',
    handle: (ctx) => {
      // Real 2.3.0 and 1.20.5 answer an unknown job here with a 500, not the 404 of /jobs/:id.
      const id = pathId(ctx, 'jobid');
      if (typeof id !== 'string') return id;
      const job = ctx.model.jobs.get(id);
      return job ? ok({ status: job.status }) : jobNotFound500(id);
    },
  },
  {
    method: 'GET',
    path: '/jobs/:jobid/execution-result',
    handle: (ctx) => {
      const id = pathId(ctx, 'jobid');
      if (typeof id !== 'string') return id;
      const job = ctx.model.jobs.get(id);
      if (!job) {
        const notFound = { className: 'org.apache.flink.runtime.messages.FlinkJobNotFoundException', message: `Could not find Flink job (${id})` };
        return fail({
          status: 404,
          body: restHandlerError(`${notFound.className}: ${notFound.message}`, { className: 'java.util.concurrent.CompletionException', message: `${notFound.className}: ${notFound.message}` }, notFound),
        });
      }
      return ok(renderExecutionResult(ctx.model, job));
    },
  },
  {
    method: 'GET',
    path: '/jobs/:jobid/accumulators',
    handle: (ctx) => {
      const job = jobOf(ctx);
      return isResult(job) ? job : ok(executionGraph(ctx, job, ctx.query.get('includeSerializedValue') === 'true' ? 'accumulatorsSerialized' : 'accumulators'));
    },
  },
  {
    method: 'GET',
    path: '/jobs/:jobid/exceptions',
    handle: (ctx) => {
      const job = jobOf(ctx);
      if (isResult(job)) return job;
      const raw = ctx.query.get('maxExceptions');
      const max = raw !== null && /^\d+$/.test(raw) ? Number(raw) : 20;
      return ok(limitExceptions(executionGraph(ctx, job, 'exceptions'), max));
    },
  },
  {
    method: 'GET',
    path: '/jobs/:jobid/config',
    handle: (ctx) => {
      const job = jobOf(ctx);
      return isResult(job) ? job : ok(executionGraph(ctx, job, 'config'));
    },
  },
  {
    method: 'GET',
    path: '/jobs/:jobid/plan',
    handle: (ctx) => {
      const job = jobOf(ctx);
      return isResult(job) ? job : ok(executionGraph(ctx, job, 'plan'));
    },
  },
  {
    method: 'GET',
    path: '/jobs/:jobid/jobmanager/config',
    handle: (ctx) => {
      // Real 2.3.0 and 1.20.5 answer with the JobManager's configuration for any well-formed id,
      // known or not; a run's flinkConfiguration does not show here.
      const id = pathId(ctx, 'jobid');
      if (typeof id !== 'string') return id;
      return ok(renderClusterConfiguration(ctx.model));
    },
  },
  {
    method: 'GET',
    path: '/jobs/:jobid/checkpoints',
    handle: (ctx) => {
      const job = jobOf(ctx);
      if (isResult(job)) return job;
      const s = ctx.settings;
      if (!s.jobDetailsCache) return ok(renderCheckpointStats(job));
      // Flink caches checkpoint statistics per job (rest.cache.checkpoint-statistics.timeout,
      // web.refresh-interval by default), apart from the execution graph.
      const now = ctx.model.clock.now();
      const cached = s.checkpointStatsCacheStore.get(job.id);
      if (cached && now - cached.at < s.refreshIntervalMs) return ok(cached.body);
      const body = renderCheckpointStats(job);
      s.checkpointStatsCacheStore.set(job.id, { at: now, body });
      return ok(body);
    },
  },
  {
    method: 'GET',
    path: '/jobs/:jobid/checkpoints/config',
    handle: (ctx) => {
      const job = jobOf(ctx);
      return isResult(job) ? job : ok(executionGraph(ctx, job, 'checkpointConfig'));
    },
  },
  { method: 'POST', path: '/jobs/:jobid/checkpoints', handle: checkpointTrigger },
  { method: 'GET', path: '/jobs/:jobid/checkpoints/:triggerid', handle: checkpointStatus },
  { method: 'POST', path: '/jobs/:jobid/savepoints', handle: (ctx) => savepointTrigger(ctx, false) },
  { method: 'GET', path: '/jobs/:jobid/savepoints/:triggerid', handle: savepointStatus },
  { method: 'POST', path: '/jobs/:jobid/stop', handle: (ctx) => savepointTrigger(ctx, true) },
  {
    method: 'GET',
    path: '/jobs/:jobid/resource-requirements',
    handle: (ctx) => {
      const job = resourceRequirementsJob(ctx);
      return isResult(job) ? job : ok(renderResourceRequirements(job));
    },
  },
  { method: 'PUT', path: '/jobs/:jobid/resource-requirements', handle: putResourceRequirements },
  {
    method: 'PATCH',
    path: '/jobs/:jobid/rescaling',
    handle: (ctx) => {
      const id = pathId(ctx, 'jobid');
      if (typeof id !== 'string') return id;
      return fail({ status: 503, body: restHandlerError('Rescaling is temporarily disabled. See FLINK-12312.') });
    },
  },
  // Savepoint disposal
  {
    method: 'POST',
    path: '/savepoint-disposal',
    handle: (ctx) => {
      const b = readBody(ctx, 'SavepointDisposalRequest', 'org.apache.flink.runtime.rest.messages.job.savepoints.SavepointDisposalRequest');
      if (isResult(b)) return b;
      const path = b.string('savepoint-path');
      const triggerId = b.id('triggerId', 'TriggerId');
      if (b.error) return b.error;
      if (!path) return fail({ status: 400, body: restHandlerError('Field savepoint-path must not be omitted or be null.') });
      return ok({ 'request-id': ctx.model.triggerDisposal(path, triggerId).triggerId });
    },
  },
  {
    method: 'GET',
    path: '/savepoint-disposal/:triggerid',
    handle: (ctx) => {
      const triggerId = pathId(ctx, 'triggerid');
      if (typeof triggerId !== 'string') return triggerId;
      const op = ctx.model.getOperation('disposal', undefined, triggerId);
      return op ? ok(renderDisposalStatus(op)) : operationKeyNotFound(ctx);
    },
  },
  // Applications (Flink 2.3)
  { method: 'GET', path: '/applications/overview', applications: true, handle: (ctx) => ok(renderApplicationsOverview(ctx.model)) },
  {
    method: 'GET',
    path: '/applications/:applicationid',
    applications: true,
    handle: (ctx) => {
      const app = applicationOf(ctx);
      return isResult(app) ? app : ok(renderApplicationDetails(ctx.model, app));
    },
  },
  {
    method: 'POST',
    path: '/applications/:applicationid/cancel',
    applications: true,
    handle: (ctx) => {
      const id = pathId(ctx, 'applicationid');
      if (typeof id !== 'string') return id;
      const app = ctx.model.applications.get(id);
      if (!app || !app.requestCancel()) {
        return fail({
          status: 404,
          body: restHandlerError('Application could not be found.', { className: 'org.apache.flink.runtime.messages.FlinkApplicationNotFoundException', message: `Could not find Flink application (${id})` }),
        });
      }
      return ok({}, 202);
    },
  },
  {
    method: 'GET',
    path: '/applications/:applicationid/exceptions',
    applications: true,
    handle: (ctx) => {
      const app = applicationOf(ctx);
      return isResult(app) ? app : ok(renderApplicationExceptions(app));
    },
  },
  {
    method: 'GET',
    path: '/applications/:applicationid/jobmanager/config',
    applications: true,
    handle: (ctx) => {
      // Real 2.3.0 answers for any well-formed id, known or not.
      const id = pathId(ctx, 'applicationid');
      if (typeof id !== 'string') return id;
      return ok(renderClusterConfiguration(ctx.model));
    },
  },
];

/** The answer to a path no route serves: GET falls through to the static file handler. @internal */
export function unknownRoute(method: string, path: string, pathAndQuery: string): RouteResult {
  if (method === 'GET' || method === 'HEAD') return { status: 404, body: { errors: [`Unable to load requested file ${path}.`] }, staticHandler: true };
  return { status: 404, body: { errors: [`Not found: ${pathAndQuery}`] } };
}

export type { SimFailure };

import { restHandlerError } from '../java.js';
import type { ClusterModel, JarRecord, RunRequest } from '../model.js';
import { type BodyReader, type BodySpec, defineRoute, fail, isResult, ok, param, type Route, type RouteResult } from '../route-kit.js';
import { renderPlan } from './execution-graph.js';
import type { Json } from './shared.js';
import { buildJar } from '../jar-file.js';
import type { ProgramRegistry, ProgramSource } from '../programs.js';
import type { SimulatedJar } from '../state.js';

/**
 * Jars: list, upload, delete, plan, and the two runs: `/jars/:id/run` (a job) and
 * `/jars/:id/run-application` (an application, Flink 2.3). What running a program does is the
 * cluster model's (model.ts); this module parses, looks up and renders.
 */

const HANDLERS = 'org.apache.flink.runtime.webmonitor.handlers';
const CLAIM_MODES = ['CLAIM', 'NO_CLAIM', 'LEGACY'] as const;

function splitArgs(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

function intQuery(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** The fields `run` and `run-application` share (query parameters are the legacy fallbacks). */
function readRun(b: BodyReader, query: URLSearchParams, application: boolean): RunRequest {
  const req: RunRequest = {
    entryClass: b.string('entryClass') ?? query.get('entry-class') ?? undefined,
    args: b.stringList('programArgsList') ?? splitArgs(b.string('programArgs') ?? query.get('programArg') ?? ''),
    parallelism: b.int('parallelism') ?? intQuery(query, 'parallelism'),
    jobId: b.id('jobId', 'JobID'),
    applicationId: application ? b.id('applicationId', 'ApplicationID') : undefined,
    savepointPath: b.string('savepointPath') ?? query.get('savepointPath') ?? undefined,
    allowNonRestoredState: b.boolean('allowNonRestoredState') ?? false,
    claimMode: b.enumValue('claimMode', 'org.apache.flink.core.execution.RecoveryClaimMode', CLAIM_MODES) ?? b.enumValue('restoreMode', 'org.apache.flink.core.execution.RecoveryClaimMode', CLAIM_MODES),
    configuration: b.stringMap('flinkConfiguration') ?? {},
  };
  // -1 and other non-positive values mean "the default parallelism".
  if (req.parallelism !== undefined && req.parallelism <= 0) req.parallelism = undefined;
  return req;
}

const runBody: BodySpec<RunRequest> = { className: 'JarRunRequestBody', package: HANDLERS, read: (b, { query }) => readRun(b, query, false) };
const runApplicationBody: BodySpec<RunRequest> = { className: 'JarRunApplicationRequestBody', package: HANDLERS, read: (b, { query }) => readRun(b, query, true) };

const noRestore = { applicationId: undefined, savepointPath: undefined, allowNonRestoredState: false, claimMode: undefined } as const;

const planBody: BodySpec<RunRequest> = {
  className: 'JarPlanRequestBody',
  package: HANDLERS,
  read: (b, { query }) => ({
    ...noRestore,
    entryClass: b.string('entryClass') ?? query.get('entry-class') ?? undefined,
    args: b.stringList('programArgsList') ?? splitArgs(b.string('programArgs') ?? ''),
    parallelism: b.int('parallelism') ?? intQuery(query, 'parallelism'),
    jobId: b.id('jobId', 'JobID'),
    configuration: b.stringMap('flinkConfiguration') ?? {},
  }),
};

function planFromQuery(query: URLSearchParams): RunRequest {
  return {
    ...noRestore,
    entryClass: query.get('entry-class') ?? undefined,
    args: splitArgs(query.get('programArg') ?? query.get('program-args') ?? ''),
    parallelism: intQuery(query, 'parallelism'),
    jobId: undefined,
    configuration: {},
  };
}

function jarOf(model: ClusterModel, jarId: string): JarRecord | RouteResult {
  return model.jars.get(jarId) ?? fail(model.jars.notFound(jarId));
}

function plan(model: ClusterModel, jarId: string, req: RunRequest): RouteResult {
  const jar = jarOf(model, jarId);
  if (isResult(jar)) return jar;
  const planned = model.planJar(jar, req);
  if (!planned.ok) return fail(planned);
  return ok(renderPlan(planned.job, model.config.ids.flinkId()));
}

/** `GET /jars`. @internal */
export function renderJarList(model: ClusterModel): Json {
  const files = [...model.jars.values()]
    .sort((a, b) => b.uploaded - a.uploaded)
    .map((jar) => ({ id: jar.id, name: jar.name, uploaded: jar.uploaded, entry: jar.mainClass ? [{ name: jar.mainClass, description: null }] : [] }));
  return { address: model.config.address(), files };
}

// ---------------------------------------------------------------------------------------------
// Routes

const jarid = { jarid: param.raw };

/** The jar routes. @internal */
export const jarRoutes: readonly Route[] = [
  defineRoute({ method: 'GET', path: '/jars', params: {}, handle: ({ model }) => ok(renderJarList(model)) }),
  defineRoute({
    method: 'POST',
    path: '/jars/upload',
    params: {},
    handle: async ({ model, request }) => {
      let files: File[] = [];
      try {
        const form = await request().formData();
        for (const [, value] of form) if (typeof value !== 'string') files.push(value as File);
      } catch {
        files = [];
      }
      if (files.length !== 1) return fail({ status: 400, body: restHandlerError(`Exactly 1 file must be sent, received ${files.length}.`) });
      const file = files[0] as File;
      if (!file.name.toLowerCase().endsWith('.jar')) return fail({ status: 400, body: restHandlerError('Only Jar files are allowed.') });
      const bytes = new Uint8Array(await file.arrayBuffer());
      const jar = model.jars.upload(file.name.replace(/^.*[\\/]/, ''), bytes);
      return ok({ filename: `${model.jars.webUploadDir}/${jar.id}`, status: 'success' });
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/jars/:jarid',
    params: jarid,
    handle: ({ model, params }) => {
      if (!model.jars.delete(params.jarid)) return fail({ status: 400, body: restHandlerError(`File ${params.jarid} does not exist in ${model.jars.webUploadDir}.`) });
      return ok({});
    },
  }),
  defineRoute({ method: 'GET', path: '/jars/:jarid/plan', params: jarid, handle: ({ model, params, query }) => plan(model, params.jarid, planFromQuery(query)) }),
  defineRoute({ method: 'POST', path: '/jars/:jarid/plan', params: jarid, body: planBody, handle: ({ model, params, body }) => plan(model, params.jarid, body) }),
  defineRoute({
    method: 'POST',
    path: '/jars/:jarid/run',
    params: jarid,
    // Flink decodes the body before the handler looks for the jar.
    body: runBody,
    handle: async ({ model, settings, params, body, realDelay }) => {
      const jar = jarOf(model, params.jarid);
      if (isResult(jar)) return jar;
      const outcome = await model.runJar(jar, body);
      if (!outcome.ok) return fail(outcome);
      // Flink answers once main() submitted the job (within ~80 ms on a warm real cluster), by
      // which time the job is RUNNING: a poller sees RUNNING first.
      if (settings.realClock) {
        const t = model.config.timing;
        await realDelay(t.jarRunMs);
        const job = model.jobs.get(outcome.jobId);
        if (job && (job.status === 'INITIALIZING' || job.status === 'CREATED')) {
          const past = ['RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED', 'FINISHED', 'RESTARTING', 'SUSPENDED'] as const;
          await Promise.race([job.waitForStatus(past), realDelay(t.initializingMs + t.createdMs + 50)]);
        }
      }
      return ok(outcome.applicationId ? { jobid: outcome.jobId, applicationId: outcome.applicationId } : { jobid: outcome.jobId });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/jars/:jarid/run-application',
    params: jarid,
    applications: true,
    body: runApplicationBody,
    handle: ({ model, params, body }) => {
      const jar = jarOf(model, params.jarid);
      if (isResult(jar)) return jar;
      const outcome = model.runApplication(jar, body);
      if (!outcome.ok) return fail(outcome);
      return ok({ applicationid: outcome.applicationId }, 202);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// The test-facing view

/** The uploaded jars (`sim.jars`). */
export interface SimulatedJars {
  /** Every jar, newest first. */
  list(): SimulatedJar[];
  /** @throws Error when there is no such jar. */
  get(jarId: string): SimulatedJar;
  /** The jar with this id, if any. */
  find(jarId: string): SimulatedJar | undefined;
  /**
   * Adds a jar as if it had been uploaded; with `program`, also registers the program for the
   * jar's main class.
   */
  add(jar: { name: string; mainClass?: string; program?: ProgramSource; bytes?: Uint8Array }): SimulatedJar;
  /** Removes a jar; returns whether it existed. */
  remove(jarId: string): boolean;
}


/** `sim.jars`. @internal */
export function jarsView(model: ClusterModel, programs: ProgramRegistry): SimulatedJars {
  return {
    list: () => [...model.jars.values()].sort((a, b) => b.uploaded - a.uploaded),
    get: (id) => {
      const jar = model.jars.get(id);
      if (!jar) throw new Error(`flink-client/testing: no jar ${id}`);
      return jar;
    },
    find: (id) => model.jars.get(id),
    add: (jar) => {
      if (!jar || typeof jar.name !== 'string' || !jar.name.toLowerCase().endsWith('.jar')) throw new TypeError('jar.name must end in .jar');
      if (jar.program) {
        if (!jar.mainClass) throw new TypeError('jar.program needs jar.mainClass');
        programs.register(jar.mainClass, jar.program);
      }
      return model.jars.upload(jar.name, jar.bytes ?? buildJar({ mainClass: jar.mainClass }));
    },
    remove: (id) => model.jars.delete(id),
  };
}

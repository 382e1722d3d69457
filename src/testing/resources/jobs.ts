import { restHandlerError, serializedAccumulator, serializedThrowable } from '../java.js';
import type { JobModel } from '../job-model.js';
import type { ClusterModel, SimFailure } from '../model.js';
import { defineRoute, fail, isResult, ok, okReused, param, type Route, type RouteResult } from '../route-kit.js';
import { renderClusterConfiguration } from './cluster.js';
import { executionGraph, executionGraphRoute, limitExceptions } from './execution-graph.js';
import { duration, jobNotFound500, jobOf, type Json, sortNewestFirst } from './shared.js';
import { isFlinkId } from '../ids.js';
import type { SimulatedJobSpec } from '../programs.js';
import type { SimulatedJob, SimulatedJobStatus } from '../state.js';
import { DEFAULT_WAIT_MS, type WaitFor } from '../wait-for.js';

/**
 * Jobs: the job list and overview, one job's execution graph (details, accumulators, exceptions,
 * config, plan), its status and execution result, cancellation (`PATCH /jobs/:id`), and the
 * rescaling route Flink keeps disabled.
 */

function taskCounts(job: JobModel): Record<string, number> {
  const counts: Record<string, number> = { running: 0, canceling: 0, canceled: 0, total: 0, created: 0, scheduled: 0, deploying: 0, reconciling: 0, finished: 0, initializing: 0, failed: 0 };
  job.vertices.forEach((v, i) => {
    const state = job.vertexState(i).toLowerCase();
    counts[state] = (counts[state] ?? 0) + v.parallelism;
    counts.total = (counts.total ?? 0) + v.parallelism;
  });
  return counts;
}

/** One entry of `GET /jobs/overview` (and of an application's `jobs`). @internal */
export function renderJobOverview(model: ClusterModel, job: JobModel): Json {
  const now = model.clock.now();
  const v2 = model.profile.jobFields2x;
  return {
    jid: job.id,
    name: job.name,
    ...(v2 ? { jobType: job.jobType, schedulerType: job.restoreFailure !== undefined ? null : job.adaptive ? 'Adaptive' : 'Default' } : {}),
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: duration(job.startTime, job.endTime, now),
    state: job.status,
    'last-modification': job.lastModification,
    tasks: taskCounts(job),
    ...(v2 ? { 'pending-operators': 0 } : {}),
  };
}

/** `GET /jobs/overview`. @internal */
export function renderJobsOverview(model: ClusterModel): Json {
  return { jobs: sortNewestFirst(model.jobs.values()).map((j) => renderJobOverview(model, j)) };
}

/** Stands for a running job's duration in a cached entry text (real durations are integers). */
const DURATION_MARK = -0.5;
const DURATION_TEXT = `"duration":${DURATION_MARK}`;

/** One job's overview entry as JSON text, with the fields it was made from. */
interface CachedEntry {
  status: string;
  startTime: number;
  endTime: number;
  lastModification: number;
  /** Per vertex: its state and parallelism when the text was made. */
  vertices: Array<{ state: string; parallelism: number }>;
  /** The whole entry as UTF-8, or the bytes before and after a running job's duration. */
  before: Buffer;
  after: Buffer | undefined;
}

const entryCache = new WeakMap<JobModel, CachedEntry>();

function isCurrent(cached: CachedEntry | undefined, job: JobModel, now: number): cached is CachedEntry {
  if (!cached || cached.status !== job.status || cached.startTime !== job.startTime || cached.endTime !== job.endTime || cached.lastModification !== job.lastModification) return false;
  if (cached.vertices.length !== job.vertices.length) return false;
  for (let i = 0; i < job.vertices.length; i++) {
    const v = cached.vertices[i] as CachedEntry['vertices'][number];
    if (v.parallelism !== (job.vertices[i] as { parallelism: number }).parallelism || v.state !== job.vertexState(i, now)) return false;
  }
  return true;
}

function cacheEntry(model: ClusterModel, job: JobModel): CachedEntry {
  const entry = renderJobOverview(model, job) as Record<string, unknown>;
  const running = job.startTime > 0 && job.endTime <= 0;
  if (running) entry.duration = DURATION_MARK;
  const text = JSON.stringify(entry);
  const at = running ? text.indexOf(DURATION_TEXT) : -1;
  const cached: CachedEntry = {
    status: job.status,
    startTime: job.startTime,
    endTime: job.endTime,
    lastModification: job.lastModification,
    vertices: job.vertices.map((v, i) => ({ state: job.vertexState(i), parallelism: v.parallelism })),
    before: Buffer.from(at < 0 ? text : text.slice(0, at + '"duration":'.length)),
    after: at < 0 ? undefined : Buffer.from(text.slice(at + DURATION_TEXT.length)),
  };
  entryCache.set(job, cached);
  return cached;
}

const OVERVIEW_OPEN = Buffer.from('{"jobs":[');
const OVERVIEW_CLOSE = Buffer.from(']}');
const COMMA = 0x2c;
const ZERO = 0x30;

/**
 * A model's last overview: its jobs in the order the overview lists them, their entries, the
 * bytes sent and where each running job's duration digits are in them.
 */
interface OverviewState {
  /** `model.jobs` in insertion order when the order was made (same jobs, same order: still valid). */
  readonly jobs: JobModel[];
  /** Newest first, as the overview lists them. */
  readonly sorted: JobModel[];
  /** Per sorted job: its entry. Replaced, never changed, when an entry changes (log entries read it later). */
  entries: CachedEntry[];
  /** The last answer: the template of the next one. */
  bytes: Buffer | undefined;
  /** When `bytes` was made. */
  at: number;
  /** Per sorted job: where its duration digits start in `bytes` and how many there are (-1: none). */
  readonly digitsAt: Int32Array;
  readonly digits: Int8Array;
  /**
   * Per answer buffer handed out: how many of its sends are not confirmed yet. Weak: bytes never
   * confirmed (msw's path, a cut connection, the archive) are never reused, and are collected.
   */
  readonly unsent: WeakMap<Buffer, number>;
  /** A buffer every send of which was confirmed and that is no longer the template: the next answer goes there. */
  spare: Buffer | undefined;
}

const overviews = new WeakMap<ClusterModel, OverviewState>();

/** `state` if it still lists exactly the model's jobs, else a fresh one. */
function overviewState(model: ClusterModel, state: OverviewState | undefined): OverviewState {
  if (state && state.jobs.length === model.jobs.size) {
    let k = 0;
    let same = true;
    for (const job of model.jobs.values()) {
      if (job !== state.jobs[k++]) {
        same = false;
        break;
      }
    }
    if (same) return state;
  }
  const jobs = [...model.jobs.values()];
  const sorted = sortNewestFirst(jobs);
  const fresh: OverviewState = {
    jobs,
    sorted,
    entries: sorted.map((job) => entryCache.get(job) as CachedEntry),
    bytes: undefined,
    at: 0,
    digitsAt: new Int32Array(sorted.length),
    digits: new Int8Array(sorted.length),
    unsent: new WeakMap(),
    spare: undefined,
  };
  overviews.set(model, fresh);
  return fresh;
}

/** How many decimal digits a non-negative safe integer has. */
function digitCount(n: number): number {
  let count = 1;
  for (let limit = 10; n >= limit && count < 16; limit *= 10) count++;
  return count;
}

/**
 * The `GET /jobs/overview` answer. Its bytes are reused for a later answer once the server
 * confirmed they were sent (a 4 MiB buffer per read was most of the garbage of a polled
 * overview); its body, for the request log and the archive, is made again from the entries and
 * the instant it was rendered at, so the log keeps no bytes.
 */
function overviewAnswer(model: ClusterModel): RouteResult {
  const { bytes, state, entries, at } = renderOverview(model);
  state.unsent.set(bytes, (state.unsent.get(bytes) ?? 0) + 1);
  const parse = (): unknown => JSON.parse(assemble(state.sorted, entries, at).toString('utf8'));
  return okReused(bytes, parse, () => {
    const left = (state.unsent.get(bytes) ?? 1) - 1;
    if (left > 0) {
      state.unsent.set(bytes, left);
      return;
    }
    state.unsent.delete(bytes);
    if (bytes !== state.bytes) state.spare = bytes;
  });
}

/**
 * `GET /jobs/overview` as UTF-8 JSON, byte for byte `JSON.stringify(renderJobsOverview(model))`:
 * each job's entry is kept as bytes with the fields it was made from and made again only when one
 * of them changed; a running job's `duration` (which moves with the clock) is written in between.
 * When no entry changed since the last answer and every duration kept its number of digits, the
 * last answer is copied whole and only the digits are written again: a 10,000-job overview is
 * then one 4 MiB copy, not 20,000 small ones.
 */
function renderOverview(model: ClusterModel): { bytes: Buffer; state: OverviewState; entries: CachedEntry[]; at: number } {
  const now = model.clock.now();
  const state = overviewState(model, overviews.get(model));
  const { sorted, digitsAt, digits } = state;
  let entries = state.entries;
  let changed = state.bytes === undefined;
  for (let k = 0; k < sorted.length; k++) {
    const job = sorted[k] as JobModel;
    if (isCurrent(entries[k], job, now)) continue;
    if (entries === state.entries) entries = [...entries];
    entries[k] = cacheEntry(model, job);
    changed = true;
  }
  state.entries = entries;
  const last = state.bytes;
  if (!changed && last !== undefined && now === state.at) return { bytes: last, state, entries, at: now };
  const again = changed || last === undefined ? undefined : rewriteDurations(state, last, now);
  const out = again ?? assemble(sorted, entries, now, digitsAt, digits);
  state.bytes = out;
  state.at = now;
  // The old template is free once its sends are confirmed (it was the spare's only competitor).
  if (last !== undefined && last !== out && !state.unsent.has(last)) state.spare = last;
  return { bytes: out, state, entries, at: now };
}

/**
 * The whole answer, entry by entry, recording where the durations' digits went (when asked).
 * TypedArray#set and a digit loop: Buffer#copy and Buffer#write cost more per call than these few
 * hundred bytes take to copy.
 */
function assemble(sorted: readonly JobModel[], entries: readonly CachedEntry[], now: number, digitsAt?: Int32Array, digits?: Int8Array): Buffer {
  const texts: Array<string | undefined> = new Array(sorted.length);
  let size = OVERVIEW_OPEN.length + OVERVIEW_CLOSE.length + Math.max(0, sorted.length - 1);
  for (let k = 0; k < sorted.length; k++) {
    const entry = entries[k] as CachedEntry;
    size += entry.before.length;
    if (entry.after !== undefined) {
      const ms = now - (sorted[k] as JobModel).startTime;
      const text = Number.isFinite(ms) ? String(ms) : 'null';
      texts[k] = text;
      size += text.length + entry.after.length;
    }
  }
  const out = Buffer.allocUnsafe(size);
  out.set(OVERVIEW_OPEN, 0);
  let at = OVERVIEW_OPEN.length;
  for (let k = 0; k < entries.length; k++) {
    if (k > 0) out[at++] = COMMA;
    const entry = entries[k] as CachedEntry;
    out.set(entry.before, at);
    at += entry.before.length;
    if (digitsAt) digitsAt[k] = -1;
    if (entry.after !== undefined) {
      const text = texts[k] as string;
      // Only plain integers are rewritten in place later (not `null`, fractions or negatives).
      if (digitsAt && digits && /^\d{1,15}$/.test(text)) {
        digitsAt[k] = at;
        digits[k] = text.length;
      }
      for (let d = 0; d < text.length; d++) out[at++] = text.charCodeAt(d);
      out.set(entry.after, at);
      at += entry.after.length;
    }
  }
  out.set(OVERVIEW_CLOSE, at);
  return out;
}

/**
 * `last` with today's durations, when each running job's duration has as many digits as before
 * (it then sits at the same offset); undefined when one does not, or is no plain integer. Written
 * into the spare buffer when there is one of the size (every send of it confirmed), else a new one.
 */
function rewriteDurations(state: OverviewState, last: Buffer, now: number): Buffer | undefined {
  const { sorted, entries, digitsAt, digits } = state;
  for (let k = 0; k < sorted.length; k++) {
    if ((entries[k] as CachedEntry).after === undefined) continue;
    const ms = now - (sorted[k] as JobModel).startTime;
    if (digitsAt[k] === -1 || !Number.isSafeInteger(ms) || ms < 0 || digitCount(ms) !== digits[k]) return undefined;
  }
  const spare = state.spare;
  state.spare = undefined;
  const out = spare !== undefined && spare.length === last.length ? spare : Buffer.allocUnsafe(last.length);
  out.set(last, 0);
  for (let k = 0; k < sorted.length; k++) {
    const at = digitsAt[k] as number;
    if (at < 0) continue;
    let ms = now - (sorted[k] as JobModel).startTime;
    for (let p = at + (digits[k] as number) - 1; p >= at; p--) {
      const digit = ms % 10;
      out[p] = ZERO + digit;
      ms = (ms - digit) / 10;
    }
  }
  return out;
}

/** `GET /jobs`. @internal */
export function renderJobIds(model: ClusterModel): Json {
  return { jobs: sortNewestFirst(model.jobs.values()).map((j) => ({ id: j.id, status: j.status })) };
}

/** `GET /jobs/:id/execution-result`. @internal */
export function renderExecutionResult(model: ClusterModel, job: JobModel): Json {
  if (!job.isGloballyTerminal) return { status: { id: 'IN_PROGRESS' } };
  const outcome = job.status === 'FINISHED' ? 'SUCCEEDED' : job.status;
  const accumulators = job.status === 'FINISHED' ? Object.fromEntries([...job.accumulatorValues].map(([k, v]) => [k, serializedAccumulator(v.type, v.value)])) : {};
  const v23 = model.profile.resultFields23;
  return {
    status: { id: 'COMPLETED' },
    'job-execution-result': {
      id: job.id,
      ...(v23 ? { name: job.name } : {}),
      'application-status': outcome,
      'accumulator-results': accumulators,
      'net-runtime': job.endTime - job.startTime,
      ...(job.status === 'FAILED' && job.failureCause ? { 'failure-cause': serializedThrowable(job.failureCause) } : {}),
      ...(v23 && job.applicationId ? { 'application-id': job.applicationId } : {}),
      ...(v23 ? { 'start-time': job.startTime, 'end-time': job.endTime } : {}),
    },
  };
}


/** `PATCH /jobs/:id` (cancel): 202, or 404 / 409 as Flink answers. @internal */
export function cancelJob(model: ClusterModel, jobId: string): { ok: true } | SimFailure {
  const job = model.jobs.get(jobId);
  if (!job) {
    const body = restHandlerError('Job could not be found.', { className: 'org.apache.flink.runtime.messages.FlinkJobNotFoundException', message: `Could not find Flink job (${jobId})` });
    return { ok: false, status: 404, body };
  }
  if (job.status === 'FINISHED' || job.status === 'FAILED') {
    return { ok: false, status: 409, body: restHandlerError(`Job cancellation failed because the job has already reached another terminal state (${job.status}).`) };
  }
  job.requestCancel('job');
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Routes

const jobid = { jobid: param.flinkId };

/** The job routes. More specific paths come before the parameterised ones they overlap with. @internal */
export const jobRoutes: readonly Route[] = [
  defineRoute({ method: 'GET', path: '/jobs', params: {}, handle: ({ model }) => ok(renderJobIds(model)) }),
  defineRoute({ method: 'GET', path: '/jobs/overview', params: {}, handle: ({ model }) => overviewAnswer(model) }),
  executionGraphRoute('/jobs/:jobid', 'details'),
  defineRoute({
    method: 'PATCH',
    path: '/jobs/:jobid',
    params: jobid,
    handle: ({ model, query, params }) => {
      const mode = query.get('mode') ?? 'cancel';
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
      const result = cancelJob(model, params.jobid);
      return result.ok ? ok({}, 202) : fail(result);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/status',
    params: jobid,
    handle: ({ model, params }) => {
      // Real 2.3.0 and 1.20.5 answer an unknown job here with a 500, not the 404 of /jobs/:id.
      const job = model.jobs.get(params.jobid);
      return job ? ok({ status: job.status }) : jobNotFound500(params.jobid);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/execution-result',
    params: jobid,
    handle: ({ model, params: { jobid: id } }) => {
      const job = model.jobs.get(id);
      if (!job) {
        const notFound = { className: 'org.apache.flink.runtime.messages.FlinkJobNotFoundException', message: `Could not find Flink job (${id})` };
        return fail({
          status: 404,
          body: restHandlerError(`${notFound.className}: ${notFound.message}`, { className: 'java.util.concurrent.CompletionException', message: `${notFound.className}: ${notFound.message}` }, notFound),
        });
      }
      return ok(renderExecutionResult(model, job));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/accumulators',
    params: jobid,
    handle: ({ model, settings, query, params }) => {
      const job = jobOf(model, params.jobid);
      return isResult(job) ? job : ok(executionGraph(model, settings, job, query.get('includeSerializedValue') === 'true' ? 'accumulatorsSerialized' : 'accumulators'));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/exceptions',
    params: jobid,
    handle: ({ model, settings, query, params }) => {
      const job = jobOf(model, params.jobid);
      if (isResult(job)) return job;
      const raw = query.get('maxExceptions');
      const max = raw !== null && /^\d+$/.test(raw) ? Number(raw) : 20;
      return ok(limitExceptions(executionGraph(model, settings, job, 'exceptions'), max));
    },
  }),
  executionGraphRoute('/jobs/:jobid/config', 'config'),
  executionGraphRoute('/jobs/:jobid/plan', 'plan'),
  defineRoute({
    method: 'GET',
    path: '/jobs/:jobid/jobmanager/config',
    params: jobid,
    // Real 2.3.0 and 1.20.5 answer with the JobManager's configuration for any well-formed id,
    // known or not; a run's flinkConfiguration does not show here.
    handle: ({ model }) => ok(renderClusterConfiguration(model)),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/jobs/:jobid/rescaling',
    params: jobid,
    handle: () => fail({ status: 503, body: restHandlerError('Rescaling is temporarily disabled. See FLINK-12312.') }),
  }),
];

// ---------------------------------------------------------------------------------------------
// The test-facing view

/** The jobs of a simulator (`sim.jobs`). */
export interface SimulatedJobs {
  /**
   * The job with this id.
   * @throws Error when the simulator knows no such job.
   */
  get(jobId: string): SimulatedJob;
  /** The job with this id, if any. */
  find(jobId: string): SimulatedJob | undefined;
  /** Every job, newest first, optionally filtered by name and/or status. */
  list(filter?: { name?: string; status?: SimulatedJobStatus }): SimulatedJob[];
  /**
   * Resolves with the first job (existing or future) that matches: by name/status, or a predicate
   * re-checked on every job status change.
   * @throws Error (rejects) after `timeoutMs` real milliseconds (default 10 000).
   */
  waitFor(match: { name?: string; status?: SimulatedJobStatus } | ((job: SimulatedJob) => boolean), options?: { timeoutMs?: number }): Promise<SimulatedJob>;
  /**
   * Submits a job directly, without a jar (on 2.3 it gets its single-job application), for tests
   * that need a job in some state quickly.
   */
  submit(spec: SimulatedJobSpec, options?: { jobId?: string; parallelism?: number }): SimulatedJob;
}

/** `sim.jobs`. @internal */
export function jobsView(model: ClusterModel, waitFor: WaitFor): SimulatedJobs {
  return {
    get: (id) => {
      const job = model.jobs.get(String(id).toLowerCase());
      if (!job) throw new Error(`flink-client/testing: no job ${id}`);
      return job;
    },
    find: (id) => model.jobs.get(String(id).toLowerCase()),
    list: (filter = {}) =>
      [...model.jobs.values()]
        .reverse()
        .filter((j) => (filter.name === undefined || j.name === filter.name) && (filter.status === undefined || j.status === filter.status))
        .sort((a, b) => b.startTime - a.startTime),
    waitFor: (match, opts = {}) => {
      const pred = typeof match === 'function' ? match : (j: SimulatedJob) => (match.name === undefined || j.name === match.name) && (match.status === undefined || j.status === match.status);
      return waitFor(() => [...model.jobs.values()].find(pred), 'jobStatus', opts.timeoutMs ?? DEFAULT_WAIT_MS, 'matching job');
    },
    submit: (spec, opts = {}) => {
      if (opts.jobId !== undefined && !isFlinkId(opts.jobId)) throw new TypeError('jobId must be 32 hex characters');
      return model.submitJob(spec, opts);
    },
  };
}

import { ArchiveReadOnlyError } from '../errors/archive-read-only-error.js';
import { FlinkConnectionError } from '../errors/flink-connection-error.js';
import { FlinkNotFoundError } from '../errors/flink-not-found-error.js';
import { FlinkValidationError } from '../errors/flink-validation-error.js';
import { sleep } from '../internal/abort.js';
import type { RequestOptions } from '../options/request-options.js';
import { type JobDetails, JobDetailsSchema, type JobExecutionResultResponse, type JobExceptions, JobExceptionsSchema, type JobAccumulators, JobAccumulatorsSchema } from '../schemas/jobs.js';
import { RequestPipeline, type RequestSpec } from './request-pipeline.js';

const JOB_STATUS = /^\/jobs\/([0-9a-f]{32})\/status$/;
const JOB_RESULT = /^\/jobs\/([0-9a-f]{32})\/execution-result$/;

/**
 * Reads only a live cluster answers: a JobManager archives none of them (a job's resource
 * requirements, which a rescale reads first, metrics, back pressure, flame graphs, watermarks,
 * logs, TaskManagers, jars, data sets, operation status).
 */
const LIVE_ONLY = /^\/(taskmanagers|jars|datasets|savepoint-disposal|jobmanager\/(logs?|metrics|thread-dump))(\/|$)|\/(resource-requirements|metrics|backpressure|flamegraph|watermarks|savepoints|stop|rescaling)(\/|$)/;

/** How often, and how far apart (ms, growing), a read that raced a file's rewrite is read again. */
const TORN_READ_RETRIES = 4;
const TORN_READ_PAUSE_MS = 50;

/** Whether a failure is a 2xx whose body was empty or cut: a file read while it was rewritten. */
function isTornRead(err: unknown): boolean {
  return err instanceof FlinkValidationError && (err.notJson || err.body.trim().length === 0);
}

const JOB_RESULT_STATUS: Record<string, 'SUCCEEDED' | 'FAILED' | 'CANCELED'> = { FINISHED: 'SUCCEEDED', FAILED: 'FAILED', CANCELED: 'CANCELED' };

/**
 * A request pipeline in front of a HistoryServer, so the SDK's handles read an archive through
 * the calls they make to a cluster.
 *
 * A HistoryServer serves the JSON files the JobManager precomputed when a job (on Flink 2.3, an
 * application) ended, at the REST paths without the `/v1` prefix, and answers 404
 * `File not found.` for everything else. So this pipeline: sends every read without `/v1`;
 * derives the two reads the archive has no file for from the job's archived details (a status
 * from `GET /jobs/:id`, an execution result from the details, exceptions and accumulators); and
 * refuses every other method (savepoints, cancel, rescale, checkpoints) with
 * ArchiveReadOnlyError before sending.
 */
export class ArchivePipeline extends RequestPipeline {
  override async request<T>(spec: RequestSpec<T>, options: RequestOptions = {}): Promise<T> {
    // A HistoryServer truncates and rewrites its overview files on every refresh that found a new
    // or expired archive, and serves a file mid-rewrite as it is (seen on 2.3.0: a 200 with an
    // empty body for /applications/overview). Such a read is not a failure of the server, so it
    // is read again a few times whatever `maxRetries` says (watch polls send with no retries).
    for (let torn = 1; ; torn++) {
      try {
        return await this.#read(spec, options);
      } catch (err) {
        if (torn > TORN_READ_RETRIES || !isTornRead(err)) throw err;
        await sleep(TORN_READ_PAUSE_MS * torn, options.signal);
      }
    }
  }

  async #read<T>(spec: RequestSpec<T>, options: RequestOptions): Promise<T> {
    if (spec.method !== 'GET' || LIVE_ONLY.test(spec.path)) throw new ArchiveReadOnlyError({ operation: `${spec.method} ${spec.path}` });
    const status = JOB_STATUS.exec(spec.path);
    if (status) {
      const details = await this.#job(status[1] as string, spec, options);
      return { status: details.state } as T;
    }
    const result = JOB_RESULT.exec(spec.path);
    if (result) return (await this.#executionResult(result[1] as string, spec, options)) as T;
    return super.request({ ...spec, apiRoot: '' }, options);
  }

  #job(jobId: string, spec: RequestSpec<unknown>, options: RequestOptions): Promise<JobDetails> {
    return super.request({ method: 'GET', path: `/jobs/${jobId}`, apiRoot: '', schema: JobDetailsSchema, alwaysValidate: true, resource: spec.resource }, options);
  }

  /** An archived job is globally terminal: its result is what its details, exceptions and accumulators say. */
  async #executionResult(jobId: string, spec: RequestSpec<unknown>, options: RequestOptions): Promise<JobExecutionResultResponse> {
    const details = await this.#job(jobId, spec, options);
    const outcome = JOB_RESULT_STATUS[details.state] ?? 'UNKNOWN';
    const [exceptions, accumulators] = await Promise.all([
      outcome === 'SUCCEEDED' ? undefined : super.request<JobExceptions>({ method: 'GET', path: `/jobs/${jobId}/exceptions`, apiRoot: '', schema: JobExceptionsSchema }, options).catch(() => undefined),
      super.request<JobAccumulators>({ method: 'GET', path: `/jobs/${jobId}/accumulators`, apiRoot: '', schema: JobAccumulatorsSchema }, options).catch(() => undefined),
    ]);
    const root = exceptions?.exceptionHistory.entries[0];
    const applicationId = (details as { 'application-id'?: string })['application-id'];
    return {
      status: { id: 'COMPLETED' },
      'job-execution-result': {
        id: details.jid,
        name: details.name,
        'application-status': outcome,
        // Names only: the archive keeps accumulator values as strings, which the handle reads.
        'accumulator-results': Object.fromEntries((accumulators?.['user-task-accumulators'] ?? []).map((a) => [a.name, ''])),
        // The archive has no net runtime; the job's duration is the closest it keeps.
        'net-runtime': details.duration,
        ...(root ? { 'failure-cause': { class: root.exceptionName, 'stack-trace': root.stacktrace, 'serialized-throwable': '' } } : {}),
        ...(applicationId ? { 'application-id': applicationId } : {}),
        'start-time': details['start-time'],
        'end-time': details['end-time'],
      },
    } as JobExecutionResultResponse;
  }
}

/** The overviews a cluster lists its jobs and applications in, and the id field of their entries. */
const OVERVIEWS: Record<string, { list: string; id: string }> = {
  '/jobs/overview': { list: 'jobs', id: 'jid' },
  '/applications/overview': { list: 'applications', id: 'id' },
};

/**
 * A cluster's pipeline that falls back to its HistoryServer once the cluster is gone.
 *
 * The cluster's own answers win while it is up. A read that fails with FlinkConnectionError (the
 * cluster did not answer, after the usual retries) is asked of the archive instead; when the
 * archive does not have it either (404, or the HistoryServer has not picked the archive up yet),
 * the original connection error stands, so a wait keeps waiting for the archive within its
 * `unreachableTimeoutMs`. The overviews from the archive are merged over the cluster's last
 * answer: a job or application the archive does not list yet keeps its last state rather than
 * seeming removed.
 */
export class ArchiveFallbackPipeline extends RequestPipeline {
  readonly #archive: ArchivePipeline;
  readonly #lastOverview = new Map<string, Record<string, unknown>[]>();

  constructor(options: ConstructorParameters<typeof RequestPipeline>[0], archive: ArchivePipeline) {
    super(options);
    this.#archive = archive;
  }

  override async request<T>(spec: RequestSpec<T>, options: RequestOptions = {}): Promise<T> {
    const overview = spec.method === 'GET' && spec.apiRoot === undefined ? OVERVIEWS[spec.path] : undefined;
    try {
      const answer = await super.request(spec, options);
      if (overview) this.#lastOverview.set(spec.path, (answer as Record<string, Record<string, unknown>[]>)[overview.list] ?? []);
      return answer;
    } catch (err) {
      if (!(err instanceof FlinkConnectionError) || spec.method !== 'GET' || spec.apiRoot !== undefined) throw err;
      let archived: T;
      try {
        archived = await this.#archive.request(spec, options);
      } catch (archiveErr) {
        if (archiveErr instanceof FlinkNotFoundError || archiveErr instanceof FlinkConnectionError || archiveErr instanceof ArchiveReadOnlyError) throw err;
        throw archiveErr;
      }
      if (!overview) return archived;
      const fromArchive = (archived as Record<string, Record<string, unknown>[]>)[overview.list] ?? [];
      const known = new Set(fromArchive.map((e) => e[overview.id]));
      const kept = (this.#lastOverview.get(spec.path) ?? []).filter((e) => !known.has(e[overview.id]));
      return { ...archived, [overview.list]: [...fromArchive, ...kept] } as T;
    }
  }

  override async close(): Promise<void> {
    await Promise.all([super.close(), this.#archive.close()]);
  }
}

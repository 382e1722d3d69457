import type { ClusterModel } from '../model.js';
import type { Route, RouteContext, RouteResult, RouteSettings } from '../route-kit.js';
import { ROUTES } from '../routes.js';

/**
 * What a JobManager writes to `jobmanager.archive.fs.dir` when a job (on Flink 2.3, an
 * application) ends: the JSON its REST handlers would answer at that moment, one file per path
 * (Flink's `JsonArchivist`s). The simulator renders the files with its own routes, so an archived
 * body is the body the cluster served last.
 */

/** One archive: the files of one ended job or application. @internal */
export interface ArchiveRecord {
  readonly kind: 'job' | 'application';
  readonly id: string;
  /** Simulated time the cluster wrote it (the moment the job or application ended). */
  readonly archivedAt: number;
  /** Its entry in the HistoryServer's combined overview (`/jobs/overview` or `/applications/overview`). */
  readonly overview: unknown;
  /** The archived bodies by path (no `/v1`). */
  readonly files: ReadonlyMap<string, unknown>;
}

/**
 * One archived path: the file's path template, and the simulator route that renders it (the same
 * path unless said). `keepErrors`: Flink archives the handler's error body as the file (seen for
 * the rescale routes of a job without the adaptive scheduler).
 */
interface ArchivedPath {
  readonly path: string;
  readonly route?: string;
  readonly query?: Record<string, string>;
  readonly keepErrors?: boolean;
}

/**
 * The paths Flink 2.3.0 and 1.20.5 archive per job, as a real HistoryServer served them
 * (test/fixtures/recorded/FINDINGS.md). Not archived: `/status`, `/execution-result`, metrics,
 * back pressure, flame graphs, watermarks, `/vertices/:id/accumulators`,
 * `/vertices/:id/subtasks/accumulators`, `/vertices/:id/subtasks/:n` (only its attempts).
 */
const JOB_PATHS: readonly ArchivedPath[] = [
  { path: '/jobs/:jobid' },
  { path: '/jobs/:jobid/config' },
  { path: '/jobs/:jobid/exceptions' },
  // The archivist includes the serialized values (createJobAccumulatorsInfo(graph, true)).
  { path: '/jobs/:jobid/accumulators', query: { includeSerializedValue: 'true' } },
  { path: '/jobs/:jobid/plan' },
  { path: '/jobs/:jobid/checkpoints' },
  { path: '/jobs/:jobid/checkpoints/config' },
  { path: '/jobs/:jobid/jobmanager/config' },
  // The job's environment is the JobManager's.
  { path: '/jobs/:jobid/jobmanager/environment', route: '/jobmanager/environment' },
  { path: '/jobs/:jobid/rescales/config', keepErrors: true },
  { path: '/jobs/:jobid/rescales/history', keepErrors: true },
  { path: '/jobs/:jobid/rescales/overview', keepErrors: true },
  { path: '/jobs/:jobid/rescales/summary', keepErrors: true },
];
const CHECKPOINT_PATHS: readonly ArchivedPath[] = [
  { path: '/jobs/:jobid/checkpoints/details/:checkpointid' },
  { path: '/jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid' },
];
const VERTEX_PATHS: readonly ArchivedPath[] = [
  { path: '/jobs/:jobid/vertices/:vertexid' },
  { path: '/jobs/:jobid/vertices/:vertexid/subtasktimes' },
  { path: '/jobs/:jobid/vertices/:vertexid/taskmanagers' },
];
const ATTEMPT_PATHS: readonly ArchivedPath[] = [
  { path: '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt' },
  { path: '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt/accumulators' },
];
/** Per application (Flink 2.3): no `/status` (it is in the details) and no job list of its own. */
const APPLICATION_PATHS: readonly ArchivedPath[] = [
  { path: '/applications/:applicationid' },
  { path: '/applications/:applicationid/exceptions' },
  { path: '/applications/:applicationid/jobmanager/config' },
];

const GET_ROUTES = new Map<string, Route>(ROUTES.filter((r) => r.method === 'GET').map((r) => [r.path, r]));

/** What rendering an archive needs from the simulator. @internal */
export interface ArchiveSource {
  readonly model: ClusterModel;
  /** The cluster's route settings; the archive is rendered past the REST caches. */
  readonly settings: RouteSettings;
}

type Params = Record<string, string>;

/**
 * Renders the archive of an ended job. Synchronous as far as the routes are, so the files show the
 * job as it was the moment it ended (a virtual clock may move on before a promise settles).
 * @internal
 */
export function archiveJob(source: ArchiveSource, jobId: string): Promise<ArchiveRecord> {
  const archivedAt = source.model.clock.now();
  const files = new Map<string, unknown>();
  const pending: Array<Promise<void>> = [];
  const add = (paths: readonly ArchivedPath[], params: Params): void => {
    for (const entry of paths) {
      settle(render(source, entry, params), pending, (result) => {
        if (entry.keepErrors || result.status < 300) files.set(fill(entry.path, params), result.body);
      });
    }
  };
  add(JOB_PATHS, { jobid: jobId });
  const vertices = source.model.jobs.get(jobId)?.vertices ?? [];
  const checkpoints = files.get(`/jobs/${jobId}/checkpoints`) as { history?: Array<{ id?: unknown }> } | undefined;
  for (const checkpoint of checkpoints?.history ?? []) {
    if (typeof checkpoint.id !== 'number') continue;
    const checkpointid = String(checkpoint.id);
    add(CHECKPOINT_PATHS.slice(0, 1), { jobid: jobId, checkpointid });
    for (const v of vertices) add(CHECKPOINT_PATHS.slice(1), { jobid: jobId, checkpointid, vertexid: v.id });
  }
  for (const v of vertices) {
    add(VERTEX_PATHS, { jobid: jobId, vertexid: v.id });
    for (let subtask = 0; subtask < v.parallelism; subtask++) add(ATTEMPT_PATHS, { jobid: jobId, vertexid: v.id, subtaskindex: String(subtask), attempt: '0' });
  }
  let overview: unknown;
  settle(render(source, { path: '/jobs/overview' }, {}), pending, (result) => {
    overview = (result.body as { jobs?: Array<{ jid?: string }> }).jobs?.find((j) => j.jid === jobId);
  });
  return Promise.all(pending).then(() => ({ kind: 'job', id: jobId, archivedAt, overview, files }));
}

/** Renders the archive of an ended application (Flink 2.3), synchronously as far as the routes are. @internal */
export function archiveApplication(source: ArchiveSource, applicationId: string): Promise<ArchiveRecord> {
  const archivedAt = source.model.clock.now();
  const files = new Map<string, unknown>();
  const pending: Array<Promise<void>> = [];
  const params = { applicationid: applicationId };
  for (const entry of APPLICATION_PATHS) {
    settle(render(source, entry, params), pending, (result) => {
      if (result.status < 300) files.set(fill(entry.path, params), result.body);
    });
  }
  let overview: unknown;
  settle(render(source, { path: '/applications/overview' }, {}), pending, (result) => {
    overview = (result.body as { applications?: Array<{ id?: string }> }).applications?.find((a) => a.id === applicationId);
  });
  return Promise.all(pending).then(() => ({ kind: 'application', id: applicationId, archivedAt, overview, files }));
}

type Rendered = RouteResult | Promise<RouteResult | undefined> | undefined;

/** Hands a rendered result on now, or when its promise settles (then tracked in `pending`). */
function settle(result: Rendered, pending: Array<Promise<void>>, use: (result: RouteResult) => void): void {
  if (result instanceof Promise) pending.push(result.then((r) => (r ? use(r) : undefined)));
  else if (result) use(result);
}

/** Renders one path with the route that serves it on the cluster; undefined when no route does. */
function render(source: ArchiveSource, entry: ArchivedPath, params: Params): Rendered {
  const template = entry.route ?? entry.path;
  const route = GET_ROUTES.get(template);
  if (!route || (route.applications && !source.model.profile.applications)) return undefined;
  const path = fill(template, params);
  const query = new URLSearchParams(entry.query);
  // Fresh bodies: the archivist reads the execution graph itself, not the REST handlers' caches.
  const settings: RouteSettings = { ...source.settings, jobDetailsCache: false, jobDetailsCacheStore: new Map(), checkpointStatsCacheStore: new Map() };
  const ctx: RouteContext = {
    model: source.model,
    params,
    query,
    method: 'GET',
    rawPath: path,
    bodyText: undefined,
    request: () => new Request(`http://archive.invalid${path}${entry.query ? `?${query.toString()}` : ''}`),
    settings,
    realDelay: async () => {},
  };
  try {
    const result = route.handle(ctx);
    return result instanceof Promise ? result.catch(() => undefined) : result;
  } catch {
    return undefined;
  }
}

function fill(template: string, params: Params): string {
  return template.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => params[name] ?? `:${name}`);
}

import type { SimulatedLogFile } from '../log-book.js';
import type { ClusterModel } from '../model.js';
import { defineRoute, fail, isResult, ok, param, type Route, type RouteResult, type RouteSettings, textAnswer } from '../route-kit.js';
import { chain, internalServerError, throwableError } from '../java.js';
import { renderTaskManagers } from './cluster.js';
import { type Json } from './shared.js';
import { taskManagerOf } from './taskmanager.js';

/**
 * The log directory's routes (in no spec; issue 12): the lists (`/jobmanager/logs`,
 * `/taskmanagers/:id/logs`) and the files (`/jobmanager/log`, `/jobmanager/stdout`,
 * `/jobmanager/logs/:name` and the TaskManager's `log`, `stdout`, `logs/:name`), from the
 * cluster's {@link ClusterLogs}. As on real Flink: `text/plain` with the whole file (`Range` is
 * ignored: no 206, no `Accept-Ranges`); a missing JobManager file is a JSON 404 `This file does
 * not exist in JobManager log dir.`; a missing TaskManager stdout is a 200 with a JSON content type
 * around a plain sentence (the processes run in the foreground, so there is no `.out` file);
 * JobManager and TaskManagers share one log directory, so each lists every file. With the REST
 * caches on (`jobDetailsCache`), a TaskManager file is served from Flink's blob cache for
 * `web.refresh-interval`, as its file handlers do.
 */

const JM_FILE_MISSING = { errors: ['This file does not exist in JobManager log dir.'] };
const TM_STDOUT_MISSING = 'The file STDOUT does not exist on the TaskExecutor. \nIf you are using kubernetes mode, please use "kubectl logs <pod-name>" to get stdout content.';
const JSON_TYPE = 'application/json; charset=UTF-8';

/** An error of a file handler: Flink's file handlers send no CORS header (seen on real 2.3.0). */
function fileError(status: number, body: { errors: string[] }): RouteResult {
  return { ...fail({ status, body }), staticHandler: true };
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** `{logs: [{name, size, mtime}]}` of the shared log directory, rolled-over files included. */
function renderLogList(model: ClusterModel): Json {
  const entry = (name: string, f: { bytes: number; mtime: number }): Json => ({ name, size: f.bytes, mtime: f.mtime });
  return {
    logs: model.logs.files().flatMap((f: SimulatedLogFile) => [entry(f.name, f), ...(f.previous ? [entry(`${f.name}.1`, f.previous)] : [])]),
  };
}

/** The TaskManager's own log file, by its entry in `/taskmanagers`. */
function taskManagerLog(model: ClusterModel, tmId: string): SimulatedLogFile | undefined {
  const index = (renderTaskManagers(model).taskmanagers as Json[]).findIndex((t) => t.id === tmId);
  model.logs.catchUp();
  return model.logs.taskManagers[index];
}

/** The TaskManager file routes' blob cache (`web.refresh-interval`), per simulator. */
const blobCaches = new WeakMap<RouteSettings, Map<string, { at: number; result: RouteResult }>>();

function fromBlobCache(model: ClusterModel, settings: RouteSettings, key: string, load: () => RouteResult): RouteResult {
  if (!settings.jobDetailsCache) return load();
  let cache = blobCaches.get(settings);
  if (!cache) blobCaches.set(settings, (cache = new Map()));
  const now = model.clock.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < settings.refreshIntervalMs) return hit.result;
  const result = load();
  // A failed transfer invalidates the entry, as Flink's handler does.
  if (result.status === 200) cache.set(key, { at: now, result });
  return result;
}

/** A TaskManager's file, or Flink's answer for an unknown TaskManager. */
function taskManagerFile(model: ClusterModel, settings: RouteSettings, rawId: string, file: 'log' | 'stdout' | { name: string }): RouteResult {
  const tm = taskManagerOf(model, rawId);
  const id = decoded(rawId);
  if (isResult(tm)) {
    return fileError(404, throwableError({
        className: 'org.apache.flink.runtime.rest.NotFoundException',
        message: `Failed to transfer file from TaskExecutor ${id} because it was unknown.`,
        cause: { className: 'org.apache.flink.runtime.resourcemanager.exceptions.UnknownTaskExecutorException', message: `No TaskExecutor registered under ${id}.` },
      }));
  }
  const key = `${id}/${typeof file === 'string' ? file : `logs/${file.name}`}`;
  return fromBlobCache(model, settings, key, () => {
    if (file === 'stdout') return textAnswer(TM_STDOUT_MISSING, JSON_TYPE);
    if (file === 'log') {
      const log = taskManagerLog(model, id);
      return log ? textAnswer(log.text) : textAnswer(TM_STDOUT_MISSING.replace('STDOUT', 'LOG'), JSON_TYPE);
    }
    const found = model.logs.read(file.name);
    if (found) return textAnswer(found.text);
    return fileError(500, internalServerError(chain(
      { className: 'org.apache.flink.util.FlinkException', message: `Failed to transfer file from TaskExecutor ${id}.` },
      { className: 'java.io.FileNotFoundException', message: `The file ${file.name} does not exist on the TaskExecutor.` },
    )));
  });
}

const tm = { taskmanagerid: param.raw };

/** @internal */
export const logFileRoutes: readonly Route[] = [
  defineRoute({ method: 'GET', path: '/jobmanager/logs', params: {}, handle: ({ model }) => ok(renderLogList(model)) }),
  defineRoute({
    method: 'GET',
    path: '/jobmanager/log',
    params: {},
    handle: ({ model }) => {
      model.logs.catchUp();
      return textAnswer(model.logs.jobManager.text);
    },
  }),
  defineRoute({ method: 'GET', path: '/jobmanager/stdout', params: {}, handle: () => fileError(404, JM_FILE_MISSING) }),
  defineRoute({
    method: 'GET',
    path: '/jobmanager/logs/:filename',
    params: { filename: param.raw },
    handle: ({ model, params }) => {
      const found = model.logs.read(decoded(params.filename));
      return found ? textAnswer(found.text) : fileError(404, JM_FILE_MISSING);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/taskmanagers/:taskmanagerid/logs',
    params: tm,
    handle: ({ model, params }) => {
      const entry = taskManagerOf(model, params.taskmanagerid);
      return isResult(entry) ? entry : ok(renderLogList(model));
    },
  }),
  defineRoute({ method: 'GET', path: '/taskmanagers/:taskmanagerid/log', params: tm, handle: ({ model, settings, params }) => taskManagerFile(model, settings, params.taskmanagerid, 'log') }),
  defineRoute({ method: 'GET', path: '/taskmanagers/:taskmanagerid/stdout', params: tm, handle: ({ model, settings, params }) => taskManagerFile(model, settings, params.taskmanagerid, 'stdout') }),
  defineRoute({
    method: 'GET',
    path: '/taskmanagers/:taskmanagerid/logs/:filename',
    params: { taskmanagerid: param.raw, filename: param.raw },
    handle: ({ model, settings, params }) => taskManagerFile(model, settings, params.taskmanagerid, { name: decoded(params.filename) }),
  }),
];

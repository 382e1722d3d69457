import type { ClientContext } from '../context/client-context.js';
import type { JobManagerClient, LogFile, LogReadOptions, ProcessDiagnostics, TaskManagerClient } from '../context/manager-types.js';
import type { ResourceRef } from '../http/map-error.js';
import { checkTaskManagerId } from '../internal/ids.js';
import { readMetricNames, readMetrics } from '../job/metric-reader.js';
import type { RequestOptions } from '../options/request-options.js';
import { type ConfigEntries, ConfigEntriesSchema } from '../schemas/cluster.js';
import { type EnvironmentInfo, EnvironmentInfoSchema, type LogList, LogListSchema, type TaskManagerDetails, TaskManagerDetailsSchema, type ThreadDump, ThreadDumpSchema } from '../schemas/managers.js';
import type { MetricValues } from '../schemas/metrics.js';
import type { DualSchema } from '../schemas/schema-kit.js';
import { checkLogFileName, type LogRoute, logLines, logText } from './log-reader.js';

function logFile(route: LogRoute): LogFile {
  return {
    path: route.path,
    lines: (options?: LogReadOptions) => logLines(route, options),
    text: (options?: LogReadOptions) => logText(route, options),
  };
}

/**
 * The routes every Flink process has under its base path (`/jobmanager`, `/taskmanagers/:id`):
 * thread dump, logs and metrics. The two handles differ only in base path, the resource named in
 * errors, and their own extra routes.
 */
abstract class ProcessHandle implements ProcessDiagnostics {
  protected readonly context: ClientContext;
  protected readonly base: string;
  protected readonly resource: ResourceRef | undefined;

  protected constructor(context: ClientContext, base: string, resource?: ResourceRef) {
    this.context = context;
    this.base = base;
    this.resource = resource;
  }

  protected get<T>(suffix: string, schema: DualSchema<T>, options: RequestOptions | undefined): Promise<T> {
    return this.context.pipeline.request({ method: 'GET', path: `${this.base}${suffix}`, schema, ...(this.resource ? { resource: this.resource } : {}) }, options);
  }

  #route(suffix: string): LogRoute {
    return { pipeline: this.context.pipeline, path: `${this.base}${suffix}`, ...(this.resource ? { resource: this.resource } : {}) };
  }

  threadDump(options?: RequestOptions): Promise<ThreadDump> {
    return this.get('/thread-dump', ThreadDumpSchema, options);
  }

  logs(options?: RequestOptions): Promise<LogList> {
    return this.get('/logs', LogListSchema, options);
  }

  log(): LogFile {
    return logFile(this.#route('/log'));
  }

  stdout(): LogFile {
    return logFile(this.#route('/stdout'));
  }

  logFile(name: string): LogFile {
    return logFile(this.#route(`/logs/${encodeURIComponent(checkLogFileName(name))}`));
  }

  metricNames(options?: RequestOptions): Promise<string[]> {
    return readMetricNames(this.#route('/metrics'), false, options);
  }

  metrics(names: readonly string[], options?: RequestOptions): Promise<MetricValues> {
    return readMetrics(this.#route('/metrics'), names, options);
  }
}

/** The JobManager handle: the `/jobmanager/*` routes. */
export class JobManagerHandle extends ProcessHandle implements JobManagerClient {
  constructor(context: ClientContext) {
    super(context, '/jobmanager');
  }

  config(options?: RequestOptions): Promise<ConfigEntries> {
    return this.get('/config', ConfigEntriesSchema, options);
  }

  environment(options?: RequestOptions): Promise<EnvironmentInfo> {
    return this.get('/environment', EnvironmentInfoSchema, options);
  }
}

/** A TaskManager handle: the `/taskmanagers/:id/*` routes. */
export class TaskManagerHandle extends ProcessHandle implements TaskManagerClient {
  readonly taskManagerId: string;

  constructor(context: ClientContext, taskManagerId: string) {
    const id = checkTaskManagerId(taskManagerId);
    super(context, `/taskmanagers/${encodeURIComponent(id)}`, { kind: 'taskmanager', taskManagerId: id });
    this.taskManagerId = id;
  }

  describe(options?: RequestOptions): Promise<TaskManagerDetails> {
    return this.get('', TaskManagerDetailsSchema, options);
  }
}

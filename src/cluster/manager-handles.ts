import type { ClientContext } from '../context/client-context.js';
import type { JobManagerClient, LogFile, LogReadOptions, TaskManagerClient } from '../context/manager-types.js';
import type { ResourceRef } from '../http/map-error.js';
import { checkTaskManagerId } from '../internal/ids.js';
import { readMetricNames, readMetrics } from '../job/metric-reader.js';
import type { RequestOptions } from '../options/request-options.js';
import { type ConfigEntries, ConfigEntriesSchema } from '../schemas/cluster.js';
import { type EnvironmentInfo, EnvironmentInfoSchema, type LogList, LogListSchema, type TaskManagerDetails, TaskManagerDetailsSchema, type ThreadDump, ThreadDumpSchema } from '../schemas/managers.js';
import type { MetricValues } from '../schemas/metrics.js';
import { checkLogFileName, type LogRoute, logLines, logText } from './log-reader.js';

function logFile(route: LogRoute): LogFile {
  return {
    path: route.path,
    lines: (options?: LogReadOptions) => logLines(route, options),
    text: (options?: LogReadOptions) => logText(route, options),
  };
}

/** The JobManager handle: the `/jobmanager/*` routes. */
export class JobManagerHandle implements JobManagerClient {
  readonly #context: ClientContext;

  constructor(context: ClientContext) {
    this.#context = context;
  }

  config(options?: RequestOptions): Promise<ConfigEntries> {
    return this.#context.pipeline.request({ method: 'GET', path: '/jobmanager/config', schema: ConfigEntriesSchema }, options);
  }

  environment(options?: RequestOptions): Promise<EnvironmentInfo> {
    return this.#context.pipeline.request({ method: 'GET', path: '/jobmanager/environment', schema: EnvironmentInfoSchema }, options);
  }

  threadDump(options?: RequestOptions): Promise<ThreadDump> {
    return this.#context.pipeline.request({ method: 'GET', path: '/jobmanager/thread-dump', schema: ThreadDumpSchema }, options);
  }

  logs(options?: RequestOptions): Promise<LogList> {
    return this.#context.pipeline.request({ method: 'GET', path: '/jobmanager/logs', schema: LogListSchema }, options);
  }

  log(): LogFile {
    return logFile({ pipeline: this.#context.pipeline, path: '/jobmanager/log' });
  }

  stdout(): LogFile {
    return logFile({ pipeline: this.#context.pipeline, path: '/jobmanager/stdout' });
  }

  logFile(name: string): LogFile {
    return logFile({ pipeline: this.#context.pipeline, path: `/jobmanager/logs/${encodeURIComponent(checkLogFileName(name))}` });
  }

  metricNames(options?: RequestOptions): Promise<string[]> {
    return readMetricNames({ pipeline: this.#context.pipeline, path: '/jobmanager/metrics' }, false, options);
  }

  async metrics(names: readonly string[], options?: RequestOptions): Promise<MetricValues> {
    return readMetrics({ pipeline: this.#context.pipeline, path: '/jobmanager/metrics' }, names, options);
  }
}

/** A TaskManager handle: the `/taskmanagers/:id/*` routes. */
export class TaskManagerHandle implements TaskManagerClient {
  readonly taskManagerId: string;
  readonly #context: ClientContext;
  readonly #base: string;
  readonly #resource: ResourceRef;

  constructor(context: ClientContext, taskManagerId: string) {
    this.#context = context;
    this.taskManagerId = checkTaskManagerId(taskManagerId);
    this.#base = `/taskmanagers/${encodeURIComponent(this.taskManagerId)}`;
    this.#resource = { kind: 'taskmanager', taskManagerId: this.taskManagerId };
  }

  describe(options?: RequestOptions): Promise<TaskManagerDetails> {
    return this.#context.pipeline.request({ method: 'GET', path: this.#base, schema: TaskManagerDetailsSchema, resource: this.#resource }, options);
  }

  threadDump(options?: RequestOptions): Promise<ThreadDump> {
    return this.#context.pipeline.request({ method: 'GET', path: `${this.#base}/thread-dump`, schema: ThreadDumpSchema, resource: this.#resource }, options);
  }

  logs(options?: RequestOptions): Promise<LogList> {
    return this.#context.pipeline.request({ method: 'GET', path: `${this.#base}/logs`, schema: LogListSchema, resource: this.#resource }, options);
  }

  log(): LogFile {
    return logFile({ pipeline: this.#context.pipeline, path: `${this.#base}/log`, resource: this.#resource });
  }

  stdout(): LogFile {
    return logFile({ pipeline: this.#context.pipeline, path: `${this.#base}/stdout`, resource: this.#resource });
  }

  logFile(name: string): LogFile {
    return logFile({ pipeline: this.#context.pipeline, path: `${this.#base}/logs/${encodeURIComponent(checkLogFileName(name))}`, resource: this.#resource });
  }

  metricNames(options?: RequestOptions): Promise<string[]> {
    return readMetricNames({ pipeline: this.#context.pipeline, path: `${this.#base}/metrics`, resource: this.#resource }, false, options);
  }

  async metrics(names: readonly string[], options?: RequestOptions): Promise<MetricValues> {
    return readMetrics({ pipeline: this.#context.pipeline, path: `${this.#base}/metrics`, resource: this.#resource }, names, options);
  }
}

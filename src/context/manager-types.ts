import type { RequestOptions } from '../options/request-options.js';
import type { ConfigEntries } from '../schemas/cluster.js';
import type { EnvironmentInfo, LogList, TaskManagerDetails, ThreadDump } from '../schemas/managers.js';
import type { MetricValues } from '../schemas/metrics.js';

/**
 * Options of reading a log or stdout file. Flink sends such files whole (it ignores `Range`), so
 * the tail is taken on the client while the file streams by: memory stays bounded by what is kept.
 */
export interface LogReadOptions extends RequestOptions {
  /**
   * The most bytes to read; a longer file fails with FlinkResponseTooLargeError, unless
   * `tailLines` is given, which keeps only the last lines and reads the file to its end.
   * @default the client's `maxResponseBytes` (100 MiB)
   */
  maxBytes?: number;
  /** Keep only the last `tailLines` lines (the file is still streamed through once). */
  tailLines?: number;
  /**
   * Deadline of the whole read in milliseconds (the file streams within one attempt).
   * @default 300 000
   */
  timeoutMs?: number;
}

/**
 * A log or stdout file of a JobManager or TaskManager, read as a stream. Getting one sends
 * nothing; each `lines()` or `text()` reads the file afresh. Flink sends the whole file (it
 * ignores `Range`), so `tailLines` is applied while it streams by, in bounded memory.
 *
 * @example
 * ```ts
 * for await (const line of cluster.jobManager().log().lines({ tailLines: 200 })) console.log(line);
 * const out = await cluster.taskManager(id).stdout().text({ maxBytes: 1_000_000 });
 * ```
 */
export interface LogFile {
  /** The path of the file's route, below the REST root. */
  readonly path: string;
  /**
   * The file's lines as they arrive (LF or CRLF removed). Breaking out closes the connection.
   *
   * @throws FlinkResponseTooLargeError past `maxBytes` (without `tailLines`).
   * @throws FlinkNotFoundError when the file does not exist; FlinkError `FLINK_LOG_FILE_NOT_FOUND`
   *   for a TaskManager stdout that does not exist (Flink answers that with 200 and a sentence).
   */
  lines(options?: LogReadOptions): AsyncIterableIterator<string>;
  /**
   * The whole file (or its last `tailLines` lines) as one string.
   *
   * @throws as `lines()`.
   */
  text(options?: LogReadOptions): Promise<string>;
}

/**
 * What the JobManager and every TaskManager share: thread dump, log files and metrics of one
 * Flink process. The routes are the process's own: `/jobmanager/…` for the JobManager,
 * `/taskmanagers/:id/…` for a TaskManager. Sends nothing when made.
 *
 * @example
 * ```ts
 * async function tail(process: ProcessDiagnostics): Promise<string> {
 *   return process.log().text({ tailLines: 100 });
 * }
 * await tail(cluster.jobManager());
 * ```
 */
export interface ProcessDiagnostics {
  /** Every thread's stack (`GET …/thread-dump`). */
  threadDump(options?: RequestOptions): Promise<ThreadDump>;
  /** The files of the process's log directory (`GET …/logs`). */
  logs(options?: RequestOptions): Promise<LogList>;
  /** The main log file (`GET …/log`). Sends nothing until read. */
  log(): LogFile;
  /**
   * The stdout file (`GET …/stdout`); Flink answers 404 when output goes to a console. Sends
   * nothing until read.
   */
  stdout(): LogFile;
  /**
   * One file of the log directory by the name `logs()` lists (`GET …/logs/:name`).
   *
   * @throws FlinkArgumentError for a name with path separators or control characters.
   */
  logFile(name: string): LogFile;
  /** The names of the process's metrics (`GET …/metrics`). */
  metricNames(options?: RequestOptions): Promise<string[]>;
  /**
   * Values of named metrics (`GET …/metrics?get=`), numbers where Flink sends numbers in
   * strings. Names the process does not have are left out. Any number of names: they are sent
   * in as few requests as fit Flink's request line.
   *
   * @throws FlinkArgumentError for an empty list or a name with a comma.
   */
  metrics(names: readonly string[], options?: RequestOptions): Promise<MetricValues>;
}

/**
 * A handle on the cluster's JobManager (`cluster.jobManager()`): configuration and environment,
 * and the diagnostics every Flink process has ({@link ProcessDiagnostics} on `/jobmanager/…`).
 * Sends nothing when made.
 *
 * @example
 * ```ts
 * const jm = cluster.jobManager();
 * const { 'Status.JVM.CPU.Load': load } = await jm.metrics(['Status.JVM.CPU.Load']);
 * ```
 */
export interface JobManagerClient extends ProcessDiagnostics {
  /** The configuration (`GET /jobmanager/config`). */
  config(options?: RequestOptions): Promise<ConfigEntries>;
  /** The JVM, its options and the class path (`GET /jobmanager/environment`). */
  environment(options?: RequestOptions): Promise<EnvironmentInfo>;
}

/**
 * A handle on one TaskManager (`cluster.taskManager(id)`, ids from `listTaskManagers()`):
 * details, and the diagnostics every Flink process has ({@link ProcessDiagnostics} on
 * `/taskmanagers/:id/…`). Sends nothing when made.
 *
 * @example
 * ```ts
 * const [first] = await cluster.listTaskManagers();
 * const tm = cluster.taskManager(first.id);
 * console.log((await tm.describe()).metrics.heapUsed);
 * ```
 */
export interface TaskManagerClient extends ProcessDiagnostics {
  /** The TaskManager's resource id (`127.0.0.1:42125-67e5ae`). */
  readonly taskManagerId: string;
  /**
   * Its details with allocated slots and memory metrics (`GET /taskmanagers/:id`).
   *
   * @throws TaskManagerNotFoundError when no TaskManager has the id.
   */
  describe(options?: RequestOptions): Promise<TaskManagerDetails>;
}

import { renderThrowable } from './java.js';
import type { JobModel } from './job-model.js';
import type { SimulatedJobStatus } from './state.js';

/** What the log book reads of the cluster (the LogHost). @internal */
export interface LogHost {
  readonly clock: { now(): number };
  readonly config: { readonly taskManagers: number; address(): string };
  readonly profile: { readonly version: string };
  readonly jobs: ReadonlyMap<string, JobModel>;
  readonly taskManagerId: string;
  readonly dataPort: number;
}

/**
 * The simulated cluster's log files: the JobManager's and each TaskManager's log4j file, written
 * as the cluster runs (start-up banner, job submissions and state changes, task deployments,
 * checkpoints, failures with their stack traces), in Flink's default pattern
 * `%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n`. Files only grow, so a reader that
 * follows a file by its line count (`flink-client logs -f`) sees each new line once; a file past
 * {@link LOG_ROTATE_BYTES} rolls over to `<name>.1`, as log4j's rolling appender does.
 */

/** A file rolls over past this size (bounds a long simulation's memory). @internal */
export const LOG_ROTATE_BYTES = 4 * 1024 * 1024;

type Level = 'INFO' | 'WARN' | 'ERROR';

function timestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())},${p(d.getUTCMilliseconds(), 3)}`;
}

/** One file of the log directory. @internal */
export class SimulatedLogFile {
  #chunks: string[] = [];
  #bytes = 0;
  #mtime: number;
  /** The file before the last roll-over (`<name>.1`). */
  previous: { text: string; bytes: number; mtime: number } | undefined;

  constructor(
    readonly name: string,
    createdAt: number,
  ) {
    this.#mtime = createdAt;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get mtime(): number {
    return this.#mtime;
  }

  get text(): string {
    if (this.#chunks.length > 1) this.#chunks = [this.#chunks.join('')];
    return this.#chunks[0] ?? '';
  }

  /** Appends one log event (a message of several lines keeps them, as a stack trace does). */
  append(at: number, level: Level, logger: string, message: string): void {
    if (this.#bytes > LOG_ROTATE_BYTES) {
      this.previous = { text: this.text, bytes: this.#bytes, mtime: this.#mtime };
      this.#chunks = [];
      this.#bytes = 0;
    }
    const line = `${timestamp(at)} ${level.padEnd(5)} ${logger.padEnd(60)} [] - ${message}\n`;
    this.#chunks.push(line);
    this.#bytes += Buffer.byteLength(line);
    this.#mtime = at;
  }
}

const DISPATCHER = 'org.apache.flink.runtime.dispatcher.StandaloneDispatcher';
const EXECUTION_GRAPH = 'org.apache.flink.runtime.executiongraph.ExecutionGraph';
const CHECKPOINTS = 'org.apache.flink.runtime.checkpoint.CheckpointCoordinator';
const TASK = 'org.apache.flink.runtime.taskmanager.Task';
const TASK_EXECUTOR = 'org.apache.flink.runtime.taskexecutor.TaskExecutor';

/** A stable 32-hex id for a task attempt or slot (log lines only; no route reads it back). */
function attemptId(job: JobModel, vertex: number, subtask: number, attempt: number): string {
  let h = 2166136261;
  for (const c of `${job.id}/${vertex}/${subtask}/${attempt}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return [1, 3, 5, 7].map((n) => (Math.imul(h, n) >>> 0).toString(16).padStart(8, '0')).join('');
}

/** The log directory of one simulated cluster (`model.logs`). @internal */
export class ClusterLogs {
  readonly jobManager: SimulatedLogFile;
  readonly taskManagers: SimulatedLogFile[];
  readonly #model: LogHost;
  /** The newest checkpoint id logged, per job. */
  readonly #checkpointsLogged = new Map<string, number>();
  /** Deployments per job (attempt numbers grow with restarts). */
  readonly #attempts = new Map<string, number>();

  readonly #createdAt: number;
  #started = false;

  constructor(model: LogHost) {
    this.#model = model;
    this.#createdAt = model.clock.now();
    this.jobManager = new SimulatedLogFile('flink--standalonesession-0-simulator.log', this.#createdAt);
    this.taskManagers = Array.from({ length: model.config.taskManagers }, (_, i) => new SimulatedLogFile(`flink--taskexecutor-${i}-simulator.log`, this.#createdAt));
  }

  /** The start-up lines, written on first use: the REST address is only known once the server listens. */
  #start(): void {
    if (this.#started) return;
    this.#started = true;
    const model = this.#model;
    const now = this.#createdAt;
    this.#banner(this.jobManager, 'org.apache.flink.runtime.entrypoint.ClusterEntrypoint', 'StandaloneSessionClusterEntrypoint', now);
    const jm = (logger: string, message: string): void => this.jobManager.append(now, 'INFO', logger, message);
    const address = model.config.address();
    jm('org.apache.flink.runtime.dispatcher.DispatcherRestEndpoint', `Rest endpoint listening at ${new URL(address).host}`);
    jm('org.apache.flink.runtime.dispatcher.DispatcherRestEndpoint', `${address} was granted leadership with leaderSessionID=00000000-0000-0000-0000-000000000000`);
    jm('org.apache.flink.runtime.dispatcher.runner.DefaultDispatcherRunner', 'DefaultDispatcherRunner was granted leadership with leader id 00000000-0000-0000-0000-000000000000. Creating new DispatcherLeaderProcess.');
    this.taskManagers.forEach((file, i) => {
      this.#banner(file, 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner', 'TaskManager', now);
      file.append(now, 'INFO', TASK_EXECUTOR, 'Successful registration at resource manager pekko.tcp://flink@127.0.0.1:6123/user/rpc/resourcemanager_0 under registration id 00000000000000000000000000000000.');
      jm('org.apache.flink.runtime.resourcemanager.StandaloneResourceManager', `Registering TaskManager with ResourceID ${i === 0 ? model.taskManagerId : `taskmanager-${i}`} (pekko.tcp://flink@127.0.0.1/user/rpc/taskmanager_0) at ResourceManager`);
    });
  }

  /** Every file of the log directory (JobManager and TaskManagers share it, as in a standalone cluster). */
  files(): SimulatedLogFile[] {
    this.catchUp();
    return [this.jobManager, ...this.taskManagers];
  }

  /** A file of the log directory by name (with `.1` for a rolled-over one), as text. */
  read(name: string): { text: string; bytes: number; mtime: number } | undefined {
    for (const file of this.files()) {
      if (file.name === name) return { text: file.text, bytes: file.bytes, mtime: file.mtime };
      if (file.previous && `${file.name}.1` === name) return file.previous;
    }
    return undefined;
  }

  /** A line in the JobManager's log (for routes that log, such as a heartbeat for an unknown job). */
  jobManagerEvent(level: Level, logger: string, message: string): void {
    this.catchUp();
    this.jobManager.append(this.#model.clock.now(), level, logger, message);
  }

  /** Writes the lines of a job's status change (called by the model). */
  jobStatus(job: JobModel, previous: SimulatedJobStatus | undefined): void {
    this.#start();
    const now = this.#model.clock.now();
    this.#logCheckpoints(job);
    const jm = (level: Level, logger: string, message: string): void => this.jobManager.append(now, level, logger, message);
    if (previous === undefined) {
      // Flink 2.x submits an ExecutionPlan, 1.20 a JobGraph.
      jm('INFO', DISPATCHER, `Received ${this.#model.profile.version.startsWith('1.') ? 'JobGraph' : 'job'} submission '${job.name}' (${job.id}).`);
      jm('INFO', DISPATCHER, `Submitting job '${job.name}' (${job.id}).`);
      return;
    }
    const line = `Job ${job.name} (${job.id}) switched from state ${previous} to ${job.status}.`;
    const cause = job.status === 'FAILING' || job.status === 'FAILED' ? job.failureCause : job.status === 'RESTARTING' ? job.exceptions[0]?.root : undefined;
    if (cause && job.status !== 'FAILED') jm('INFO', EXECUTION_GRAPH, `${line}\n${renderThrowable(cause).trimEnd()}`);
    else jm('INFO', EXECUTION_GRAPH, line);
    if (job.status === 'RUNNING') this.#deploy(job, now);
    else if (previous === 'RUNNING') this.#undeploy(job, now);
    if (job.status === 'FAILED' || job.status === 'CANCELED' || job.status === 'FINISHED') {
      jm('INFO', DISPATCHER, `Job ${job.id} reached terminal state ${job.status}.`);
    }
  }

  /** Logs the checkpoints every job completed since the last read. */
  catchUp(): void {
    this.#start();
    for (const job of this.#model.jobs.values()) this.#logCheckpoints(job);
  }

  #logCheckpoints(job: JobModel): void {
    const logged = this.#checkpointsLogged.get(job.id) ?? 0;
    let newest = logged;
    for (const c of job.checkpointHistory()) {
      if (c.id <= logged || c.status === 'IN_PROGRESS') continue;
      const type = c.kind === 'checkpoint' ? "CheckpointType{name='Checkpoint', sharingFilesStrategy=FORWARD_BACKWARD}" : "SavepointType{name='Savepoint', postCheckpointAction=NONE, formatType=CANONICAL}";
      this.jobManager.append(c.triggerTimestamp, 'INFO', CHECKPOINTS, `Triggering checkpoint ${c.id} (type=${type}) @ ${c.triggerTimestamp} for job ${job.id}.`);
      if (c.status === 'COMPLETED') {
        this.jobManager.append(c.ackTimestamp, 'INFO', CHECKPOINTS, `Completed checkpoint ${c.id} for job ${job.id} (${c.size} bytes, checkpointDuration=${c.ackTimestamp - c.triggerTimestamp} ms, finalizationTime=0 ms).`);
      } else {
        this.jobManager.append(c.ackTimestamp, 'WARN', CHECKPOINTS, `Failed to trigger or complete checkpoint ${c.id} for job ${job.id}. (0 consecutive failed attempts so far)`);
      }
      newest = Math.max(newest, c.id);
    }
    this.#checkpointsLogged.set(job.id, newest);
  }

  #taskManagerOf(subtask: number): SimulatedLogFile | undefined {
    return this.taskManagers[subtask % Math.max(1, this.taskManagers.length)];
  }

  #deploy(job: JobModel, now: number): void {
    const attempt = this.#attempts.get(job.id) ?? 0;
    this.#attempts.set(job.id, attempt + 1);
    job.vertices.forEach((v, vi) => {
      for (let s = 0; s < v.parallelism; s++) {
        const task = `${v.name} (${s + 1}/${v.parallelism})#${attempt} (${attemptId(job, vi, s, attempt)})`;
        this.jobManager.append(now, 'INFO', EXECUTION_GRAPH, `Deploying ${v.name} (${s + 1}/${v.parallelism}) (attempt #${attempt}) to ${this.#model.taskManagerId} @ localhost (dataPort=${this.#model.dataPort})`);
        const tm = this.#taskManagerOf(s);
        tm?.append(now, 'INFO', TASK_EXECUTOR, `Received task ${task}, deploy into slot with allocation id ${attemptId(job, vi, s, attempt + 1000)}.`);
        tm?.append(now, 'INFO', TASK, `${task} switched from DEPLOYING to INITIALIZING.`);
        tm?.append(now, 'INFO', TASK, `${task} switched from INITIALIZING to RUNNING.`);
      }
    });
  }

  /** The job's tasks end as it leaves RUNNING: finished, failed, or cancelled (cancel, failover, rescale, suspend). */
  #undeploy(job: JobModel, now: number): void {
    const attempt = Math.max(0, (this.#attempts.get(job.id) ?? 1) - 1);
    const to = job.status === 'FINISHED' ? 'FINISHED' : job.status === 'FAILING' || job.status === 'FAILED' ? 'FAILED' : 'CANCELED';
    job.vertices.forEach((v, vi) => {
      for (let s = 0; s < v.parallelism; s++) {
        const task = `${v.name} (${s + 1}/${v.parallelism})#${attempt} (${attemptId(job, vi, s, attempt)})`;
        const tm = this.#taskManagerOf(s);
        tm?.append(now, to === 'FAILED' ? 'WARN' : 'INFO', TASK, `${task} switched from RUNNING to ${to}.`);
        tm?.append(now, 'INFO', TASK, `Freeing task resources for ${task}.`);
      }
    });
  }

  #banner(file: SimulatedLogFile, logger: string, process: string, at: number): void {
    const m = this.#model;
    const line = (text: string): void => file.append(at, 'INFO', logger, text);
    const rule = '-'.repeat(80);
    line(rule);
    line(` Starting ${process} (Version: ${m.profile.version}, Scala: 2.12, Rev:simulated, Date:simulated)`);
    line(' OS current user: flink');
    line(' Current Hadoop/Kerberos user: <no hadoop dependency found>');
    line(' JVM: OpenJDK 64-Bit Server VM - simulated - 17');
    line(' Maximum heap size: 448 MiBytes');
    line(' No Hadoop Dependency available');
    line(' JVM Options:');
    line('    -Xmx469762048');
    line(' Program Arguments:');
    line('    --configDir');
    line('    conf');
    line(' Classpath: lib/flink-dist.jar');
    line(rule);
  }
}

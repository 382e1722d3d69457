import { KNOWN_JOB_STATUSES } from '../schemas/job-status.js';
import type { SchedulingClock, TimerId } from './clock.js';
import { stableId } from './ids.js';
import { chain, type JavaThrowable, type SimulatedException, toSimulatedException } from './java.js';
import type { SimulatedAccumulator, SimulatedJobSpec } from './programs.js';
import type { SimulatedJob, SimulatedJobGraph, SimulatedJobStatus } from './state.js';
import type { SimulatorTiming } from './timing.js';

/** Every job status, in Flink's declaration order. @internal */
export const JOB_STATUSES = KNOWN_JOB_STATUSES as readonly SimulatedJobStatus[];

/** Whether a job status is FINISHED, FAILED or CANCELED. @internal */
export function isGloballyTerminal(status: SimulatedJobStatus): boolean {
  return status === 'FINISHED' || status === 'FAILED' || status === 'CANCELED';
}

/** What the job model needs from the cluster around it. @internal */
export interface JobHost {
  readonly clock: SchedulingClock;
  readonly timing: SimulatorTiming;
  readonly checkpointDir: string;
  /** `host:port` of the simulated task manager, for exception entries. */
  readonly taskManagerEndpoint: string;
  readonly taskManagerId: string;
  onStatus(job: JobModel, previous: SimulatedJobStatus | undefined): void;
}

/** One vertex of the job graph. @internal */
export interface VertexModel {
  id: string;
  name: string;
  description: string;
  parallelism: number;
  maxParallelism: number;
  slotSharingGroupId: string;
  shipStrategy: string;
}

/** A task failure as the exception history shows it. @internal */
export interface TaskFailure {
  throwable: JavaThrowable;
  timestamp: number;
  taskName: string;
}

/** One entry of the exception history. @internal */
export interface ExceptionEntry {
  root: JavaThrowable;
  timestamp: number;
  /** Set when the root is itself a task failure (a restart); then `concurrent` is empty. */
  task: TaskFailure | undefined;
  concurrent: TaskFailure[];
}

/** One checkpoint or savepoint of the job. @internal */
export interface CheckpointRecord {
  id: number;
  kind: 'checkpoint' | 'savepoint' | 'sync-savepoint';
  status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  triggerTimestamp: number;
  ackTimestamp: number;
  externalPath: string | null;
  format: 'CANONICAL' | 'NATIVE' | null;
  failureMessage: string | null;
  size: number;
}

/** Where a job restored from. @internal */
export interface RestoreInfo {
  path: string;
  checkpointId: number;
  isSavepoint: boolean;
  at: number;
}

/** The construction parameters of a job. @internal */
export interface JobInit {
  id: string;
  spec: SimulatedJobSpec;
  parallelism: number;
  applicationId: string | undefined;
  jarId: string | undefined;
  entryClass: string | undefined;
  args: readonly string[];
  configuration: Readonly<Record<string, string>>;
  claimMode: string | undefined;
  restore: { path: string; checkpointId: number; isSavepoint: boolean } | undefined;
  /** A savepoint path that does not exist: the job fails while initialising. */
  restoreFailure: string | undefined;
  adaptive: boolean;
}

const USER_FAILURE_CLASS = 'java.lang.IllegalStateException';

function accumulatorOf(value: SimulatedAccumulator): { type: string; value: string } {
  if (typeof value === 'object' && value !== null && !(typeof value === 'bigint')) return { type: value.type, value: String(value.value) };
  if (typeof value === 'string') return { type: 'Accumulator', value };
  return { type: 'LongCounter', value: String(value) };
}

function positiveInt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** A simulated job and its state machine. @internal */
export class JobModel implements SimulatedJob {
  readonly id: string;
  readonly name: string;
  applicationId: string | undefined;
  readonly jarId: string | undefined;
  readonly entryClass: string | undefined;
  readonly args: readonly string[];
  readonly configuration: Readonly<Record<string, string>>;
  readonly parallelism: number;
  readonly claimMode: string | undefined;
  readonly jobType: 'STREAMING' | 'BATCH';
  readonly vertices: VertexModel[];
  readonly adaptive: boolean;
  readonly restoreFailure: string | undefined;
  status: SimulatedJobStatus = 'INITIALIZING';
  /** Set by `POST /jobs` after the job was created. */
  jobGraph: SimulatedJobGraph | undefined = undefined;
  readonly timestamps: Record<SimulatedJobStatus, number>;
  startTime: number;
  endTime = -1;
  lastModification: number;
  restored: RestoreInfo | undefined;
  /** When RUNNING was last entered (tasks deploy from there), undefined while not running. */
  runningSince: number | undefined;
  readonly exceptions: ExceptionEntry[] = [];
  /** The root cause reported by the execution result. */
  failureCause: JavaThrowable | undefined;
  readonly accumulatorValues = new Map<string, { type: string; value: string }>();
  /** Accumulators set while the job runs (`setAccumulator`): reported at once, as a heartbeat would. */
  readonly #reportedEarly = new Set<string>();
  readonly checkpoints: CheckpointRecord[] = [];
  readonly savepointPaths: string[] = [];
  /** Adaptive scheduler: vertex id → parallelism bounds. */
  readonly requirements = new Map<string, { lowerBound: number; upperBound: number }>();
  /** Who cancelled the job: the REST API / a test, or its application. */
  cancelOrigin: 'job' | 'application' | undefined;
  /** Whether the job's (2.3) single-job application must never leave RUNNING (Flink's failed-restore quirk). */
  readonly stuckApplication: boolean;

  readonly #host: JobHost;
  readonly #durationMs: number;
  readonly #failure: { afterMs: number; exception: SimulatedException } | undefined;
  #restartsLeft: number;
  readonly #checkpointInterval: number | undefined;
  readonly #stateSize: number;
  #nextCheckpointId = 1;
  #nextPeriodicAt: number | undefined;
  readonly #timers = new Set<TimerId>();
  #terminalListeners: Array<(job: JobModel) => void> = [];
  #statusWaiters: Array<{ wanted: Set<SimulatedJobStatus>; resolve: (s: SimulatedJobStatus) => void }> = [];
  /** Rescaling goes through RESTARTING (Flink 1.20) or not (2.3). */
  #restartsDuringRescale = false;
  /** Stop-with-savepoint in progress: the job finishes when its savepoint completes. */
  stopping = false;

  constructor(host: JobHost, init: JobInit) {
    this.#host = host;
    const { spec } = init;
    const now = host.clock.now();
    this.id = init.id;
    this.name = spec.name;
    this.applicationId = init.applicationId;
    this.jarId = init.jarId;
    this.entryClass = init.entryClass;
    this.args = [...init.args];
    this.configuration = { ...init.configuration };
    this.parallelism = positiveInt(spec.parallelism, init.parallelism);
    this.claimMode = init.claimMode;
    this.jobType = spec.jobType ?? 'STREAMING';
    this.adaptive = init.adaptive;
    this.restoreFailure = init.restoreFailure;
    this.stuckApplication = init.restoreFailure !== undefined;
    this.timestamps = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<SimulatedJobStatus, number>;
    this.startTime = now;
    this.lastModification = now;
    this.#durationMs = spec.durationMs === undefined || spec.durationMs === 'unbounded' ? Number.POSITIVE_INFINITY : Math.max(0, spec.durationMs);
    const fail = spec.fail === true ? {} : spec.fail || undefined;
    this.#failure = fail
      ? {
          afterMs: Math.max(0, fail.afterMs ?? 150),
          exception: toSimulatedException(fail.exception, USER_FAILURE_CLASS, 'Simulated job failure'),
        }
      : undefined;
    this.#restartsLeft = fail ? Math.max(0, fail.restarts ?? 0) : 0;
    const cp = spec.checkpointing === true ? {} : spec.checkpointing || undefined;
    this.#checkpointInterval = cp ? Math.max(1, cp.intervalMs ?? 1000) : undefined;
    this.#stateSize = cp?.stateSizeBytes ?? 4096;
    const ssg = stableId(init.id, 'slot-sharing-group');
    const specVertices = init.restoreFailure !== undefined ? [] : (spec.vertices ?? [{ name: `Source: ${spec.name} -> Sink: Writer` }]);
    this.vertices = specVertices.map((v, i) => ({
      id: v.id && /^[0-9a-fA-F]{32}$/.test(v.id) ? v.id.toLowerCase() : stableId(spec.name, String(i), v.name),
      name: v.name,
      description: v.description ?? `${v.name}<br/>`,
      parallelism: positiveInt(v.parallelism, this.parallelism),
      maxParallelism: 128,
      slotSharingGroupId: ssg,
      shipStrategy: v.shipStrategy ?? 'HASH',
    }));
    for (const v of this.vertices) this.requirements.set(v.id, { lowerBound: 1, upperBound: v.parallelism });
    for (const [name, value] of Object.entries(spec.accumulators ?? {})) this.accumulatorValues.set(name, accumulatorOf(value));
    if (init.restore) {
      this.restored = { ...init.restore, at: now };
      this.#nextCheckpointId = init.restore.checkpointId + 1;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Public handle

  get isGloballyTerminal(): boolean {
    return isGloballyTerminal(this.status);
  }

  get restoredFrom(): string | undefined {
    return this.restored?.path;
  }

  get savepoints(): readonly string[] {
    return [...this.savepointPaths];
  }

  get accumulators(): Readonly<Record<string, { type: string; value: string }>> {
    return Object.fromEntries([...this.accumulatorValues].map(([k, v]) => [k, { ...v }]));
  }

  finish(): void {
    if (this.isGloballyTerminal) return;
    this.#clearTimers();
    this.#setStatus('FINISHED');
  }

  fail(error?: string | SimulatedException): void {
    if (this.isGloballyTerminal || this.status === 'FAILING') return;
    this.#clearTimers();
    this.#failNow(toSimulatedException(error, USER_FAILURE_CLASS, 'Simulated job failure'));
  }

  cancel(): void {
    this.requestCancel('job');
  }

  restart(cause?: string | SimulatedException): void {
    if (this.isGloballyTerminal || this.status === 'CANCELLING' || this.status === 'FAILING') return;
    this.#clearTimers();
    this.#restartWith(toSimulatedException(cause, 'org.apache.flink.util.FlinkException', 'Simulated failover'));
  }

  suspend(): void {
    if (this.isGloballyTerminal) return;
    this.#clearTimers();
    this.stopping = false;
    this.#setStatus('SUSPENDED');
  }

  recover(): void {
    if (this.status !== 'SUSPENDED') return;
    const latest = this.latestCompleted();
    if (latest?.externalPath) {
      this.restored = { path: latest.externalPath, checkpointId: latest.id, isSavepoint: latest.kind !== 'checkpoint', at: this.#host.clock.now() };
    }
    this.start();
  }

  setAccumulator(name: string, value: number | bigint | string, type?: string): void {
    const acc = accumulatorOf(type ? { type, value } : value);
    this.accumulatorValues.set(name, acc);
    this.#reportedEarly.add(name);
  }

  waitForStatus(status: SimulatedJobStatus | readonly SimulatedJobStatus[]): Promise<SimulatedJobStatus> {
    const wanted = new Set<SimulatedJobStatus>(typeof status === 'string' ? [status] : status);
    if (wanted.has(this.status)) return Promise.resolve(this.status);
    return new Promise((resolve) => this.#statusWaiters.push({ wanted, resolve }));
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle

  /** Starts (or restarts after a JobManager failover) the job: INITIALIZING → CREATED → RUNNING. */
  start(): void {
    this.#clearTimers();
    this.runningSince = undefined;
    this.#setStatus('INITIALIZING');
    const t = this.#host.timing;
    if (this.restoreFailure !== undefined) {
      const path = this.restoreFailure;
      this.#schedule(Math.max(1, Math.round(t.initializingMs / 4)), () => this.#failInitialization(path));
      return;
    }
    this.#schedule(t.initializingMs, () => {
      this.#setStatus('CREATED');
      this.#schedule(t.createdMs, () => this.#enterRunning());
    });
  }

  /** Freezes the job while the JobManager is down (timers stop; state is kept). */
  freeze(): void {
    this.#clearTimers();
  }

  /** Cancels the job on behalf of the REST API, a test or its application. */
  requestCancel(origin: 'job' | 'application'): void {
    if (this.isGloballyTerminal || this.status === 'CANCELLING') return;
    this.#clearTimers();
    this.stopping = false;
    this.cancelOrigin = origin;
    this.#setStatus('CANCELLING');
    this.#schedule(this.#host.timing.cancelMs, () => this.#setStatus('CANCELED'));
  }

  /** Registers a callback for the job reaching a globally terminal status (at once if it has). */
  onTerminal(listener: (job: JobModel) => void): void {
    if (this.isGloballyTerminal) listener(this);
    else this.#terminalListeners.push(listener);
  }

  /** Stops the job with a savepoint: FINISHED at the given time. */
  finishAfterSavepoint(): void {
    if (this.isGloballyTerminal) return;
    this.#clearTimers();
    this.#setStatus('FINISHED');
  }

  /** Set by the cluster from the version profile. */
  setRescaleRestarts(value: boolean): void {
    this.#restartsDuringRescale = value;
  }

  /** Applies new adaptive-scheduler requirements after the cooldown. */
  scheduleRescale(): void {
    this.#schedule(this.#host.timing.rescaleMs, () => {
      if (this.status !== 'RUNNING') return;
      for (const v of this.vertices) {
        const req = this.requirements.get(v.id);
        if (req) v.parallelism = req.upperBound;
      }
      if (this.#restartsDuringRescale) {
        this.#syncCheckpoints(this.#host.clock.now());
        this.#setStatus('RESTARTING');
        this.#schedule(this.#host.timing.restartDelayMs, () => this.#enterRunning(true));
      } else {
        this.#setStatus('CREATED');
        this.#enterRunning(true);
      }
    });
  }

  #enterRunning(keepBudget = false): void {
    const now = this.#host.clock.now();
    this.#setStatus('RUNNING');
    this.runningSince = now;
    if (this.#checkpointInterval !== undefined) this.#nextPeriodicAt = now + this.#checkpointInterval;
    if (this.#failure) {
      this.#schedule(this.#failure.afterMs, () => this.#onScriptedFailure());
    } else if (Number.isFinite(this.#durationMs) && !keepBudget) {
      this.#schedule(this.#durationMs, () => this.#setStatus('FINISHED'));
    }
  }

  #onScriptedFailure(): void {
    const failure = this.#failure;
    if (!failure) return;
    if (this.#restartsLeft > 0) {
      this.#restartsLeft--;
      this.#restartWith(failure.exception);
    } else {
      this.#failNow(failure.exception);
    }
  }

  #taskFailure(exception: SimulatedException, timestamp: number): TaskFailure {
    const vertex = this.vertices[0];
    return {
      throwable: { className: exception.className, message: exception.message },
      timestamp,
      taskName: `${vertex?.name ?? this.name} (1/${vertex?.parallelism ?? 1}) - execution #${this.exceptions.length}`,
    };
  }

  #restartWith(exception: SimulatedException): void {
    const now = this.#host.clock.now();
    const task = this.#taskFailure(exception, now);
    this.exceptions.unshift({ root: task.throwable, timestamp: now, task, concurrent: [] });
    this.#setStatus('RESTARTING');
    this.#schedule(this.#host.timing.restartDelayMs, () => this.#enterRunning());
  }

  #failNow(exception: SimulatedException): void {
    const now = this.#host.clock.now();
    const task = this.#taskFailure(exception, now);
    const root = chain({ className: 'org.apache.flink.runtime.JobException', message: 'Recovery is suppressed by NoRestartBackoffTimeStrategy' }, task.throwable);
    this.failureCause = root;
    this.#setStatus('FAILING');
    this.#schedule(this.#host.timing.failingMs, () => {
      this.exceptions.unshift({ root, timestamp: this.#host.clock.now(), task: undefined, concurrent: [task] });
      this.#setStatus('FAILED');
    });
  }

  #failInitialization(path: string): void {
    const cause = `Cannot find checkpoint or savepoint file/directory '${path}' on file system 'file'.`;
    const root = chain(
      { className: 'org.apache.flink.runtime.client.JobInitializationException', message: 'Could not start the JobMaster.' },
      { className: 'java.util.concurrent.CompletionException', message: `java.lang.RuntimeException: java.io.FileNotFoundException: ${cause}` },
      { className: 'java.lang.RuntimeException', message: `java.io.FileNotFoundException: ${cause}` },
      { className: 'java.io.FileNotFoundException', message: cause },
    );
    this.failureCause = root;
    this.exceptions.unshift({ root, timestamp: this.#host.clock.now(), task: undefined, concurrent: [] });
    this.#setStatus('FAILED');
  }

  #setStatus(status: SimulatedJobStatus): void {
    const now = this.#host.clock.now();
    if (this.status === 'RUNNING' && status !== 'RUNNING') this.#syncCheckpoints(now);
    const previous = this.status;
    const first = this.timestamps.INITIALIZING === 0;
    this.status = status;
    this.timestamps[status] = now;
    this.lastModification = now;
    if (status !== 'RUNNING') this.runningSince = undefined;
    if (isGloballyTerminal(status)) {
      this.endTime = now;
      this.#clearTimers();
      // In-progress checkpoints of a job that ended never complete.
      for (const c of this.checkpoints) if (c.status === 'IN_PROGRESS') c.status = 'FAILED';
    }
    this.#host.onStatus(this, first ? undefined : previous);
    const waiters = this.#statusWaiters;
    this.#statusWaiters = [];
    for (const w of waiters) {
      if (w.wanted.has(status)) w.resolve(status);
      else this.#statusWaiters.push(w);
    }
    if (isGloballyTerminal(status)) {
      const listeners = this.#terminalListeners;
      this.#terminalListeners = [];
      for (const l of listeners) l(this);
    }
  }

  #schedule(ms: number, fn: () => void): void {
    const id = this.#host.clock.schedule(ms, () => {
      this.#timers.delete(id);
      fn();
    });
    this.#timers.add(id);
  }

  #clearTimers(): void {
    for (const id of this.#timers) this.#host.clock.cancel(id);
    this.#timers.clear();
  }

  // ------------------------------------------------------------------------------------------
  // Checkpoints

  /** Materialises the periodic checkpoints that completed up to `now`. */
  #syncCheckpoints(now: number): void {
    const interval = this.#checkpointInterval;
    if (interval === undefined || this.status !== 'RUNNING' || this.#nextPeriodicAt === undefined) return;
    const duration = Math.min(this.#host.timing.checkpointMs, Math.floor(interval / 2));
    while (this.#nextPeriodicAt + duration <= now) {
      const id = this.#nextCheckpointId++;
      this.checkpoints.push({
        id,
        kind: 'checkpoint',
        status: 'COMPLETED',
        triggerTimestamp: this.#nextPeriodicAt,
        ackTimestamp: this.#nextPeriodicAt + duration,
        externalPath: `${this.#host.checkpointDir}/${this.id}/chk-${id}`,
        format: null,
        failureMessage: null,
        size: this.#stateSize,
      });
      this.#nextPeriodicAt += interval;
    }
    // Keep memory bounded for long-running simulations.
    if (this.checkpoints.length > 200) this.checkpoints.splice(0, this.checkpoints.length - 200);
  }

  /** The checkpoints, with periodic ones materialised up to now. */
  checkpointHistory(): readonly CheckpointRecord[] {
    this.#syncCheckpoints(this.#host.clock.now());
    return this.checkpoints;
  }

  /** Starts a manual checkpoint or savepoint; returns its record (completed later by the caller). */
  beginCheckpoint(kind: CheckpointRecord['kind'], externalPath: string | null, format: 'CANONICAL' | 'NATIVE' | null): CheckpointRecord {
    const now = this.#host.clock.now();
    this.#syncCheckpoints(now);
    const record: CheckpointRecord = {
      id: this.#nextCheckpointId++,
      kind,
      status: 'IN_PROGRESS',
      triggerTimestamp: now,
      ackTimestamp: now,
      externalPath,
      format,
      failureMessage: null,
      size: this.#stateSize,
    };
    this.checkpoints.push(record);
    return record;
  }

  /** The latest completed checkpoint or savepoint. */
  latestCompleted(): CheckpointRecord | undefined {
    const history = this.checkpointHistory();
    for (let i = history.length - 1; i >= 0; i--) {
      const c = history[i] as CheckpointRecord;
      if (c.status === 'COMPLETED') return c;
    }
    return undefined;
  }

  /** Whether periodic checkpointing is on, and its interval. */
  get checkpointInterval(): number | undefined {
    return this.#checkpointInterval;
  }

  /**
   * Vertex execution state now (derived from the job status and deployment time); `now` saves a
   * clock read per vertex when a caller renders many jobs at one instant.
   */
  vertexState(index: number, now = this.#host.clock.now()): string {
    switch (this.status) {
      case 'INITIALIZING':
      case 'CREATED':
        return 'CREATED';
      case 'RUNNING': {
        const since = this.runningSince ?? now;
        const deploy = this.#host.timing.deployMs;
        if (now - since >= deploy) return 'RUNNING';
        return now - since < deploy / 2 ? 'DEPLOYING' : 'INITIALIZING';
      }
      case 'FAILING':
        return index === 0 ? 'FAILED' : 'CANCELING';
      case 'FAILED':
        return index === 0 ? 'FAILED' : 'CANCELED';
      case 'CANCELLING':
        return 'CANCELING';
      case 'FINISHED':
        return 'FINISHED';
      case 'RECONCILING':
        return 'RECONCILING';
      default:
        return 'CANCELED';
    }
  }

  /**
   * The accumulators `GET /jobs/:id/accumulators` lists: a job's own (spec) accumulators once it
   * FINISHED, since its tasks report their final values when they finish (real 2.3.0 and 1.20.5
   * list none while a bounded job runs); those set with `setAccumulator` at once.
   */
  get reportedAccumulators(): Array<[string, { type: string; value: string }]> {
    const all = [...this.accumulatorValues];
    return this.status === 'FINISHED' ? all : all.filter(([name]) => this.#reportedEarly.has(name));
  }

  /** Whether the job is RUNNING with every task deployed and running (what checkpoints need). */
  get allTasksRunning(): boolean {
    return this.status === 'RUNNING' && this.vertices.every((_, i) => this.vertexState(i) === 'RUNNING');
  }

  /** When the vertices started running (-1 if they never did). */
  get tasksStartTime(): number {
    const running = this.timestamps.RUNNING;
    return running === 0 ? -1 : running + Math.min(20, this.#host.timing.deployMs);
  }
}

import type { SchedulingClock } from './clock.js';
import type { IdSource } from './ids.js';
import { ClusterLogs } from './log-book.js';
import { recordRescaleStatus } from './rescale-history.js';
import { JAR_FRAMES, type JarRecord, JarStore } from './jar-store.js';
import {
  chain,
  type FlinkErrorBody,
  type SimFailure,
  internalServerError,
  type JavaThrowable,
  restHandlerError,
  type SimulatedException,
  toSimulatedException,
} from './java.js';
import { isGloballyTerminal, type JobHost, type JobInit, JobModel } from './job-model.js';
import {
  normalizeProgram,
  type NormalizedProgram,
  type ProgramContext,
  type ProgramRegistry,
  type ProgramSource,
  type SimulatedJobSpec,
  type SimulatedProgram,
} from './programs.js';
import { ApplicationModel, isTerminalApplication } from './application-model.js';
import { ProgramRunner } from './program-runner.js';
import type { VersionProfile } from './profiles.js';
import { normalizeLocation, type SavepointRecord, SavepointStore } from './savepoint-store.js';
import { OperationStore } from './resources/operations.js';
import type {
  SimulatedJobStatus,
  SimulatorEvents,
} from './state.js';
import type { SimulatorTiming } from './timing.js';

/** Everything the model is configured with. @internal */
export interface ModelConfig {
  profile: VersionProfile;
  timing: SimulatorTiming;
  clock: SchedulingClock;
  ids: IdSource;
  programs: ProgramRegistry;
  defaultProgram: ProgramSource | undefined;
  scheduler: 'default' | 'adaptive';
  savepointDir: string | null;
  uploadDir: string;
  checkpointDir: string;
  asyncStoreMs: number;
  taskManagers: number;
  slotsPerTaskManager: number;
  defaultParallelism: number;
  configuration: Readonly<Record<string, string>>;
  /** `http://host:port` the cluster answers on. */
  address(): string;
  emit<K extends keyof SimulatorEvents>(event: K, ...args: SimulatorEvents[K]): void;
}

function failure(status: number, body: FlinkErrorBody): SimFailure {
  return { ok: false, status, body };
}

const TERMINATE_KEY = 'execution.terminate-application-on-any-job-terminated-exceptionally';

// ---------------------------------------------------------------------------------------------
// Requests the model serves

/** The parsed body of `/jars/:id/run` and `/jars/:id/run-application`. @internal */
export interface RunRequest {
  entryClass: string | undefined;
  args: string[];
  parallelism: number | undefined;
  jobId: string | undefined;
  applicationId: string | undefined;
  savepointPath: string | undefined;
  allowNonRestoredState: boolean;
  claimMode: string | undefined;
  configuration: Record<string, string>;
}

/** The answer to a jar run. @internal */
export type RunOutcome = { ok: true; jobId: string; applicationId: string | undefined } | SimFailure;

interface ResolvedProgram {
  entryClass: string;
  steps: NormalizedProgram;
  context: ProgramContext;
  /** main() threw while building the program (a program function threw). */
  buildError: JavaThrowable | undefined;
}

function parseArgs(args: readonly string[]): (name: string) => string | undefined {
  return (name) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
}

function simpleName(className: string): string {
  return className.slice(className.lastIndexOf('.') + 1);
}

/** The whole simulated cluster. @internal */
export class ClusterModel implements JobHost {
  readonly config: ModelConfig;
  readonly jobs = new Map<string, JobModel>();
  readonly applications = new Map<string, ApplicationModel>();
  readonly jars: JarStore;
  readonly savepoints: SavepointStore;
  readonly operations: OperationStore;
  readonly taskManagerId: string;
  readonly taskManagerEndpoint: string;
  readonly dataPort: number;
  /** The log directory (JobManager and TaskManager log files). */
  readonly logs: ClusterLogs;
  #frozen: JobModel[] = [];
  /** Programs still running (main() sleeping or waiting on a job). */
  readonly #runners = new Set<ProgramRunner>();

  constructor(config: ModelConfig) {
    this.config = config;
    this.jars = new JarStore({ clock: config.clock, ids: config.ids, programs: config.programs, uploadDir: config.uploadDir });
    this.savepoints = new SavepointStore(config.clock);
    this.operations = new OperationStore({ clock: config.clock, ids: config.ids, storeMs: config.asyncStoreMs, emit: config.emit });
    const port = 40_000 + Number.parseInt(config.ids.hex(2), 16) % 20_000;
    this.taskManagerId = `127.0.0.1:${port}-${config.ids.hex(3)}`;
    this.dataPort = port + 1;
    this.taskManagerEndpoint = `localhost:${port + 1}`;
    this.logs = new ClusterLogs(this);
  }

  get clock(): SchedulingClock {
    return this.config.clock;
  }

  get timing(): SimulatorTiming {
    return this.config.timing;
  }

  get checkpointDir(): string {
    return this.config.checkpointDir;
  }

  get profile(): VersionProfile {
    return this.config.profile;
  }

  onStatus(job: JobModel, previous: SimulatedJobStatus | undefined): void {
    this.logs.jobStatus(job, previous);
    recordRescaleStatus(this, job, previous);
    this.config.emit('jobStatus', { jobId: job.id, status: job.status, previous, at: this.clock.now() });
  }

  resolveProgram(jar: JarRecord, req: Pick<RunRequest, 'entryClass' | 'args' | 'parallelism' | 'configuration' | 'savepointPath'>, submission: 'run' | 'run-application'): ResolvedProgram | SimFailure {
    const entryClass = req.entryClass || jar.mainClass;
    if (!entryClass) {
      return failure(
        500,
        internalServerError(
          chain(
            { className: 'java.util.concurrent.CompletionException', message: "org.apache.flink.client.program.ProgramInvocationException: Neither a 'Main-Class', nor a 'program-class' entry was found in the jar file." },
            { className: 'org.apache.flink.client.program.ProgramInvocationException', message: "Neither a 'Main-Class', nor a 'program-class' entry was found in the jar file." },
          ),
        ),
      );
    }
    let source = this.config.programs.get(entryClass);
    if (!source && (entryClass === jar.mainClass || jar.classes.includes(entryClass))) {
      source = this.config.defaultProgram ?? { jobs: [{ name: simpleName(entryClass), durationMs: 'unbounded' }], mode: 'parallel' };
    }
    if (!source) {
      const msg = `The program's entry point class '${entryClass}' was not found in the jar file.`;
      return failure(
        500,
        internalServerError(
          chain(
            { className: 'java.util.concurrent.CompletionException', message: `org.apache.flink.client.program.ProgramInvocationException: ${msg}`, frames: JAR_FRAMES },
            { className: 'org.apache.flink.client.program.ProgramInvocationException', message: msg },
            { className: 'java.lang.ClassNotFoundException', message: entryClass, frames: ['java.base/java.net.URLClassLoader.findClass(URLClassLoader.java:445)', 'java.base/java.lang.ClassLoader.loadClass(ClassLoader.java:592)'] },
          ),
        ),
      );
    }
    const context: ProgramContext = {
      entryClass,
      jarId: jar.id,
      args: [...req.args],
      arg: parseArgs(req.args),
      parallelism: req.parallelism ?? this.config.defaultParallelism,
      configuration: { ...req.configuration },
      savepointPath: req.savepointPath,
      submission,
    };
    let program: SimulatedProgram;
    try {
      program = typeof source === 'function' ? source(context) : source;
    } catch (err) {
      return { entryClass, steps: [], context, buildError: { className: 'java.lang.RuntimeException', message: err instanceof Error ? err.message : String(err) } };
    }
    return { entryClass, steps: normalizeProgram(program), context, buildError: undefined };
  }

  /** `POST /jars/:id/plan`: the first job's plan, without running anything. */
  planJar(jar: JarRecord, req: Pick<RunRequest, 'entryClass' | 'args' | 'parallelism' | 'configuration' | 'savepointPath'>): { ok: true; job: JobModel } | SimFailure {
    const resolved = this.resolveProgram(jar, req, 'run');
    if ('ok' in resolved) return resolved;
    const firstSubmit = resolved.steps.find((s) => s.type === 'submit' || s.type === 'throw');
    if (resolved.buildError || !firstSubmit || firstSubmit.type === 'throw') {
      const thrown =
        resolved.buildError ??
        (firstSubmit?.type === 'throw' ? exceptionOf(firstSubmit.exception) : undefined);
      const error: JavaThrowable = thrown
        ? chain({ className: 'org.apache.flink.client.program.ProgramInvocationException', message: `The main method caused an error: ${thrown.message}` }, thrown)
        : { className: 'org.apache.flink.client.program.ProgramInvocationException', message: 'The program plan could not be fetched - the program aborted pre-maturely.' };
      return failure(500, internalServerError(error));
    }
    const job = new JobModel(this, this.#jobInit(this.config.ids.flinkId(), firstSubmit.job, resolved, undefined, undefined));
    return { ok: true, job };
  }

  #jobInit(id: string, spec: SimulatedJobSpec, resolved: ResolvedProgram, restore: RunRequest['savepointPath'] | undefined, claimMode: string | undefined): JobInit {
    let restoreInfo: { path: string; checkpointId: number; isSavepoint: boolean } | undefined;
    let restoreFailure: string | undefined;
    if (restore) {
      const sp = this.savepoints.find(restore);
      if (sp && !sp.disposed) restoreInfo = { path: sp.path, checkpointId: sp.checkpointId, isSavepoint: true };
      else restoreFailure = restore;
    }
    return {
      id,
      spec,
      parallelism: resolved.context.parallelism,
      applicationId: undefined,
      jarId: resolved.context.jarId,
      entryClass: resolved.entryClass,
      args: resolved.context.args,
      configuration: resolved.context.configuration,
      claimMode,
      restore: restoreInfo,
      restoreFailure,
      adaptive: this.config.scheduler === 'adaptive',
    };
  }

  #newJob(init: JobInit): JobModel {
    const job = new JobModel(this, init);
    job.setRescaleRestarts(this.profile.rescaleRestarts);
    this.jobs.set(job.id, job);
    return job;
  }

  #duplicateSubmission(jobName: string): SimFailure {
    const dup = this.profile.duplicateSubmission;
    return jarRunFailure(...executeFailed(jobName), { className: dup.className, message: dup.message });
  }

  #mainFailed(error: JavaThrowable): SimFailure {
    return jarRunFailure(chain({ className: 'org.apache.flink.client.program.ProgramInvocationException', message: `The main method caused an error: ${error.message ?? error.className}` }, error));
  }

  /**
   * `POST /jars/:id/run`: runs `main()` until it returns (or throws, or blocks on an attached
   * `execute()`), and answers with its first job.
   */
  runJar(jar: JarRecord, req: RunRequest): Promise<RunOutcome> {
    const resolved = this.resolveProgram(jar, req, 'run');
    if ('ok' in resolved) return Promise.resolve(resolved);
    if (resolved.buildError) return Promise.resolve(this.#mainFailed(resolved.buildError));
    const profile = this.profile;
    let settled = false;
    let firstJob: JobModel | undefined;
    let outcome: RunOutcome | undefined;
    let resolveOutcome: ((o: RunOutcome) => void) | undefined;
    const settle = (o: RunOutcome): void => {
      if (settled) return;
      settled = true;
      outcome = o;
      resolveOutcome?.(o);
    };
    const accepted = (job: JobModel): RunOutcome => ({ ok: true, jobId: job.id, applicationId: profile.applications ? job.id : undefined });
    // Flink runs main() in detached mode and answers once it returned: every execute() only
    // submits. A client-chosen jobId is fixed for the whole run, so a second execute() of the same
    // main() collides with the first job. (An attached execute(), possible only in simulated
    // programs, answers with the first job while main() waits.)
    const runner = new ProgramRunner(
      resolved.steps,
      {
        submit: (spec, index) => {
          const id = req.jobId ?? this.config.ids.flinkId();
          // Flink 1.x: execute() under a job id this run already submitted returns that job.
          if (profile.reusesFixedJobIdWithinRun && req.jobId !== undefined && firstJob?.id === id) return firstJob;
          if (this.jobs.has(id) || (profile.applications && this.applications.has(id))) {
            settle(this.#duplicateSubmission(spec.name));
            return { error: { className: profile.duplicateSubmission.className, message: profile.duplicateSubmission.message } };
          }
          const job = this.#newJob(this.#jobInit(id, spec, resolved, index === 0 ? req.savepointPath : undefined, req.claimMode));
          if (profile.applications) {
            const app = new ApplicationModel(this, { id: job.id, name: `SingleJobApplication(${job.name})`, singleJob: true, terminateOnJobFailure: true });
            this.applications.set(app.id, app);
            app.setStatus('CREATED');
            app.setStatus('RUNNING');
            app.attachJob(job);
          }
          job.start();
          if (index === 0) {
            firstJob = job;
            if (job.restoreFailure !== undefined) settle(this.#restoreFailed(job.restoreFailure, job.name));
          }
          return job;
        },
        onBlock: () => {
          if (firstJob) settle(accepted(firstJob));
        },
        onReturn: () => settle(firstJob ? accepted(firstJob) : failure(400, restHandlerError('No jobs included in application.'))),
        // Jobs already submitted keep running; the run itself failed.
        onThrow: (error) => settle(this.#mainFailed(error)),
      },
      this.clock,
    );
    this.#track(runner);
    runner.start();
    if (outcome) return Promise.resolve(outcome);
    return new Promise((resolve) => {
      resolveOutcome = resolve;
    });
  }

  #restoreFailed(path: string, jobName: string): SimFailure {
    const cause = `Cannot find checkpoint or savepoint file/directory '${path}' on file system 'file'.`;
    return jarRunFailure(
      ...executeFailed(jobName),
      { className: 'java.lang.RuntimeException', message: 'org.apache.flink.runtime.client.JobInitializationException: Could not start the JobMaster.' },
      { className: 'org.apache.flink.runtime.client.JobInitializationException', message: 'Could not start the JobMaster.' },
      { className: 'java.util.concurrent.CompletionException', message: `java.lang.RuntimeException: java.io.FileNotFoundException: ${cause}` },
      { className: 'java.lang.RuntimeException', message: `java.io.FileNotFoundException: ${cause}` },
      { className: 'java.io.FileNotFoundException', message: cause },
    );
  }

  #track(runner: ProgramRunner): void {
    for (const r of this.#runners) if (r.done) this.#runners.delete(r);
    this.#runners.add(runner);
  }

  /**
   * Submits a job directly (as if a jar run had submitted it): for tests that need a job in some
   * state without going through a jar. On the 2.3 profile it gets its single-job application.
   */
  submitJob(spec: SimulatedJobSpec, options: { jobId?: string; parallelism?: number; args?: readonly string[]; configuration?: Record<string, string> } = {}): JobModel {
    const id = options.jobId?.toLowerCase() ?? this.config.ids.flinkId();
    if (this.jobs.has(id) || this.applications.has(id)) throw new Error(`a job or application with id ${id} already exists`);
    const args = [...(options.args ?? [])];
    const resolved: ResolvedProgram = {
      entryClass: 'flinkclient.simulated.DirectSubmission',
      steps: [],
      buildError: undefined,
      context: {
        entryClass: 'flinkclient.simulated.DirectSubmission',
        jarId: '',
        args,
        arg: parseArgs(args),
        parallelism: options.parallelism ?? this.config.defaultParallelism,
        configuration: { ...(options.configuration ?? {}) },
        savepointPath: undefined,
        submission: 'run',
      },
    };
    const init = this.#jobInit(id, spec, resolved, undefined, undefined);
    const job = this.#newJob({ ...init, jarId: undefined, entryClass: undefined });
    if (this.profile.applications) {
      const app = new ApplicationModel(this, { id: job.id, name: `SingleJobApplication(${job.name})`, singleJob: true, terminateOnJobFailure: true });
      this.applications.set(app.id, app);
      app.setStatus('CREATED');
      app.setStatus('RUNNING');
      app.attachJob(job);
    }
    job.start();
    return job;
  }

  /** `POST /jars/:id/run-application` (2.3): creates the application and returns at once. */
  runApplication(jar: JarRecord, req: RunRequest): { ok: true; applicationId: string } | SimFailure {
    const resolved = this.resolveProgram(jar, req, 'run-application');
    if ('ok' in resolved) return resolved;
    const id = req.applicationId ?? this.config.ids.flinkId();
    if (this.applications.has(id)) {
      return failure(
        400,
        restHandlerError(
          'Could not submit application.',
          { className: 'java.util.concurrent.CompletionException', message: 'org.apache.flink.runtime.client.DuplicateApplicationSubmissionException: Application has already been submitted.' },
          { className: 'org.apache.flink.runtime.client.DuplicateApplicationSubmissionException', message: 'Application has already been submitted.' },
        ),
      );
    }
    const terminate = String(req.configuration[TERMINATE_KEY] ?? this.config.configuration[TERMINATE_KEY] ?? 'true').toLowerCase() !== 'false';
    const app = new ApplicationModel(this, { id, name: resolved.entryClass, singleJob: false, terminateOnJobFailure: terminate });
    this.applications.set(id, app);
    app.setStatus('CREATED');
    const runner = new ProgramRunner(
      resolved.steps,
      {
        submit: (spec, index) => {
          const jobId = this.config.ids.flinkId();
          const job = this.#newJob(this.#jobInit(jobId, spec, resolved, index === 0 ? req.savepointPath : undefined, req.claimMode));
          app.attachJob(job);
          job.start();
          return job;
        },
        onReturn: () => app.onMainReturn(),
        onThrow: (error) => app.onMainThrow(error),
      },
      this.clock,
    );
    app.runner = runner;
    this.#track(runner);
    this.clock.schedule(this.timing.applicationStartMs, () => {
      if (isTerminalApplication(app.status) || app.status === 'CANCELING') return;
      app.setStatus('RUNNING');
      if (resolved.buildError) app.onMainThrow(resolved.buildError);
      else runner.start();
    });
    return { ok: true, applicationId: id };
  }

  // ------------------------------------------------------------------------------------------
  // Cluster-wide

  /** Slots in use: per running job, its widest vertex (slot sharing). */
  usedSlots(): number {
    let used = 0;
    for (const job of this.jobs.values()) {
      if (job.isGloballyTerminal || job.status === 'SUSPENDED' || job.status === 'INITIALIZING') continue;
      used += Math.max(0, ...job.vertices.map((v) => v.parallelism));
    }
    return Math.min(used, this.config.taskManagers * this.config.slotsPerTaskManager);
  }

  /** The JobManager went away: state is kept (jobs frozen, to be recovered) or lost. */
  crash(keepState: boolean): void {
    // Operation results live in the REST endpoint's memory: they never survive a restart.
    this.operations.clear();
    if (keepState) {
      this.#frozen = [...this.jobs.values()].filter((j) => !j.isGloballyTerminal);
      for (const job of this.#frozen) job.freeze();
      return;
    }
    for (const runner of this.#runners) runner.stop();
    this.#runners.clear();
    for (const job of this.jobs.values()) job.freeze();
    this.jobs.clear();
    this.applications.clear();
    this.jars.clear();
    this.#frozen = [];
  }

  /** The JobManager is back: frozen jobs recover from their latest checkpoint. */
  recoverAfterRestart(): void {
    for (const job of this.#frozen) {
      // A test may end a job while the JobManager is away ("it finished meanwhile"): that stands.
      if (job.isGloballyTerminal) continue;
      job.stopping = false;
      const latest = job.latestCompleted();
      if (latest?.externalPath) job.restored = { path: latest.externalPath, checkpointId: latest.id, isSavepoint: latest.kind !== 'checkpoint', at: this.clock.now() };
      job.start();
    }
    this.#frozen = [];
  }

  /** Stops every timer-driven activity (the simulator closes). */
  dispose(): void {
    for (const runner of this.#runners) runner.stop();
    this.#runners.clear();
    for (const job of this.jobs.values()) job.freeze();
  }
}

/**
 * The 400 Flink gives when a `/jars/:id/run` main() fails: `Could not execute application.` with
 * the handler's CompletionException and FlinkRuntimeException, then the causes of the failure.
 */
function jarRunFailure(...causes: JavaThrowable[]): SimFailure {
  return failure(
    400,
    restHandlerError(
      'Could not execute application.',
      { className: 'java.util.concurrent.CompletionException', message: 'org.apache.flink.util.FlinkRuntimeException: Could not execute application.' },
      { className: 'org.apache.flink.util.FlinkRuntimeException', message: 'Could not execute application.' },
      ...causes,
    ),
  );
}

/** The causes Flink adds when `execute()` of a job inside main() fails. */
function executeFailed(jobName: string): JavaThrowable[] {
  return [
    { className: 'org.apache.flink.client.program.ProgramInvocationException', message: `The main method caused an error: Failed to execute job '${jobName}'.` },
    { className: 'org.apache.flink.util.FlinkException', message: `Failed to execute job '${jobName}'.` },
  ];
}

function exceptionOf(value: string | SimulatedException): JavaThrowable {
  const ex = toSimulatedException(value, 'java.lang.IllegalArgumentException', 'Simulated main() failure');
  return { className: ex.className, message: ex.message };
}

export type { JarRecord, SavepointRecord, SimFailure };
export { normalizeLocation };
export { isGloballyTerminal };

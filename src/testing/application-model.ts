import type { SchedulingClock, TimerId } from './clock.js';
import { chain, type JavaThrowable } from './java.js';
import type { JobModel } from './job-model.js';
import type { ProgramRunner } from './program-runner.js';
import type { SimulatedApplication, SimulatedApplicationStatus, SimulatorEvents } from './state.js';
import type { SimulatorTiming } from './timing.js';

/** What an application needs from its cluster. @internal */
export interface ApplicationHost {
  readonly jobs: ReadonlyMap<string, JobModel>;
  readonly config: {
    readonly clock: SchedulingClock;
    readonly timing: SimulatorTiming;
    emit<K extends keyof SimulatorEvents>(event: K, ...args: SimulatorEvents[K]): void;
  };
}

/** Every application state, in Flink's order. @internal */
export const APPLICATION_STATES: readonly SimulatedApplicationStatus[] = ['CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELING', 'CANCELED', 'FINISHED'];

/** Whether an application state is terminal. @internal */
export function isTerminalApplication(status: SimulatedApplicationStatus): boolean {
  return status === 'FAILED' || status === 'CANCELED' || status === 'FINISHED';
}

/** One entry of an application's exception history. @internal */
export interface ApplicationException {
  exceptionName: string;
  stacktrace: JavaThrowable;
  timestamp: number;
  jobId: string | undefined;
}

/** A FLIP-549 application (Flink 2.3 profile). @internal */
export class ApplicationModel implements SimulatedApplication {
  readonly id: string;
  readonly name: string;
  readonly singleJob: boolean;
  readonly terminateOnJobFailure: boolean;
  status: SimulatedApplicationStatus = 'CREATED';
  readonly timestamps: Record<SimulatedApplicationStatus, number>;
  endTime = -1;
  readonly jobIdList: string[] = [];
  readonly exceptions: ApplicationException[] = [];
  runner: ProgramRunner | undefined;
  mainDone = false;
  readonly #cluster: ApplicationHost;
  #reaction: TimerId | undefined;
  #reacting = false;
  #statusWaiters: Array<{ wanted: Set<SimulatedApplicationStatus>; resolve: (s: SimulatedApplicationStatus) => void }> = [];

  constructor(cluster: ApplicationHost, init: { id: string; name: string; singleJob: boolean; terminateOnJobFailure: boolean }) {
    this.#cluster = cluster;
    this.id = init.id;
    this.name = init.name;
    this.singleJob = init.singleJob;
    this.terminateOnJobFailure = init.terminateOnJobFailure;
    this.timestamps = Object.fromEntries(APPLICATION_STATES.map((s) => [s, 0])) as Record<SimulatedApplicationStatus, number>;
  }

  get jobIds(): readonly string[] {
    return [...this.jobIdList];
  }

  /** CREATED time (the overview's start time). */
  get createdAt(): number {
    return this.timestamps.CREATED;
  }

  /** RUNNING time (the details' start time); the CREATED time while not yet running. */
  get runningAt(): number {
    return this.timestamps.RUNNING || this.timestamps.CREATED;
  }

  cancel(): void {
    this.requestCancel();
  }

  waitForStatus(status: SimulatedApplicationStatus | readonly SimulatedApplicationStatus[]): Promise<SimulatedApplicationStatus> {
    const wanted = new Set<SimulatedApplicationStatus>(typeof status === 'string' ? [status] : status);
    if (wanted.has(this.status)) return Promise.resolve(this.status);
    return new Promise((resolve) => this.#statusWaiters.push({ wanted, resolve }));
  }

  jobs(): JobModel[] {
    return this.jobIdList.map((id) => this.#cluster.jobs.get(id)).filter((j): j is JobModel => j !== undefined);
  }

  setStatus(status: SimulatedApplicationStatus): void {
    if (isTerminalApplication(this.status)) return;
    const now = this.#cluster.config.clock.now();
    const previous = this.timestamps.CREATED === 0 ? undefined : this.status;
    this.status = status;
    this.timestamps[status] = now;
    if (isTerminalApplication(status)) {
      this.endTime = now;
      this.runner?.stop();
      this.#cluster.config.clock.cancel(this.#reaction);
    }
    this.#cluster.config.emit('applicationStatus', { applicationId: this.id, status, previous, at: now });
    const waiters = this.#statusWaiters;
    this.#statusWaiters = [];
    for (const w of waiters) {
      if (w.wanted.has(status)) w.resolve(status);
      else this.#statusWaiters.push(w);
    }
  }

  attachJob(job: JobModel): void {
    job.applicationId = this.id;
    this.jobIdList.push(job.id);
    job.onTerminal((j) => this.#onJobTerminal(j));
  }

  /** Schedules the application's one reaction to its jobs ending (later ones are ignored). */
  #react(delayMs: number, fn: () => void): void {
    if (this.#reacting || isTerminalApplication(this.status)) return;
    this.#reacting = true;
    this.#reaction = this.#cluster.config.clock.schedule(delayMs, () => {
      if (!isTerminalApplication(this.status)) fn();
    });
  }

  #cancelUnfinishedJobs(): void {
    for (const j of this.jobs()) if (!j.isGloballyTerminal) j.requestCancel('application');
  }

  #onJobTerminal(job: JobModel): void {
    if (isTerminalApplication(this.status)) return;
    const timing = this.#cluster.config.timing;
    if (this.singleJob) {
      if (job.stuckApplication) return;
      if (job.status === 'FINISHED') this.setStatus('FINISHED');
      else if (job.status === 'FAILED') {
        this.exceptions.unshift({ exceptionName: job.failureCause?.className ?? 'org.apache.flink.runtime.JobException', stacktrace: job.failureCause ?? { className: 'org.apache.flink.runtime.JobException' }, timestamp: job.endTime, jobId: job.id });
        this.setStatus('FAILING');
        this.setStatus('FAILED');
      } else {
        if (this.status !== 'CANCELING') this.setStatus('CANCELING');
        this.setStatus('CANCELED');
      }
      return;
    }
    if (this.status === 'CANCELING') {
      if (this.jobs().every((j) => j.isGloballyTerminal)) this.#react(timing.applicationPollMs, () => this.setStatus('CANCELED'));
      return;
    }
    if (this.terminateOnJobFailure) {
      if (job.status === 'FAILED') {
        this.#react(timing.applicationPollMs, () => {
          const now = this.#cluster.config.clock.now();
          this.exceptions.unshift({
            exceptionName: 'org.apache.flink.runtime.client.JobExecutionException',
            stacktrace: chain({ className: 'org.apache.flink.runtime.client.JobExecutionException', message: 'Job execution failed.' }, job.failureCause ?? { className: 'org.apache.flink.runtime.JobException' }),
            timestamp: now,
            jobId: job.id,
          });
          this.runner?.stop();
          this.mainDone = true;
          this.#cancelUnfinishedJobs();
          this.setStatus('FAILING');
          this.setStatus('FAILED');
        });
        return;
      }
      if (job.status === 'CANCELED' && job.cancelOrigin !== 'application') {
        this.#react(timing.applicationCancelMs, () => {
          this.runner?.stop();
          this.mainDone = true;
          this.#cancelUnfinishedJobs();
          this.setStatus('CANCELING');
          this.setStatus('CANCELED');
        });
        return;
      }
    }
    this.#maybeFinish();
  }

  #maybeFinish(): void {
    if (!this.mainDone || isTerminalApplication(this.status) || this.status === 'CANCELING' || this.status === 'FAILING') return;
    const jobs = this.jobs();
    if (jobs.some((j) => !j.isGloballyTerminal)) return;
    if (!this.terminateOnJobFailure || jobs.length === 0) {
      this.setStatus('FINISHED');
      return;
    }
    if (jobs.every((j) => j.status === 'FINISHED')) this.#react(this.#cluster.config.timing.applicationPollMs, () => this.setStatus('FINISHED'));
  }

  onMainReturn(): void {
    this.mainDone = true;
    if (isTerminalApplication(this.status)) return;
    // With the flag off the application is decoupled from its jobs: main() returned, so it
    // finishes and cancels what is still running (what Flink 2.3.0 logged and did).
    if (!this.terminateOnJobFailure) this.#cancelUnfinishedJobs();
    this.#maybeFinish();
  }

  onMainThrow(error: JavaThrowable): void {
    this.mainDone = true;
    if (isTerminalApplication(this.status)) return;
    const now = this.#cluster.config.clock.now();
    this.exceptions.unshift({
      exceptionName: 'org.apache.flink.client.deployment.application.ApplicationExecutionException',
      stacktrace: chain(
        { className: 'org.apache.flink.client.deployment.application.ApplicationExecutionException', message: 'Could not execute application.' },
        { className: 'org.apache.flink.client.program.ProgramInvocationException', message: `The main method caused an error: ${error.message ?? error.className}` },
        error,
      ),
      timestamp: now,
      jobId: undefined,
    });
    this.#cancelUnfinishedJobs();
    this.#cluster.config.clock.cancel(this.#reaction);
    this.setStatus('FAILING');
    this.#reacting = true;
    this.#reaction = this.#cluster.config.clock.schedule(Math.max(1, this.#cluster.config.timing.failingMs), () => this.setStatus('FAILED'));
  }

  /** Cancels the application; false when it is not running (terminal), as Flink answers 404 then. */
  requestCancel(): boolean {
    if (isTerminalApplication(this.status)) return false;
    if (this.status === 'CANCELING') return true;
    this.runner?.stop();
    this.mainDone = true;
    this.#cluster.config.clock.cancel(this.#reaction);
    this.#reacting = false;
    this.setStatus('CANCELING');
    const jobs = this.jobs();
    this.#cancelUnfinishedJobs();
    if (this.singleJob) {
      if (jobs.length === 0 || jobs.every((j) => j.isGloballyTerminal)) this.setStatus('CANCELED');
      return true;
    }
    if (jobs.every((j) => j.isGloballyTerminal)) this.#react(this.#cluster.config.timing.applicationPollMs, () => this.setStatus('CANCELED'));
    return true;
  }
}


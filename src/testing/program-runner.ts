import type { SchedulingClock, TimerId } from './clock.js';
import { chain, type JavaThrowable, toSimulatedException } from './java.js';
import { JobModel } from './job-model.js';
import type { NormalizedProgram, SimulatedJobSpec } from './programs.js';

export interface RunnerHooks {
  /** Submits a job; a failure ends `main()` with that exception. */
  submit(spec: SimulatedJobSpec, index: number): JobModel | { error: JavaThrowable };
  onReturn(): void;
  onThrow(error: JavaThrowable): void;
  /** `main()` blocks on an attached `execute()` until its job ends. */
  onBlock?(): void;
}

/**
 * Runs a program's steps on the simulated clock. Steps advance through timer and job callbacks
 * (not promises), so a virtual clock's `advance()` plays a whole program in order.
 */
export class ProgramRunner {
  readonly #steps: NormalizedProgram;
  readonly #hooks: RunnerHooks;
  readonly #clock: SchedulingClock;
  #index = 0;
  #submitted = 0;
  #timer: TimerId | undefined;
  #stopped = false;
  done = false;

  constructor(steps: NormalizedProgram, hooks: RunnerHooks, clock: SchedulingClock) {
    this.#steps = steps;
    this.#hooks = hooks;
    this.#clock = clock;
  }

  start(): void {
    this.#next();
  }

  stop(): void {
    this.#stopped = true;
    this.done = true;
    this.#clock.cancel(this.#timer);
  }

  #next(): void {
    while (!this.#stopped) {
      const step = this.#steps[this.#index++];
      if (!step) {
        this.done = true;
        this.#hooks.onReturn();
        return;
      }
      if (step.type === 'sleep') {
        this.#timer = this.#clock.schedule(Math.max(0, step.ms), () => this.#next());
        return;
      }
      if (step.type === 'throw') {
        this.done = true;
        const ex = toSimulatedException(step.exception, 'java.lang.IllegalArgumentException', 'Simulated main() failure');
        this.#hooks.onThrow({ className: ex.className, message: ex.message });
        return;
      }
      const job = this.#hooks.submit(step.job, this.#submitted++);
      if (!(job instanceof JobModel)) {
        this.done = true;
        this.#hooks.onThrow(job.error);
        return;
      }
      if (step.wait) {
        if (!job.isGloballyTerminal) this.#hooks.onBlock?.();
        job.onTerminal((j) => {
          if (this.#stopped) return;
          if (j.status === 'FINISHED') this.#next();
          else {
            this.done = true;
            this.#hooks.onThrow(
              j.status === 'CANCELED'
                ? { className: 'org.apache.flink.runtime.client.JobCancellationException', message: 'Job was cancelled.' }
                : chain({ className: 'org.apache.flink.runtime.client.JobExecutionException', message: 'Job execution failed.' }, j.failureCause ?? { className: 'java.lang.RuntimeException', message: 'job failed' }),
            );
          }
        });
        return;
      }
    }
  }
}


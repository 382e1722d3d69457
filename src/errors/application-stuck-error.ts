import { UnreachableStateError } from './unreachable-state-error.js';

/**
 * A wait on an application gave up because Flink left it CANCELING for good. Flink 2.3.0 moves a
 * cancelled application to CANCELING first; when the end of its `main()` (or of its jobs) is
 * handled after that, Flink's own next state change is refused and the application is never
 * moved on: it reports CANCELING until the JobManager restarts, and the jobs Flink had not yet
 * cancelled keep running (test/fixtures/recorded/FINDINGS.md, "Applications").
 *
 * Before giving up the SDK cancels those jobs itself and waits for them, so what `cancel()`
 * promised holds: nothing of the application runs any more. `jobs` gives their final states;
 * `canceledJobs` the ones the SDK had to cancel.
 */
export class ApplicationStuckError extends UnreachableStateError {
  static override readonly kind: string = 'ApplicationStuckError';
  /** The application's jobs and their last states (all globally terminal). */
  readonly jobs: ReadonlyArray<{
    /** The job's id. */
    jid: string;
    /** Its last status (globally terminal). */
    state: string;
  }>;
  /** The jobs Flink left running that the SDK cancelled. */
  readonly canceledJobs: readonly string[];
  constructor(init: { id: string; awaited: string; jobs: ReadonlyArray<{ jid: string; state: string }>; canceledJobs: readonly string[]; evidence: string }) {
    const jobs = init.jobs.length === 0 ? 'it has no jobs' : `its jobs ended ${init.jobs.map((j) => `${j.jid} ${j.state}`).join(', ')}`;
    const canceled = init.canceledJobs.length === 0 ? '' : ` (the client cancelled ${init.canceledJobs.join(', ')}, which Flink left running)`;
    super({
      resource: 'application',
      id: init.id,
      state: 'CANCELING',
      awaited: init.awaited,
      message: `application ${init.id} is stuck in CANCELING while waiting for ${init.awaited}: ${init.evidence}; ${jobs}${canceled}. Flink will report CANCELING until the JobManager restarts`,
    });
    this.jobs = init.jobs;
    this.canceledJobs = init.canceledJobs;
  }
}

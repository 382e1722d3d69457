/**
 * How long the simulated cluster takes for each step, in simulated milliseconds (see
 * `createFlinkSimulator({ timing })`). The realistic values come from the state sequences recorded
 * on real Flink 2.3.0 and 1.20.5 clusters (test/fixtures/recorded/<version>/scenarios.json).
 */
export interface SimulatorTiming {
  /**
   * How long `POST /jars/:id/run` blocks at least before answering, in real milliseconds; it also
   * waits until the job has left INITIALIZING/CREATED, so a poller sees RUNNING first, as on a
   * real cluster (which answered within ~80 ms for the bounded and failing jobs, with the job
   * RUNNING by then and ~165 ms of RUNNING left; 250-620 ms for the first job on a fresh cluster).
   * Real clock only: with a virtual clock the run answers as soon as `main()` submitted its first
   * job, and the job is still INITIALIZING.
   */
  jarRunMs: number;
  /** INITIALIZING → CREATED. */
  initializingMs: number;
  /** CREATED → RUNNING. */
  createdMs: number;
  /**
   * From RUNNING until every task is RUNNING (vertices show DEPLOYING/INITIALIZING before). In
   * that window the job refuses savepoints, stops and checkpoints (202, then a CheckpointException
   * "Not all required tasks are currently running" in the poll), as real clusters do right after
   * a run.
   */
  deployMs: number;
  /** CANCELLING → CANCELED. */
  cancelMs: number;
  /** FAILING → FAILED. */
  failingMs: number;
  /** RESTARTING → RUNNING (the restart strategy's delay). */
  restartDelayMs: number;
  /** Trigger → COMPLETED of a savepoint, and of stop-with-savepoint (the job is FINISHED then). */
  savepointMs: number;
  /** Trigger → COMPLETED of a manual checkpoint; periodic checkpoints take the same. */
  checkpointMs: number;
  /** Trigger → COMPLETED of a savepoint disposal. */
  disposalMs: number;
  /** Application CREATED → RUNNING. */
  applicationStartMs: number;
  /**
   * How long an application (run-application) takes to notice that its jobs ended, failed or were
   * cancelled by an application cancel: ~2 s on Flink 2.3.0.
   */
  applicationPollMs: number;
  /** How fast an application reacts to one of its jobs being cancelled through the job API. */
  applicationCancelMs: number;
  /** PUT resource-requirements → the adaptive scheduler applies the new parallelism (~30 s cooldown). */
  rescaleMs: number;
}

/** Timings that match what real Flink 2.3.0 / 1.20.5 session clusters did. */
export const REALISTIC_TIMING: Readonly<SimulatorTiming> = Object.freeze({
  jarRunMs: 60,
  initializingMs: 80,
  createdMs: 20,
  deployMs: 500,
  cancelMs: 60,
  failingMs: 2,
  restartDelayMs: 1_000,
  savepointMs: 180,
  checkpointMs: 60,
  disposalMs: 20,
  applicationStartMs: 1,
  applicationPollMs: 2_000,
  applicationCancelMs: 35,
  rescaleMs: 30_000,
});

/**
 * The same shape, compressed for fast real-clock tests (about one tenth or less). Tasks deploy at
 * once (`deployMs` 0): a window of a few milliseconds in which a RUNNING job refuses savepoints
 * would only make real-clock tests flaky; use realistic timing or a virtual clock to exercise it.
 */
export const FAST_TIMING: Readonly<SimulatorTiming> = Object.freeze({
  jarRunMs: 5,
  initializingMs: 5,
  createdMs: 2,
  deployMs: 0,
  cancelMs: 5,
  failingMs: 1,
  restartDelayMs: 20,
  savepointMs: 15,
  checkpointMs: 5,
  disposalMs: 5,
  applicationStartMs: 1,
  applicationPollMs: 20,
  applicationCancelMs: 5,
  rescaleMs: 50,
});

/** Resolves the `timing` option. @internal */
export function resolveTiming(timing: 'realistic' | 'fast' | Partial<SimulatorTiming> | undefined): SimulatorTiming {
  if (timing === undefined || timing === 'realistic') return { ...REALISTIC_TIMING };
  if (timing === 'fast') return { ...FAST_TIMING };
  const out: SimulatorTiming = { ...REALISTIC_TIMING };
  for (const [key, value] of Object.entries(timing)) {
    if (!(key in REALISTIC_TIMING)) throw new RangeError(`unknown timing ${JSON.stringify(key)}`);
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) throw new RangeError(`timing.${key} must be a number >= 0`);
    (out as unknown as Record<string, number>)[key] = value;
  }
  return out;
}

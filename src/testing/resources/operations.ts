import type { SchedulingClock, TimerId } from '../clock.js';
import type { IdSource } from '../ids.js';
import { chain, firstLine, type JavaThrowable } from '../java.js';
import type { JobModel } from '../job-model.js';
import type { SimulatedOperation, SimulatorEvents } from '../state.js';

/**
 * Flink's asynchronous operations (savepoint, stop, checkpoint, disposal, data set deletion): trigger ids, repeated
 * triggers, results kept for `rest.async.store-duration`, failure injection. The resources that
 * trigger operations (savepoints.ts, checkpoints.ts) decide what an operation does; this store
 * only keeps them.
 */

/** Which trigger-id namespace an operation lives in (stop shares the savepoint one). @internal */
export type OperationScope = 'savepoint' | 'checkpoint' | 'disposal' | 'dataset';

/** What an operation ends with. @internal */
export interface OperationOutcome {
  result?: { location?: string; checkpointId?: number };
  failure?: JavaThrowable;
}

/** One asynchronous operation. @internal */
export class OperationModel implements SimulatedOperation {
  completedAt: number | undefined;
  result: OperationOutcome['result'];
  failureCause: JavaThrowable | undefined;
  triggerCount = 1;
  timer: TimerId | undefined;
  readonly #clock: SchedulingClock;

  constructor(
    clock: SchedulingClock,
    readonly kind: SimulatedOperation['kind'],
    readonly triggerId: string,
    readonly jobId: string | undefined,
    readonly triggeredAt: number,
  ) {
    this.#clock = clock;
  }

  get status(): 'IN_PROGRESS' | 'COMPLETED' {
    return this.completedAt !== undefined && this.completedAt <= this.#clock.now() ? 'COMPLETED' : 'IN_PROGRESS';
  }

  get failure(): string | undefined {
    return this.failureCause ? firstLine(this.failureCause) : undefined;
  }
}

/** The operations of one cluster. @internal */
export class OperationStore {
  readonly #ops = new Map<string, OperationModel>();
  readonly #failNext = new Map<SimulatedOperation['kind'], JavaThrowable[]>();

  constructor(
    readonly deps: {
      clock: SchedulingClock;
      ids: IdSource;
      storeMs: number;
      emit<K extends keyof SimulatorEvents>(event: K, ...args: SimulatorEvents[K]): void;
    },
  ) {}

  /** Makes the next operation of a kind fail with the given cause. */
  failNext(kind: SimulatedOperation['kind'], cause: JavaThrowable): void {
    const queue = this.#failNext.get(kind) ?? [];
    queue.push(cause);
    this.#failNext.set(kind, queue);
  }

  /** The injected failure for a new operation of this kind, if any (consumed). */
  takeInjectedFailure(kind: SimulatedOperation['kind']): JavaThrowable | undefined {
    return this.#failNext.get(kind)?.shift();
  }

  /** An operation by scope and trigger id; expired results are dropped (and answer 404). */
  get(scope: OperationScope, jobId: string | undefined, triggerId: string): OperationModel | undefined {
    const key = operationKey(scope, jobId, triggerId);
    const op = this.#ops.get(key);
    if (op && this.#expired(op)) {
      this.#ops.delete(key);
      return undefined;
    }
    return op;
  }

  /** Every operation still stored. */
  list(): OperationModel[] {
    for (const [key, op] of this.#ops) if (this.#expired(op)) this.#ops.delete(key);
    return [...this.#ops.values()];
  }

  /**
   * Starts an operation, or finds the one a repeated trigger id names (`repeated`: the caller
   * must not start the work again).
   */
  begin(scope: OperationScope, kind: SimulatedOperation['kind'], jobId: string | undefined, triggerId: string | undefined): { op: OperationModel; repeated: boolean } {
    if (triggerId) {
      const existing = this.get(scope, jobId, triggerId);
      if (existing) {
        existing.triggerCount++;
        return { op: existing, repeated: true };
      }
    }
    const { clock, ids } = this.deps;
    const op = new OperationModel(clock, kind, triggerId ?? ids.flinkId(), jobId, clock.now());
    this.#ops.set(operationKey(scope, jobId, op.triggerId), op);
    return { op, repeated: false };
  }

  /** Completes an operation after `delayMs` simulated ms with what `outcome` returns then. */
  completeLater(op: OperationModel, delayMs: number, outcome: () => OperationOutcome): void {
    op.timer = this.deps.clock.schedule(delayMs, () => this.#complete(op, outcome()));
  }

  /** Completes an operation at once (work that is done when triggered, such as releasing an unknown data set). */
  completeNow(op: OperationModel, outcome: OperationOutcome): void {
    this.#complete(op, outcome);
  }

  /** Operation results live in the REST endpoint's memory: a JobManager restart loses them all. */
  clear(): void {
    for (const op of this.#ops.values()) this.deps.clock.cancel(op.timer);
    this.#ops.clear();
  }

  #complete(op: OperationModel, outcome: OperationOutcome): void {
    op.completedAt = this.deps.clock.now();
    op.result = outcome.result;
    op.failureCause = outcome.failure;
    this.deps.emit('operationCompleted', { kind: op.kind, triggerId: op.triggerId, jobId: op.jobId, failed: outcome.failure !== undefined, at: op.completedAt });
  }

  #expired(op: OperationModel): boolean {
    return op.completedAt !== undefined && this.deps.clock.now() - op.completedAt >= this.deps.storeMs;
  }
}

function operationKey(scope: OperationScope, jobId: string | undefined, triggerId: string): string {
  return `${scope}:${jobId ?? ''}:${triggerId}`;
}

/**
 * Why a checkpoint or savepoint cannot be taken: the job is gone, or not all its tasks run
 * (what Flink's CheckpointCoordinator answers right after a run, seen on real 2.3.0 and 1.20.5).
 * @internal
 */
export function jobNotRunning(jobId: string, job: JobModel | undefined): JavaThrowable {
  if (!job || job.isGloballyTerminal) {
    return chain(
      { className: 'java.util.concurrent.CompletionException', message: `org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job (${jobId})` },
      { className: 'org.apache.flink.runtime.messages.FlinkJobNotFoundException', message: `Could not find Flink job (${jobId})` },
    );
  }
  const source = job.vertices[0];
  const msg = `Checkpoint triggering task ${source?.name ?? job.name} (1/${source?.parallelism ?? 1}) of job ${jobId} is not being executed at the moment. Aborting checkpoint. Failure reason: Not all required tasks are currently running.`;
  return chain(
    { className: 'java.util.concurrent.CompletionException', message: `org.apache.flink.runtime.checkpoint.CheckpointException: ${msg}` },
    { className: 'org.apache.flink.runtime.checkpoint.CheckpointException', message: msg },
  );
}

// ---------------------------------------------------------------------------------------------
// The test-facing view

/** The asynchronous operations (`sim.operations`). */
export interface SimulatedOperations {
  /** Operations whose results are still stored. */
  list(): SimulatedOperation[];
  /** An operation by trigger id. */
  find(triggerId: string): SimulatedOperation | undefined;
  /**
   * Makes the next operation of a kind fail (the trigger is accepted; its status poll reports the
   * failure). Savepoint failures read like Flink's `CheckpointException`.
   */
  failNext(kind: SimulatedOperation['kind'], message?: string): void;
}


/** `sim.operations`. @internal */
export function operationsView(store: OperationStore): SimulatedOperations {
  return {
    list: () => store.list(),
    find: (triggerId) => store.list().find((op) => op.triggerId === String(triggerId).toLowerCase()),
    failNext: (kind, message) => {
      const plain = kind === 'savepoint-disposal' || kind === 'dataset-deletion';
      const text = message ?? (kind === 'savepoint-disposal' ? 'Simulated disposal failure' : kind === 'dataset-deletion' ? 'Simulated data set deletion failure' : 'An Exception occurred while triggering the checkpoint. IO-problem detected.');
      store.failNext(
        kind,
        plain
          ? { className: 'java.io.IOException', message: text }
          : {
              className: 'java.util.concurrent.CompletionException',
              message: `org.apache.flink.runtime.checkpoint.CheckpointException: ${text}`,
              cause: { className: 'org.apache.flink.runtime.checkpoint.CheckpointException', message: text },
            },
      );
    },
  };
}

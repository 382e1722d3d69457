import { stableId } from './ids.js';
import type { JobModel } from './job-model.js';
import type { SimulatedJobStatus } from './state.js';

/** What the rescale records read of the cluster (the RescaleHost). @internal */
export interface RescaleHost {
  readonly clock: { now(): number };
  readonly config: { readonly configuration: Readonly<Record<string, string>> };
}

/**
 * The adaptive scheduler's rescale records of each job (Flink 2.3, `/jobs/:id/rescales/*`): one
 * record per scheduling of the job's parallelism, opened by the initial schedule, a
 * resource-requirements update or a failover, and closed when the job executes again (or ends).
 * Kept only for adaptive-scheduler jobs and only when `web.adaptive-scheduler.rescale-history.size`
 * is above 0 (real 2.3.0 then counts nothing at all); the history keeps that many, newest first.
 */

/** A scheduler state a rescale went through. @internal */
export interface SchedulerStateRecord {
  state: string;
  enter: number;
  leave: number | null;
}

/** One rescale of a job. @internal */
export interface RescaleRecord {
  readonly uuid: string;
  readonly requirementsUuid: string;
  readonly trigger: 'INITIAL_SCHEDULE' | 'UPDATE_REQUIREMENT' | 'RECOVERABLE_FAILOVER';
  readonly start: number;
  end: number | null;
  terminalState: 'COMPLETED' | 'FAILED' | 'IGNORED' | null;
  reason: string | null;
  /** Per vertex id: parallelism before, asked for, enough, after. */
  readonly vertices: Map<string, { pre: number; desired: number; sufficient: number; post: number | null }>;
  readonly states: SchedulerStateRecord[];
}

/** The rescales of one job. @internal */
export class JobRescales {
  readonly records: RescaleRecord[] = [];
  /** The one in progress, if any. */
  current: RescaleRecord | undefined;
  #requirementsUuid: string;
  #n = 0;

  constructor(readonly job: JobModel) {
    this.#requirementsUuid = stableId(job.id, 'requirements', '0');
  }

  open(trigger: RescaleRecord['trigger'], at: number, firstState: string, requirementsChanged = false): void {
    if (this.current) this.close(at, 'IGNORED', 'RESOURCE_REQUIREMENTS_UPDATED');
    this.#n += 1;
    if (requirementsChanged) this.#requirementsUuid = stableId(this.job.id, 'requirements', String(this.#n));
    const vertices = new Map<string, { pre: number; desired: number; sufficient: number; post: number | null }>();
    for (const v of this.job.vertices) {
      const req = this.job.requirements.get(v.id) ?? { lowerBound: 1, upperBound: v.parallelism };
      vertices.set(v.id, { pre: trigger === 'INITIAL_SCHEDULE' ? 0 : v.parallelism, desired: req.upperBound, sufficient: req.lowerBound, post: null });
    }
    this.current = {
      uuid: stableId(this.job.id, 'rescale', String(this.#n)),
      requirementsUuid: this.#requirementsUuid,
      trigger,
      start: at,
      end: null,
      terminalState: null,
      reason: null,
      vertices,
      states: [{ state: firstState, enter: at, leave: null }],
    };
    this.records.unshift(this.current);
    // Bounded memory: the routes show at most the history size, which is far below this.
    if (this.records.length > 1000) this.records.length = 1000;
  }

  /** Moves the rescale in progress to a new scheduler state. */
  enter(state: string, at: number): void {
    const r = this.current;
    if (!r) return;
    const last = r.states.at(-1);
    if (last && last.leave === null) last.leave = at;
    r.states.push({ state, enter: at, leave: null });
  }

  close(at: number, terminalState: NonNullable<RescaleRecord['terminalState']>, reason: string): void {
    const r = this.current;
    if (!r) return;
    const last = r.states.at(-1);
    if (last && last.leave === null) last.leave = at;
    r.end = at;
    r.terminalState = terminalState;
    r.reason = reason;
    if (terminalState === 'COMPLETED') {
      for (const v of this.job.vertices) {
        const e = r.vertices.get(v.id);
        if (e) e.post = v.parallelism;
      }
    }
    this.current = undefined;
  }
}

const byJob = new WeakMap<JobModel, JobRescales>();

/** `web.adaptive-scheduler.rescale-history.size` of the cluster. @internal */
export function rescaleHistorySize(model: RescaleHost): number {
  const n = Number.parseInt(model.config.configuration['web.adaptive-scheduler.rescale-history.size'] ?? '0', 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** The rescales of a job, or undefined when none are kept (default scheduler, or history size 0). @internal */
export function rescalesOf(model: RescaleHost, job: JobModel): JobRescales | undefined {
  if (!job.adaptive || rescaleHistorySize(model) === 0) return undefined;
  let r = byJob.get(job);
  if (!r) byJob.set(job, (r = new JobRescales(job)));
  return r;
}

/** Follows a job's status changes (called by the model). @internal */
export function recordRescaleStatus(model: RescaleHost, job: JobModel, previous: SimulatedJobStatus | undefined): void {
  const r = rescalesOf(model, job);
  if (!r) return;
  const now = model.clock.now();
  const status = job.status;
  if (previous === undefined) {
    r.open('INITIAL_SCHEDULE', now, 'WaitingForResources');
    return;
  }
  if (status === 'CREATED' && r.current) {
    // Flink 2.3 rescales a running job without a RESTARTING job status, through these states.
    if (r.current.states.at(-1)?.state === 'Executing') r.enter('Restarting', now);
    r.enter('CreatingExecutionGraph', now);
  }
  else if (status === 'RESTARTING') {
    if (r.current?.trigger === 'UPDATE_REQUIREMENT') r.enter('Restarting', now);
    else r.open('RECOVERABLE_FAILOVER', now, 'Restarting');
  } else if (status === 'RUNNING' && r.current) {
    if (r.current.states.at(-1)?.state !== 'CreatingExecutionGraph') r.enter('CreatingExecutionGraph', now);
    r.enter('Executing', now);
    r.close(now, 'COMPLETED', 'SUCCEEDED');
  } else if (job.isGloballyTerminal && r.current) {
    r.close(now, 'IGNORED', status === 'FINISHED' ? 'JOB_FINISHED' : status === 'CANCELED' ? 'JOB_CANCELED' : 'JOB_FAILED');
  }
}

/** A `PUT /jobs/:id/resource-requirements` was accepted: the scheduler starts a rescale. @internal */
export function recordRequirementsUpdate(model: RescaleHost, job: JobModel): void {
  const r = rescalesOf(model, job);
  if (!r) return;
  const now = model.clock.now();
  r.open('UPDATE_REQUIREMENT', now, 'Executing', true);
  const first = r.current?.states[0];
  // The Executing state the update arrived in began when the job last started running.
  if (first && job.timestamps.RUNNING > 0) first.enter = job.timestamps.RUNNING;
}

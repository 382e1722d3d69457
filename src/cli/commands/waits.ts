import type { AsyncOperation, JobClient, JobDetails, WaitOptions, WaitProgress } from 'flink-client';
import type { CliContext } from '../cli-context.js';
import { formatTasks } from '../format.js';

/**
 * Waits for a savepoint or stop operation, showing its status on a terminal from the SDK's
 * `onProgress` reports (the CLI polls nothing itself). A FAILED status while `result()` still
 * waits means the SDK waits for the job's tasks to trigger again; the trigger id shown is then the
 * new one, and `resume` names it.
 */
export async function waitForOperation<T>(ctx: CliContext, op: AsyncOperation<T>, label: string, resume: () => string): Promise<T> {
  let status = 'IN_PROGRESS';
  let retriggers = 0;
  const onProgress = (p: WaitProgress): void => {
    if (p.state === 'FAILED') status = 'not all tasks running yet: triggering again';
    else if (p.state !== undefined) status = p.state;
    else if (p.error !== undefined) status = 'cluster not answering, retrying';
    if ((p.retriggers ?? 0) > retriggers) {
      retriggers = p.retriggers ?? 0;
      // Off a terminal the new trigger id is a step worth a line: it is what `resume` needs.
      if (!ctx.progress.live) ctx.note(`triggered again as ${p.triggerId} (the job's tasks were not all running)`);
    }
  };
  return ctx.wait(
    { label, status: () => `${ctx.err.state(status)} ${ctx.err.dim(`trigger ${op.triggerId}`)}`, resume },
    (options: WaitOptions) => op.result({ ...options, onProgress }),
  );
}

/** Waits until the job runs with all its tasks (`job.ready()`), showing state and task counts on a terminal from its progress reports. */
export async function waitForReady(ctx: CliContext, job: JobClient, resume: string): Promise<JobDetails> {
  let status = '';
  const onProgress = (p: WaitProgress): void => {
    const details = p.value as JobDetails | undefined;
    if (!details?.vertices) return;
    const tasks: Record<string, number> = {};
    for (const v of details.vertices) for (const [k, n] of Object.entries(v.tasks)) tasks[k] = (tasks[k] ?? 0) + (n ?? 0);
    status = `${ctx.err.state(details.state)} tasks ${formatTasks(tasks)}`;
  };
  return ctx.wait({ label: `job ${job.jobId} starting its tasks`, status: () => status, resume: () => resume }, (options) => job.ready({ ...options, onProgress }));
}

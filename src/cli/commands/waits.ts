import type { AsyncOperation, JobClient, JobDetails, WaitOptions } from 'flink-client';
import type { CliContext } from '../cli-context.js';
import { formatTasks } from '../format.js';

/**
 * Waits for a savepoint or stop operation, showing its status on a terminal. `result()` reports no
 * progress, so on a terminal the status line reads `status()` on its own, gentle schedule; a FAILED
 * status seen while `result()` still waits can only mean the SDK is waiting for tasks to trigger again.
 */
export async function waitForOperation<T>(ctx: CliContext, op: AsyncOperation<T>, label: string, resume: () => string): Promise<T> {
  let status = 'IN_PROGRESS';
  let done = false;
  const watchStatus = async (signal: AbortSignal): Promise<void> => {
    while (!done && !signal.aborted) {
      await new Promise((r) => setTimeout(r, 1_000).unref());
      if (done || signal.aborted) return;
      try {
        const s = await op.status({ signal });
        status = s.state === 'FAILED' ? 'waiting for tasks to trigger again' : s.state;
      } catch {
        // The wait itself reports what matters; the status line keeps its last value.
      }
    }
  };
  const stopStatus = new AbortController();
  if (ctx.progress.live) void watchStatus(stopStatus.signal);
  try {
    return await ctx.wait(
      { label, status: () => `${ctx.err.state(status)} ${ctx.err.dim(`trigger ${op.triggerId}`)}`, resume },
      (options: WaitOptions) => op.result(options),
    );
  } finally {
    done = true;
    stopStatus.abort();
  }
}

/** Waits until the job runs with all its tasks (`job.ready()`), showing state and task counts on a terminal. */
export async function waitForReady(ctx: CliContext, job: JobClient, resume: string): Promise<JobDetails> {
  let status = '';
  const stopWatch = new AbortController();
  if (ctx.progress.live) {
    void (async () => {
      try {
        for await (const change of job.watch({ changes: 'all', signal: stopWatch.signal })) {
          status = `${ctx.err.state(change.status)} tasks ${formatTasks(change.details.tasks)}`;
        }
      } catch {
        // ready() reports the failure.
      }
    })();
  }
  try {
    return await ctx.wait({ label: `job ${job.jobId} starting its tasks`, status: () => status, resume: () => resume }, (options) => job.ready(options));
  } finally {
    stopWatch.abort();
  }
}

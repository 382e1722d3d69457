import type { JobModel } from '../job-model.js';
import type { ClusterModel } from '../model.js';

/**
 * The JobManager's metric fetcher, as the vertex routes see it: Flink pulls task metrics from the
 * TaskManagers on demand, when a REST handler that needs them runs (vertex details, back pressure,
 * metrics). Until the first fetch of a job's running tasks is in, back pressure answers
 * `"deprecated"` (real clusters answered `"ok"` on the first back-pressure call only because
 * earlier vertex requests had started the fetch; FINDINGS.md §1b).
 */

/** How long a fetch takes, in simulated ms. @internal */
export const METRIC_FETCH_MS = 500;

const fetches = new WeakMap<ClusterModel, Map<string, number>>();

/**
 * Notes that a handler asked for a job's task metrics; starts the fetch when its tasks run.
 * Returns when the first fetch started, or undefined if none has yet. @internal
 */
export function requestTaskMetrics(model: ClusterModel, job: JobModel): number | undefined {
  let byJob = fetches.get(model);
  if (!byJob) fetches.set(model, (byJob = new Map()));
  const started = byJob.get(job.id);
  if (started !== undefined) return started;
  if (job.allTasksRunning) byJob.set(job.id, model.clock.now());
  return undefined;
}

import type { Route } from './route-kit.js';
import { applicationRoutes } from './resources/applications.js';
import { checkpointDetailRoutes } from './resources/checkpoint-details.js';
import { checkpointRoutes } from './resources/checkpoints.js';
import { clientHeartbeatRoutes } from './resources/client-heartbeat.js';
import { clusterRoutes } from './resources/cluster.js';
import { dataSetRoutes } from './resources/datasets.js';
import { jarRoutes } from './resources/jars.js';
import { jobManagerViewRoutes } from './resources/job-manager-views.js';
import { jobSubmissionRoutes } from './resources/job-submission.js';
import { jobManagerRoutes } from './resources/jobmanager.js';
import { jobRoutes } from './resources/jobs.js';
import { logFileRoutes } from './resources/log-files.js';
import { rescaleRoutes } from './resources/rescales.js';
import { resourceRequirementRoutes } from './resources/resource-requirements.js';
import { savepointRoutes } from './resources/savepoints.js';
import { taskManagerRoutes } from './resources/taskmanager.js';
import { vertexMetricRoutes } from './resources/vertex-metrics.js';
import { vertexSamplingRoutes } from './resources/vertex-sampling.js';
import { vertexRoutes } from './resources/vertices.js';

/**
 * Every route the simulator serves, resource by resource (one module each in `resources/`, made
 * with the route kit in route-kit.ts). Within a resource, more specific paths come before the
 * parameterised ones they overlap with; across resources paths do not overlap. @internal
 */
export const ROUTES: readonly Route[] = [
  ...clusterRoutes,
  // Before the job routes: `/jobs/metrics` is a metrics route, not a job id.
  ...jobManagerRoutes,
  // After `/taskmanagers/metrics` (in jobManagerRoutes): that is no TaskManager id.
  ...taskManagerRoutes,
  ...logFileRoutes,
  // Before the vertex routes: `…/subtasks/metrics` is no subtask index.
  ...vertexMetricRoutes,
  ...jarRoutes,
  ...jobRoutes,
  ...jobSubmissionRoutes,
  ...checkpointRoutes,
  ...checkpointDetailRoutes,
  ...vertexRoutes,
  ...vertexSamplingRoutes,
  ...savepointRoutes,
  ...resourceRequirementRoutes,
  ...applicationRoutes,
  ...rescaleRoutes,
  ...jobManagerViewRoutes,
  ...clientHeartbeatRoutes,
  ...dataSetRoutes,
];

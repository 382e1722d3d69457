/**
 * The SDK schema of every successful answer the SDK covers, by `METHOD route-template`: one table
 * for the schema tests of recorded bodies and for the simulator's wire checks.
 */
import { ApplicationDetailsSchema, ApplicationExceptionsSchema, ApplicationsOverviewSchema } from '../../src/schemas/applications.js';
import { CheckpointConfigSchema, CheckpointingStatisticsSchema } from '../../src/schemas/checkpoints.js';
import { ClusterOverviewSchema, ConfigEntriesSchema, DashboardConfigSchema, TaskManagersSchema } from '../../src/schemas/cluster.js';
import { ApplicationRunResponseSchema, JarListSchema, JarRunResponseSchema, JarUploadResponseSchema } from '../../src/schemas/jars.js';
import {
  JobAccumulatorsSchema,
  JobConfigSchema,
  JobDetailsSchema,
  JobExceptionsSchema,
  JobExecutionResultResponseSchema,
  JobIdsWithStatusSchema,
  JobPlanSchema,
  JobsOverviewSchema,
  JobStatusInfoSchema,
  ResourceRequirementsSchema,
} from '../../src/schemas/jobs.js';
import {
  AsynchronousOperationStatusSchema,
  CheckpointTriggerStatusSchema,
  EmptyResponseSchema,
  SavepointStatusSchema,
  TriggerResponseSchema,
} from '../../src/schemas/operations.js';
import type { DualSchema } from '../../src/schemas/schema-kit.js';
import { CheckpointDetailsSchema, TaskCheckpointDetailsSchema } from '../../src/schemas/checkpoints.js';
import { ClusterDataSetsSchema, EnvironmentInfoSchema, LogListSchema, LogUrlSchema, TaskManagerDetailsSchema, ThreadDumpSchema } from '../../src/schemas/managers.js';
import { AggregatedMetricCollectionSchema, MetricCollectionSchema } from '../../src/schemas/metrics.js';
import { RescaleConfigSchema, RescaleDetailsSchema, RescaleHistorySchema, RescalesOverviewSchema, RescaleSummarySchema } from '../../src/schemas/rescales.js';
import {
  AttemptAccumulatorsSchema,
  SubtaskAttemptDetailsSchema,
  SubtasksAccumulatorsSchema,
  VertexAccumulatorsSchema,
  VertexBackpressureSchema,
  VertexDetailsSchema,
  VertexFlameGraphSchema,
  VertexSubtaskTimesSchema,
  VertexTaskManagersSchema,
} from '../../src/schemas/vertices.js';

export const SCHEMA_BY_ROUTE: Record<string, DualSchema<unknown>> = {
  'GET /config': DashboardConfigSchema,
  'GET /overview': ClusterOverviewSchema,
  'GET /jobmanager/config': ConfigEntriesSchema,
  'GET /taskmanagers': TaskManagersSchema,
  'DELETE /cluster': EmptyResponseSchema,
  'GET /jars': JarListSchema,
  'POST /jars/upload': JarUploadResponseSchema,
  'DELETE /jars/:jarid': EmptyResponseSchema,
  'GET /jars/:jarid/plan': JobPlanSchema,
  'POST /jars/:jarid/plan': JobPlanSchema,
  'POST /jars/:jarid/run': JarRunResponseSchema,
  'POST /jars/:jarid/run-application': ApplicationRunResponseSchema,
  'GET /jobs': JobIdsWithStatusSchema,
  'GET /jobs/overview': JobsOverviewSchema,
  'GET /jobs/:jobid': JobDetailsSchema,
  'PATCH /jobs/:jobid': EmptyResponseSchema,
  'GET /jobs/:jobid/status': JobStatusInfoSchema,
  'GET /jobs/:jobid/execution-result': JobExecutionResultResponseSchema,
  'GET /jobs/:jobid/accumulators': JobAccumulatorsSchema,
  'GET /jobs/:jobid/exceptions': JobExceptionsSchema,
  'GET /jobs/:jobid/config': JobConfigSchema,
  'GET /jobs/:jobid/plan': JobPlanSchema,
  'GET /jobs/:jobid/jobmanager/config': ConfigEntriesSchema,
  'GET /jobs/:jobid/checkpoints': CheckpointingStatisticsSchema,
  'GET /jobs/:jobid/checkpoints/config': CheckpointConfigSchema,
  'POST /jobs/:jobid/checkpoints': TriggerResponseSchema,
  'GET /jobs/:jobid/checkpoints/:triggerid': CheckpointTriggerStatusSchema,
  'POST /jobs/:jobid/savepoints': TriggerResponseSchema,
  'GET /jobs/:jobid/savepoints/:triggerid': SavepointStatusSchema,
  'POST /jobs/:jobid/stop': TriggerResponseSchema,
  'GET /jobs/:jobid/resource-requirements': ResourceRequirementsSchema,
  'PUT /jobs/:jobid/resource-requirements': EmptyResponseSchema,
  'POST /savepoint-disposal': TriggerResponseSchema,
  'GET /savepoint-disposal/:triggerid': AsynchronousOperationStatusSchema,
  'GET /applications/overview': ApplicationsOverviewSchema,
  'GET /applications/:applicationid': ApplicationDetailsSchema,
  'POST /applications/:applicationid/cancel': EmptyResponseSchema,
  'GET /applications/:applicationid/exceptions': ApplicationExceptionsSchema,
  'GET /applications/:applicationid/jobmanager/config': ConfigEntriesSchema,
  // The rest of the REST API (issue 12).
  'GET /jobmanager/environment': EnvironmentInfoSchema,
  'GET /jobmanager/logs': LogListSchema,
  'GET /jobmanager/metrics': MetricCollectionSchema,
  'GET /jobmanager/thread-dump': ThreadDumpSchema,
  'GET /taskmanagers/metrics': AggregatedMetricCollectionSchema,
  'GET /taskmanagers/:taskmanagerid': TaskManagerDetailsSchema,
  'GET /taskmanagers/:taskmanagerid/logs': LogListSchema,
  'GET /taskmanagers/:taskmanagerid/metrics': MetricCollectionSchema,
  'GET /taskmanagers/:taskmanagerid/thread-dump': ThreadDumpSchema,
  'GET /jobs/metrics': AggregatedMetricCollectionSchema,
  'GET /jobs/:jobid/metrics': MetricCollectionSchema,
  'GET /jobs/:jobid/jobmanager/environment': EnvironmentInfoSchema,
  'GET /jobs/:jobid/jobmanager/log-url': LogUrlSchema,
  'GET /jobs/:jobid/taskmanagers/:taskmanagerid/log-url': LogUrlSchema,
  'PATCH /jobs/:jobid/clientHeartbeat': EmptyResponseSchema,
  'GET /datasets': ClusterDataSetsSchema,
  'DELETE /datasets/:datasetid': TriggerResponseSchema,
  'GET /datasets/delete/:triggerid': AsynchronousOperationStatusSchema,
  'GET /jobs/:jobid/checkpoints/details/:checkpointid': CheckpointDetailsSchema,
  'GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid': TaskCheckpointDetailsSchema,
  'GET /jobs/:jobid/rescales/config': RescaleConfigSchema,
  'GET /jobs/:jobid/rescales/overview': RescalesOverviewSchema,
  'GET /jobs/:jobid/rescales/history': RescaleHistorySchema,
  'GET /jobs/:jobid/rescales/summary': RescaleSummarySchema,
  'GET /jobs/:jobid/rescales/details/:rescaleuuid': RescaleDetailsSchema,
  'GET /jobs/:jobid/vertices/:vertexid': VertexDetailsSchema,
  'GET /jobs/:jobid/vertices/:vertexid/accumulators': VertexAccumulatorsSchema,
  'GET /jobs/:jobid/vertices/:vertexid/backpressure': VertexBackpressureSchema,
  'GET /jobs/:jobid/vertices/:vertexid/flamegraph': VertexFlameGraphSchema,
  'GET /jobs/:jobid/vertices/:vertexid/jm-operator-metrics': MetricCollectionSchema,
  'GET /jobs/:jobid/vertices/:vertexid/metrics': MetricCollectionSchema,
  'GET /jobs/:jobid/vertices/:vertexid/subtasks/accumulators': SubtasksAccumulatorsSchema,
  'GET /jobs/:jobid/vertices/:vertexid/subtasks/metrics': AggregatedMetricCollectionSchema,
  'GET /jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex': SubtaskAttemptDetailsSchema,
  'GET /jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt': SubtaskAttemptDetailsSchema,
  'GET /jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/attempts/:attempt/accumulators': AttemptAccumulatorsSchema,
  'GET /jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/metrics': MetricCollectionSchema,
  'GET /jobs/:jobid/vertices/:vertexid/subtasktimes': VertexSubtaskTimesSchema,
  'GET /jobs/:jobid/vertices/:vertexid/taskmanagers': VertexTaskManagersSchema,
  'GET /jobs/:jobid/vertices/:vertexid/watermarks': MetricCollectionSchema,
};

/**
 * Routes the simulator does not serve yet; the wire-format scenario skips them. Every route of the
 * table is served now (the log and stdout files are text, checked in test/simulator/sdk-logs-rescales.test.ts).
 */
export const NOT_YET_SIMULATED: ReadonlySet<string> = new Set<string>();

const templates = Object.keys(SCHEMA_BY_ROUTE).map((key) => {
  const [method, template] = key.split(' ') as [string, string];
  const segments = template.split('/');
  return {
    key,
    method,
    pattern: new RegExp(`^${segments.map((s) => (s.startsWith(':') ? '[^/]+' : s)).join('/')}$`),
    // A literal segment beats a parameter: /jobs/:jobid/checkpoints/config is not a trigger id.
    literals: segments.filter((s) => !s.startsWith(':')).length,
  };
}).sort((a, b) => b.literals - a.literals);

/** The `METHOD route-template` key of a concrete request path (with or without `/v1` and a query). */
export function routeOf(method: string, rawPath: string): string | undefined {
  const path = rawPath.replace(/[?#].*$/, '').replace(/^\/v1(?=\/)/, '');
  return templates.find((t) => t.method === method.toUpperCase() && t.pattern.test(path))?.key;
}

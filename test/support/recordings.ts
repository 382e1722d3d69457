/** The recorded exchanges of real clusters and the schema of each endpoint, shared by the schema tests. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** One recorded exchange, as written by the recorder. */
export interface Recording {
  request: { method: string; path: string; body?: unknown };
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const S = '[^/]+';

/** Method + path pattern (after `/v1` and the query string are stripped) → the schema of a 2xx body. */
const ROUTES: ReadonlyArray<readonly [method: string, path: RegExp, schema: DualSchema<unknown>]> = [
  ['GET', /^\/config$/, DashboardConfigSchema],
  ['GET', /^\/overview$/, ClusterOverviewSchema],
  ['GET', /^\/jobmanager\/config$/, ConfigEntriesSchema],
  ['GET', /^\/taskmanagers$/, TaskManagersSchema],
  ['GET', /^\/jobs$/, JobIdsWithStatusSchema],
  ['GET', /^\/jobs\/overview$/, JobsOverviewSchema],
  ['GET', new RegExp(`^/jobs/${S}$`), JobDetailsSchema],
  ['PATCH', new RegExp(`^/jobs/${S}$`), EmptyResponseSchema],
  ['GET', new RegExp(`^/jobs/${S}/status$`), JobStatusInfoSchema],
  ['GET', new RegExp(`^/jobs/${S}/execution-result$`), JobExecutionResultResponseSchema],
  ['GET', new RegExp(`^/jobs/${S}/accumulators$`), JobAccumulatorsSchema],
  ['GET', new RegExp(`^/jobs/${S}/exceptions$`), JobExceptionsSchema],
  ['GET', new RegExp(`^/jobs/${S}/config$`), JobConfigSchema],
  ['GET', new RegExp(`^/jobs/${S}/plan$`), JobPlanSchema],
  ['GET', new RegExp(`^/jobs/${S}/jobmanager/config$`), ConfigEntriesSchema],
  ['GET', new RegExp(`^/jobs/${S}/resource-requirements$`), ResourceRequirementsSchema],
  ['PUT', new RegExp(`^/jobs/${S}/resource-requirements$`), EmptyResponseSchema],
  ['GET', new RegExp(`^/jobs/${S}/checkpoints$`), CheckpointingStatisticsSchema],
  ['GET', new RegExp(`^/jobs/${S}/checkpoints/config$`), CheckpointConfigSchema],
  ['POST', new RegExp(`^/jobs/${S}/checkpoints$`), TriggerResponseSchema],
  ['GET', new RegExp(`^/jobs/${S}/checkpoints/[0-9a-f]{32}$`), CheckpointTriggerStatusSchema],
  ['POST', new RegExp(`^/jobs/${S}/savepoints$`), TriggerResponseSchema],
  ['POST', new RegExp(`^/jobs/${S}/stop$`), TriggerResponseSchema],
  ['GET', new RegExp(`^/jobs/${S}/savepoints/${S}$`), SavepointStatusSchema],
  ['POST', /^\/savepoint-disposal$/, TriggerResponseSchema],
  ['GET', new RegExp(`^/savepoint-disposal/${S}$`), AsynchronousOperationStatusSchema],
  ['GET', new RegExp(`^/datasets/delete/${S}$`), AsynchronousOperationStatusSchema],
  ['DELETE', new RegExp(`^/datasets/${S}$`), TriggerResponseSchema],
  ['GET', /^\/jars$/, JarListSchema],
  ['POST', /^\/jars\/upload$/, JarUploadResponseSchema],
  ['POST', new RegExp(`^/jars/${S}/run$`), JarRunResponseSchema],
  ['POST', new RegExp(`^/jars/${S}/run-application$`), ApplicationRunResponseSchema],
  ['GET', new RegExp(`^/jars/${S}/plan$`), JobPlanSchema],
  ['POST', new RegExp(`^/jars/${S}/plan$`), JobPlanSchema],
  ['DELETE', new RegExp(`^/jars/${S}$`), EmptyResponseSchema],
  ['DELETE', /^\/cluster$/, EmptyResponseSchema],
  ['GET', /^\/applications\/overview$/, ApplicationsOverviewSchema],
  ['GET', new RegExp(`^/applications/${S}$`), ApplicationDetailsSchema],
  ['POST', new RegExp(`^/applications/${S}/cancel$`), EmptyResponseSchema],
  ['GET', new RegExp(`^/applications/${S}/exceptions$`), ApplicationExceptionsSchema],
  ['GET', new RegExp(`^/applications/${S}/jobmanager/config$`), ConfigEntriesSchema],
];

/** The schema covering a request, or undefined when no schema module covers the endpoint. */
export function schemaFor(method: string, rawPath: string): DualSchema<unknown> | undefined {
  const path = rawPath.replace(/[?#].*$/, '').replace(/^\/v1(?=\/)/, '');
  return ROUTES.find(([m, p]) => m === method.toUpperCase() && p.test(path))?.[2];
}

const RECORDED_DIR = fileURLToPath(new URL('../fixtures/recorded', import.meta.url));

function isRecording(value: unknown): value is Recording {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Partial<Recording>;
  return typeof v.status === 'number' && 'body' in v && typeof v.request?.method === 'string' && typeof v.request.path === 'string';
}

export function loadRecordings(): Array<{ name: string; recording: Recording }> {
  if (!existsSync(RECORDED_DIR)) return [];
  const out: Array<{ name: string; recording: Recording }> = [];
  for (const version of readdirSync(RECORDED_DIR, { withFileTypes: true })) {
    if (!version.isDirectory()) continue;
    for (const file of readdirSync(join(RECORDED_DIR, version.name))) {
      if (!file.endsWith('.json')) continue;
      const content = JSON.parse(readFileSync(join(RECORDED_DIR, version.name, file), 'utf8')) as unknown;
      // The directory also holds the recorder's own files (index, scenarios, cluster info).
      if (!isRecording(content)) continue;
      out.push({ name: `${version.name}/${file}`, recording: content });
    }
  }
  return out;
}

/** Every recorded 2xx exchange whose endpoint has a schema. */
export const covered = loadRecordings().filter(
  ({ recording: r }) => r.status >= 200 && r.status < 300 && r.request && schemaFor(r.request.method, r.request.path) !== undefined,
);


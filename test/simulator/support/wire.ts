import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { FlinkSimulator, SimulatorRequest } from 'flink-client/testing';
import { ApplicationDetailsSchema, ApplicationExceptionsSchema, ApplicationsOverviewSchema } from '../../../src/schemas/applications.js';
import { CheckpointConfigSchema, CheckpointingStatisticsSchema } from '../../../src/schemas/checkpoints.js';
import { ClusterOverviewSchema, ConfigEntriesSchema, DashboardConfigSchema, TaskManagersSchema } from '../../../src/schemas/cluster.js';
import { ApplicationRunResponseSchema, JarListSchema, JarRunResponseSchema, JarUploadResponseSchema } from '../../../src/schemas/jars.js';
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
} from '../../../src/schemas/jobs.js';
import {
  AsynchronousOperationStatusSchema,
  CheckpointTriggerStatusSchema,
  EmptyResponseSchema,
  SavepointStatusSchema,
  TriggerResponseSchema,
} from '../../../src/schemas/operations.js';
import type { DualSchema } from '../../../src/schemas/schema-kit.js';

/** The SDK schema of every successful answer, by `METHOD route-template`. */
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
};

/** Flink's error body: `{"errors": [string, ...]}`, nothing else. */
const ErrorBodySchema = z.strictObject({ errors: z.array(z.string()).min(1) });

/** The strict schema for one logged answer. */
export function schemaFor(entry: Pick<SimulatorRequest, 'method' | 'route' | 'status'>): z.ZodType<unknown> {
  if (entry.status >= 300 || entry.route === undefined) return ErrorBodySchema;
  const schema = SCHEMA_BY_ROUTE[`${entry.method} ${entry.route}`];
  if (!schema) throw new Error(`no schema mapped for ${entry.method} ${entry.route}`);
  return schema.for('strict');
}

/**
 * Validates every JSON body the simulator sent (as logged in `sim.requests`) against the SDK's
 * STRICT schemas; returns how many were checked per route. Throws listing each mismatch.
 */
export function assertStrictBodies(requests: readonly SimulatorRequest[]): Map<string, number> {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const r of requests) {
    if (r.responseBody === undefined) continue; // resets, truncations, garbled bodies
    const key = `${r.method} ${r.route ?? '<unknown route>'} ${r.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const result = schemaFor(r).safeParse(r.responseBody);
    if (!result.success) problems.push(`${r.method} ${r.path} → ${r.status}: ${JSON.stringify(result.error.issues.slice(0, 3))}`);
  }
  if (problems.length) throw new Error(`bodies that fail the strict schemas:\n${problems.join('\n')}`);
  return counts;
}

/** Validates everything a simulator has answered so far. */
export function assertSimulatorBodiesStrict(sim: FlinkSimulator): Map<string, number> {
  return assertStrictBodies(sim.requests);
}

// ---------------------------------------------------------------------------------------------
// Recordings of real clusters

const recordedRoot = fileURLToPath(new URL('../../fixtures/recorded/', import.meta.url));

/** A recorded exchange of a real cluster. */
export interface Recording {
  request: { method: string; path: string; body?: unknown };
  status: number;
  body: unknown;
}

/** Loads a recording (test/fixtures/recorded/<version>/<name>.json). */
export function recording(version: string, name: string): Recording {
  return JSON.parse(readFileSync(`${recordedRoot}${version}/${name}.json`, 'utf8')) as Recording;
}

/**
 * The set of key paths of a JSON value (`.jobs[].tasks.running`), with 32-hex map keys and numeric
 * keys folded, so two bodies of the same shape compare equal whatever their ids and values.
 */
export function keyPaths(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) keyPaths(v, `${prefix}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const key = /^[0-9a-f]{32}$/.test(k) ? '<id>' : k;
      out.add(`${prefix}.${key}`);
      keyPaths(v, `${prefix}.${key}`, out);
    }
  }
  return out;
}

/** The first line of each error string of an error body. */
export function firstLines(body: unknown): string[] {
  return ((body as { errors?: string[] }).errors ?? []).map((e) => e.split('\n')[0] ?? '');
}

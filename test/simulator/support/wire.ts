import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { FlinkSimulator, SimulatorRequest } from 'flink-client/testing';
import { SCHEMA_BY_ROUTE } from '../../support/schema-routes.js';

export { SCHEMA_BY_ROUTE };

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

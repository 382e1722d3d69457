/** The recorded exchanges of real clusters and the schema of each endpoint, shared by the schema tests. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DualSchema } from '../../src/schemas/schema-kit.js';
import { routeOf, SCHEMA_BY_ROUTE } from './schema-routes.js';

/** One recorded exchange, as written by the recorder. */
export interface Recording {
  request: { method: string; path: string; body?: unknown };
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The schema covering a request, or undefined when no schema module covers the endpoint. */
export function schemaFor(method: string, rawPath: string): DualSchema<unknown> | undefined {
  const route = routeOf(method, rawPath);
  return route === undefined ? undefined : SCHEMA_BY_ROUTE[route];
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


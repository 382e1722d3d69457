import { FlinkArgumentError } from '../errors/flink-argument-error.js';
import type { RequestPipeline } from '../http/request-pipeline.js';
import type { ResourceRef } from '../http/map-error.js';
import type { RequestOptions } from '../options/request-options.js';
import {
  type AggregatedMetrics,
  aggregatedMetrics,
  AggregatedMetricCollectionSchema,
  METRIC_AGGREGATIONS,
  type MetricAggregation,
  MetricCollectionSchema,
  type MetricValues,
  metricValues,
} from '../schemas/metrics.js';

/**
 * Netty's default limit of an HTTP request line is 4 096 bytes; names are sent in batches whose
 * query stays well below it, so any number of names can be read in as few requests as that allows.
 */
const MAX_QUERY_CHARS = 3_000;

/** Checks metric names (non-empty strings without the comma Flink splits `get=` on). */
export function checkMetricNames(names: unknown): readonly string[] {
  if (!Array.isArray(names) || names.length === 0) throw new FlinkArgumentError('names', 'expected a non-empty array of metric names');
  for (const n of names) {
    if (typeof n !== 'string' || n.length === 0 || n.length > 1_000 || n.includes(',') || /[\x00-\x1f]/.test(n)) {
      throw new FlinkArgumentError('names', `expected metric names without commas or control characters, got ${JSON.stringify(String(n).slice(0, 60))}`);
    }
  }
  return names as readonly string[];
}

/** Checks `agg` and returns it as Flink's comma list (undefined: all five). */
export function checkAggregations(agg: unknown): string | undefined {
  if (agg === undefined) return undefined;
  if (!Array.isArray(agg) || agg.length === 0 || agg.some((a) => !(METRIC_AGGREGATIONS as readonly string[]).includes(a as string))) {
    throw new FlinkArgumentError('agg', `expected a non-empty array of ${METRIC_AGGREGATIONS.join(', ')}`);
  }
  return (agg as MetricAggregation[]).join(',');
}

/** Splits names into batches whose comma list fits one request line. */
function batches(names: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const n of names) {
    const add = encodeURIComponent(n).length + 3;
    if (current.length > 0 && length + add > MAX_QUERY_CHARS) {
      out.push(current);
      current = [];
      length = 0;
    }
    current.push(n);
    length += add;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** What one metrics route needs: its path, its extra query, what a 404 is about. */
export interface MetricRoute {
  pipeline: RequestPipeline;
  path: string;
  query?: Record<string, string | undefined>;
  resource?: ResourceRef;
}

/** The metric names a component has (`GET …/metrics` without `get=`). */
export async function readMetricNames(route: MetricRoute, aggregated: boolean, options?: RequestOptions): Promise<string[]> {
  const body = await route.pipeline.request(
    { method: 'GET', path: route.path, query: route.query, schema: aggregated ? AggregatedMetricCollectionSchema : MetricCollectionSchema, alwaysValidate: true, resource: route.resource },
    options,
  );
  return body.map((m) => m.id);
}

/** Values of named metrics of one component, numbers where Flink's strings are numbers. Unknown names are left out. */
export async function readMetrics(route: MetricRoute, names: readonly string[], options?: RequestOptions): Promise<MetricValues> {
  checkMetricNames(names);
  const parts = await Promise.all(
    batches(names).map((batch) =>
      route.pipeline.request(
        { method: 'GET', path: route.path, query: { ...route.query, get: batch.join(',') }, schema: MetricCollectionSchema, alwaysValidate: true, resource: route.resource },
        options,
      ),
    ),
  );
  return Object.assign({}, ...parts.map(metricValues)) as MetricValues;
}

/** Aggregations of named metrics over several components. Unknown names are left out. */
export async function readAggregatedMetrics(route: MetricRoute, names: readonly string[], agg: readonly MetricAggregation[] | undefined, options?: RequestOptions): Promise<AggregatedMetrics> {
  checkMetricNames(names);
  const aggList = checkAggregations(agg);
  const parts = await Promise.all(
    batches(names).map((batch) =>
      route.pipeline.request(
        { method: 'GET', path: route.path, query: { ...route.query, get: batch.join(','), agg: aggList }, schema: AggregatedMetricCollectionSchema, alwaysValidate: true, resource: route.resource },
        options,
      ),
    ),
  );
  return Object.assign({}, ...parts.map(aggregatedMetrics)) as AggregatedMetrics;
}

import { z } from 'zod';
import { defineSchema, typedSchema } from './schema-kit.js';

/**
 * One entry of a metrics answer (`GET …/metrics`): without `get=` Flink lists the metric names
 * only; with `get=` each entry carries the value, **as a string** (`"1000"`, `"0.5"`, `"NaN"`,
 * or a gauge's `toString()`).
 */
export interface MetricEntry {
  /** The metric name, such as `Status.JVM.CPU.Load` or (on a vertex) `0.numRecordsOut`. */
  id: string;
  /** The value as Flink renders it; absent when only names were asked for. */
  value?: string;
}

/** The body of the single-component metric routes (`MetricCollectionResponseBody`): a JSON array. */
export type MetricCollection = MetricEntry[];

/**
 * Validates `GET /jobmanager/metrics`, `/taskmanagers/:id/metrics`, `/jobs/:id/metrics`,
 * `/jobs/:id/vertices/:v/metrics`, `…/subtasks/:i/metrics`, `…/jm-operator-metrics` and
 * `…/watermarks`: `[{"id", "value"?}]`.
 */
export const MetricCollectionSchema = typedSchema<MetricCollection>()(defineSchema((k) =>
  z.array(k.object({ id: z.string(), value: z.string().optional() })),
));

/** The aggregations Flink computes over several components (`agg=`). */
export const METRIC_AGGREGATIONS = ['min', 'max', 'avg', 'sum', 'skew'] as const;

/** One aggregation: `min`, `max`, `avg`, `sum` or `skew`. */
export type MetricAggregation = (typeof METRIC_AGGREGATIONS)[number];

/**
 * One metric aggregated over task managers, jobs or subtasks (`AggregatedMetric`): the
 * aggregations asked for (all five by default), as JSON numbers, except that Jackson writes a
 * non-finite double as a string (`"NaN"`, `"Infinity"`: seen for `max` on a real 2.3.0 cluster
 * while a vertex had no records yet). Only metrics whose values are numbers take part; a
 * component that lacks the metric is left out.
 */
export interface AggregatedMetricEntry {
  /** The metric name, without a subtask prefix (`numRecordsOut`). */
  id: string;
  /** The smallest value. */
  min?: number | string;
  /** The largest value. */
  max?: number | string;
  /** The mean. */
  avg?: number | string;
  /** The sum. */
  sum?: number | string;
  /** The skew: `(max − avg) / max × 100`, 0 when all are equal; how unevenly the load is spread. */
  skew?: number | string;
}

/** The body of the aggregated metric routes (`AggregatedMetricsResponseBody`): a JSON array. */
export type AggregatedMetricCollection = AggregatedMetricEntry[];

/**
 * Validates `GET /taskmanagers/metrics`, `/jobs/metrics` and `/jobs/:id/vertices/:v/subtasks/metrics`:
 * `[{"id", "min"?, "max"?, "avg"?, "sum"?, "skew"?}]` (without `get=`, names only).
 */
export const AggregatedMetricCollectionSchema = typedSchema<AggregatedMetricCollection>()(defineSchema((k) =>
  z.array(
    k.object({
      id: z.string(),
      min: z.union([z.number(), z.string()]).optional(),
      max: z.union([z.number(), z.string()]).optional(),
      avg: z.union([z.number(), z.string()]).optional(),
      sum: z.union([z.number(), z.string()]).optional(),
      skew: z.union([z.number(), z.string()]).optional(),
    }),
  ),
));

/** A metric value as the SDK returns it: a number when Flink's string is one, else the string. */
export type MetricValue = number | string;

/** Metric values by name. */
export type MetricValues = Record<string, MetricValue>;

/** Aggregations of one metric, by aggregation. */
export type AggregatedMetric = Partial<Record<MetricAggregation, number>>;

/** Aggregated metrics by name. */
export type AggregatedMetrics = Record<string, AggregatedMetric>;

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Flink's string rendering of a metric value as a number where it is one (`"1000"`, `"0.5"`,
 * `"1.0E-4"`, `"NaN"`, `"Infinity"`); anything else (a gauge's text) stays a string. Longs beyond
 * 2^53 lose precision, as any JSON number would.
 */
export function metricValue(text: string): MetricValue {
  const t = text.trim();
  if (NUMERIC.test(t)) return Number(t);
  if (t === 'NaN') return Number.NaN;
  if (t === 'Infinity') return Number.POSITIVE_INFINITY;
  if (t === '-Infinity') return Number.NEGATIVE_INFINITY;
  return text;
}

/** A metrics answer as values by name (entries without a value are left out). */
export function metricValues(entries: MetricCollection): MetricValues {
  const out: MetricValues = {};
  for (const e of entries) if (e.value !== undefined) out[e.id] = metricValue(e.value);
  return out;
}

/** An aggregated metrics answer as aggregations by name. */
export function aggregatedMetrics(entries: AggregatedMetricCollection): AggregatedMetrics {
  const out: AggregatedMetrics = {};
  for (const { id, ...aggs } of entries) {
    const m: AggregatedMetric = {};
    for (const a of METRIC_AGGREGATIONS) {
      const v = aggs[a];
      const n = typeof v === 'string' ? metricValue(v) : v;
      if (typeof n === 'number') m[a] = n;
    }
    out[id] = m;
  }
  return out;
}

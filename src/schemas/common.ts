import { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';

const HEX_ID = /^[0-9a-f]{32}$/;

/**
 * A Flink id (job, application, vertex, trigger, slot sharing group) as it is sent on the wire:
 * 32 lowercase hex characters. Strict mode checks the format; lenient mode accepts any string.
 * (The OpenAPI specs show some of these ids as `{bytes, lowerPart, upperPart}` objects; Flink
 * never sends that.)
 */
export function hexId(k: SchemaKit): z.ZodType<string> {
  return k.mode === 'strict' ? z.string().regex(HEX_ID) : z.string();
}

/**
 * A Java `double` as Flink's JSON mapper writes it: a number, or one of the strings `"NaN"`,
 * `"Infinity"`, `"-Infinity"` (Jackson quotes non-finite numbers). Seen on checkpoint summary
 * percentiles before any checkpoint completed, and on `accumulated-busy-time` when busy time is
 * not measured.
 */
export type FlinkDouble = number | 'NaN' | 'Infinity' | '-Infinity';

/** The schema of a {@link FlinkDouble}. */
export function flinkDouble(): z.ZodType<FlinkDouble> {
  return z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
}

/**
 * A map from an enum's names to numbers, e.g. counts per state `{"RUNNING": 2, "FINISHED": 0}` or
 * timestamps per status (Flink serialises a Java `EnumMap` this way). Strict mode rejects keys
 * outside `keys`; lenient mode accepts any key.
 */
export function numbersByName(k: SchemaKit, keys: readonly [string, ...string[]]): z.ZodType<Record<string, number>> {
  if (k.mode === 'lenient') return z.record(z.string(), z.number());
  // A partial record: keys are checked, but not all of them need to be present.
  return z.partialRecord(z.enum(keys as [string, ...string[]]), z.number()) as unknown as z.ZodType<Record<string, number>>;
}

/** A JSON object Flink passes through without a fixed shape (raw JSON such as optimizer properties). */
export type OpaqueJsonObject = Record<string, unknown>;

/** The schema of an {@link OpaqueJsonObject}: any JSON object, in both modes. */
export function opaqueJsonObject(): z.ZodType<OpaqueJsonObject> {
  return z.record(z.string(), z.unknown());
}

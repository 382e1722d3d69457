import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DualSchema } from '../../../src/schemas/schema-kit.js';

/** A path into a JSON value: object keys and array indexes. */
export type JsonPath = ReadonlyArray<string | number>;

const SPEC_DIR = fileURLToPath(new URL('../../fixtures/spec/', import.meta.url));

/** Reads a fixture from `test/fixtures/spec/`, e.g. `fixture('jobs/job-details.2.3.json')`. */
export function fixture(relativePath: string): unknown {
  return JSON.parse(readFileSync(SPEC_DIR + relativePath, 'utf8')) as unknown;
}

/** The value at `path`, or undefined. */
export function getAt(value: unknown, path: JsonPath): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** A deep copy of `value` with `path` set to `replacement`. */
export function setAt(value: unknown, path: JsonPath, replacement: unknown): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return replacement;
  const parent = getAt(copy, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object') throw new Error(`no object at ${JSON.stringify(path.slice(0, -1))}`);
  (parent as Record<string | number, unknown>)[path[path.length - 1]!] = replacement;
  return copy;
}

/** A deep copy of `value` with an extra key in the object at `path`. */
export function withExtraKey(value: unknown, path: JsonPath, key = 'x-unknown-field', extra: unknown = 'kept'): unknown {
  const target = getAt(value, path);
  if (target === null || typeof target !== 'object' || Array.isArray(target)) throw new Error(`no object at ${JSON.stringify(path)}`);
  return setAt(value, [...path, key], extra);
}

/** How one schema is exercised against its fixtures. */
export interface SchemaCase {
  /** The schema's export name. */
  name: string;
  schema: DualSchema<unknown>;
  /** Fixture files (relative to `test/fixtures/spec/`); all must pass in both modes. The first one is mutated below. */
  fixtures: readonly [string, ...string[]];
  /** Objects in the first fixture where an unknown key is added: lenient keeps it, strict rejects it. */
  objectPaths: readonly JsonPath[];
  /** Enum (status) fields in the first fixture: lenient accepts an unknown value, strict rejects it. */
  enumPaths?: readonly JsonPath[];
  /** Fields the SDK relies on, with a value of the wrong type: both modes reject it. */
  wrongTypes: ReadonlyArray<readonly [JsonPath, unknown]>;
}

/** Registers the standard tests of each case. */
export function describeSchemaCases(cases: readonly SchemaCase[]): void {
  for (const c of cases) {
    describe(c.name, () => {
      const lenient = c.schema.for('lenient');
      const strict = c.schema.for('strict');
      const base = fixture(c.fixtures[0]);

      it.each(c.fixtures.map((f) => [f]))('accepts %s in lenient and strict mode', (file) => {
        const body = fixture(file);
        const strictResult = strict.safeParse(body);
        expect(strictResult.success ? [] : strictResult.error.issues).toEqual([]);
        const lenientResult = lenient.safeParse(body);
        expect(lenientResult.success ? [] : lenientResult.error.issues).toEqual([]);
      });

      it.each(c.objectPaths.map((p) => [JSON.stringify(p), p] as const))(
        'keeps an unknown key at %s in lenient mode and rejects it in strict mode',
        (_label, path) => {
          const body = withExtraKey(base, path);
          const lenientResult = lenient.safeParse(body);
          expect(lenientResult.success).toBe(true);
          expect(getAt(lenientResult.data, [...path, 'x-unknown-field'])).toBe('kept');
          const strictResult = strict.safeParse(body);
          expect(strictResult.success).toBe(false);
          expect(strictResult.error?.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
        },
      );

      if (c.enumPaths && c.enumPaths.length > 0) {
        it.each(c.enumPaths.map((p) => [JSON.stringify(p), p] as const))(
          'accepts an unknown enum value at %s in lenient mode and rejects it in strict mode',
          (_label, path) => {
            expect(typeof getAt(base, path)).toBe('string');
            const body = setAt(base, path, 'SOME_FUTURE_VALUE');
            const lenientResult = lenient.safeParse(body);
            expect(lenientResult.success).toBe(true);
            expect(getAt(lenientResult.data, path)).toBe('SOME_FUTURE_VALUE');
            expect(strict.safeParse(body).success).toBe(false);
          },
        );
      }

      it.each(c.wrongTypes.map(([p, v]) => [JSON.stringify(p), JSON.stringify(v), p, v] as const))(
        'rejects %s = %s in both modes',
        (_label, _valueLabel, path, value) => {
          const body = setAt(base, path, value);
          expect(lenient.safeParse(body).success).toBe(false);
          expect(strict.safeParse(body).success).toBe(false);
        },
      );
    });
  }
}

import { z } from 'zod';
import type { ValidationMode } from '../options/client-options.js';
import { compileFastCheck, type FastCheck } from './fast-check.js';

/**
 * The building blocks schema definitions use, in one of two flavours: lenient (unknown keys kept,
 * enums open) or strict (unknown keys and enum values rejected). Each definition is written once
 * against this kit and built in both flavours.
 */
export interface SchemaKit {
  /** Which flavour this kit builds. */
  readonly mode: 'strict' | 'lenient';
  /**
   * An object schema. Lenient objects keep unknown keys at run time; the static type lists only
   * the known ones, so autocompletion stays useful.
   */
  object<S extends z.ZodRawShape>(shape: S): z.ZodObject<S, z.core.$strip>;
  /** A string enum: closed in strict mode, open (any string) in lenient mode. */
  openEnum<const T extends readonly [string, ...string[]]>(values: T): z.ZodType<T[number] | (string & {})>;
}

const lenientKit: SchemaKit = {
  mode: 'lenient',
  object: (shape) => z.looseObject(shape) as never,
  openEnum: () => z.string() as never,
};

const strictKit: SchemaKit = {
  mode: 'strict',
  object: (shape) => z.strictObject(shape) as never,
  openEnum: (values) => z.enum(values as unknown as [string, ...string[]]) as never,
};

/** The outcome of validating a body: the valid data, or zod's error with its issues. */
export type ValidationResult<T> = { success: true; data: T } | { success: false; error: z.ZodError };

/** A response schema in both flavours, built on first use. */
export interface DualSchema<T> {
  /** The schema for the given mode (`'off'` yields the lenient one for callers that need one). */
  for(mode: ValidationMode): z.ZodType<T>;
  /**
   * Validates a parsed body. A compiled in-place check runs first and returns the body itself
   * when it matches; zod runs only when it does not, to produce the issues (or, should the fast
   * check ever be stricter than zod, the data).
   */
  validate(mode: ValidationMode, value: unknown): ValidationResult<T>;
}

/**
 * Defines a response schema once, for both validation flavours. The build function runs lazily,
 * at most once per flavour.
 */
export function defineSchema<S extends z.ZodType>(build: (kit: SchemaKit) => S): DualSchema<z.output<S>> {
  type T = z.output<S>;
  let lenient: S | undefined;
  let strict: S | undefined;
  const checks: { strict?: FastCheck | null; lenient?: FastCheck | null } = {};
  const schemaFor = (mode: ValidationMode): z.ZodType<T> => {
    const schema = mode === 'strict' ? (strict ??= build(strictKit)) : (lenient ??= build(lenientKit));
    return schema as unknown as z.ZodType<T>;
  };
  return {
    for: schemaFor,
    validate(mode, value) {
      const flavour = mode === 'strict' ? 'strict' : 'lenient';
      let check = checks[flavour];
      if (check === undefined) check = checks[flavour] = compileFastCheck(schemaFor(mode)) ?? null;
      if (check?.(value)) return { success: true, data: value as T };
      return schemaFor(mode).safeParse(value) as ValidationResult<T>;
    },
  };
}

/** The static type a dual schema validates to. */
export type SchemaOutput<D> = D extends DualSchema<infer T> ? T : never;

/** `true` when `A` and `B` are assignable to each other. */
type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * Binds a schema to the named interface it validates to, checked at compile time: the schema's
 * output and `T` must be assignable to each other, so the hand-written, documented interface and
 * the zod definition cannot drift apart. Usage:
 * `export const JobDetailsSchema = typedSchema<JobDetails>()(defineSchema((k) => ...))`.
 * A mismatch fails to compile with the property `schemaDoesNotMatchInterface` in the message.
 */
export function typedSchema<T>() {
  return <D extends DualSchema<unknown>>(
    schema: D & (MutuallyAssignable<SchemaOutput<D>, T> extends true ? unknown : { schemaDoesNotMatchInterface: SchemaOutput<D> }),
  ): DualSchema<T> => schema as unknown as DualSchema<T>;
}
